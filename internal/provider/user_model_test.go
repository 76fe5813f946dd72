package provider

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

func fullUser() *scim.User {
	return &scim.User{
		ID: "1", UserName: "alice@example.com", ExternalID: "ext", DisplayName: "Alice", NickName: "Al",
		ProfileURL: "https://p", Title: "Eng", UserType: "Employee", PreferredLanguage: "en", Locale: "en-US",
		Timezone: "Europe/Paris", Active: scim.Bool(true),
		Name:         scim.Name{Formatted: "Alice Example", GivenName: "Alice", FamilyName: "Example"},
		Emails:       []scim.MultiValue{{Value: "alice@example.com", Type: "work", Primary: true}},
		PhoneNumbers: []scim.MultiValue{{Value: "+1 555", Type: "work"}},
		Roles:        []scim.MultiValue{{Value: "admin"}},
		Entitlements: []scim.MultiValue{{Value: "ent"}},
		Enterprise:   scim.Enterprise{Department: "Sec", ManagerID: "2"},
		Extensions:   map[string]map[string]any{"urn:x:ext": {"team": "blue"}},
	}
}

// Flattening then expanding gives back the same user, once the extension
// keys to manage are known.
func TestFlattenExpandRoundTrip(t *testing.T) {
	ctx := context.Background()
	want := fullUser()
	prior := emptyUserModel()
	prior.Extensions = types.MapValueMust(jsontypes.NormalizedType{}, map[string]attr.Value{
		"urn:x:ext": jsontypes.NewNormalizedValue(`{"team":"red"}`),
	})
	m, diags := flattenUser(ctx, want, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := expandUser(ctx, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if m.DestroyMode.ValueString() != "deactivate" || m.AdoptExisting.ValueBool() {
		t.Errorf("defaults not filled: %v %v", m.DestroyMode, m.AdoptExisting)
	}
}

func TestFlattenKeepsPriorSpelling(t *testing.T) {
	ctx := context.Background()
	prior := emptyUserModel()
	prior.UserName = types.StringValue("Alice@Example.com")
	prior.Emails = multiValues(withPrimary(multiValue("Alice@Example.com", "work"), false))
	server := &scim.User{ID: "1", UserName: "alice@example.com",
		Emails: []scim.MultiValue{{Value: "ALICE@EXAMPLE.COM", Type: "Work", Display: "derived"}}}
	m, diags := flattenUser(ctx, server, prior)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !m.UserName.Equal(prior.UserName) {
		t.Errorf("user_name %v, want prior spelling", m.UserName)
	}
	if !m.Emails.Equal(prior.Emails) {
		t.Errorf("emails %v, want prior spelling %v", m.Emails, prior.Emails)
	}
	// A real rename is not hidden.
	server.UserName = "bob@example.com"
	m, _ = flattenUser(ctx, server, prior)
	if m.UserName.ValueString() != "bob@example.com" {
		t.Errorf("rename hidden: %v", m.UserName)
	}
}

func multiValue(value, kind string) attr.Value {
	return types.ObjectValueMust(multiValueObjectType.AttrTypes, map[string]attr.Value{
		"value": types.StringValue(value), "type": optionalStringValue(kind),
		"display": types.StringNull(), "primary": types.BoolNull(),
	})
}

func withPrimary(v attr.Value, primary bool) attr.Value {
	attrs := v.(types.Object).Attributes()
	attrs["primary"] = types.BoolValue(primary)
	return types.ObjectValueMust(multiValueObjectType.AttrTypes, attrs)
}

func multiValues(elems ...attr.Value) types.List {
	return types.ListValueMust(multiValueObjectType, elems)
}

// Multi-valued attributes are lists that mean sets: the app's order and
// case do not move values around, values the app added come last, and a
// value the configuration lists twice (sent once) is given back twice.
func TestFlattenMultiValuesKeepsPriorOrder(t *testing.T) {
	ctx := context.Background()
	a, b, c := multiValue("a@example.com", "work"), multiValue("b@example.com", "home"), multiValue("c@example.com", "")
	server := func(values ...string) []scim.MultiValue {
		var out []scim.MultiValue
		for i := 0; i < len(values); i += 2 {
			out = append(out, scim.MultiValue{Value: values[i], Type: values[i+1]})
		}
		return out
	}
	tests := map[string]struct {
		prior types.List
		app   []scim.MultiValue
		want  types.List
	}{
		"app reverses":            {multiValues(a, b), server("b@example.com", "home", "a@example.com", "work"), multiValues(a, b)},
		"app changes case":        {multiValues(a, b), server("B@EXAMPLE.COM", "Home", "A@example.com", "work"), multiValues(a, b)},
		"app adds one":            {multiValues(b), server("c@example.com", "", "b@example.com", "home"), multiValues(b, c)},
		"app drops one":           {multiValues(a, b, c), server("c@example.com", "", "a@example.com", "work"), multiValues(a, c)},
		"listed twice, sent once": {multiValues(a, b, a), server("b@example.com", "home", "a@example.com", "work"), multiValues(a, b, a)},
		"no prior: app order":     {types.ListNull(multiValueObjectType), server("b@example.com", "home", "a@example.com", "work"), multiValues(b, a)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			got := flattenMultiValues(ctx, tc.app, tc.prior, &diags)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !got.Equal(tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestExpandMultiValuesSendsEachOnce(t *testing.T) {
	var diags diag.Diagnostics
	a, b := multiValue("a@example.com", "work"), multiValue("b@example.com", "work")
	got := expandMultiValues(context.Background(), multiValues(a, b, a), &diags)
	want := []scim.MultiValue{{Value: "a@example.com", Type: "work"}, {Value: "b@example.com", Type: "work"}}
	if diags.HasError() || !cmp.Equal(got, want) {
		t.Errorf("got %v %v, want %v", got, diags, want)
	}
}

func TestFlattenDerivedValuesAreNotDrift(t *testing.T) {
	ctx := context.Background()
	m, diags := flattenUser(ctx, &scim.User{ID: "1", UserName: "a", Name: scim.Name{Formatted: "A"}}, emptyUserModel())
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !m.Name.IsNull() {
		t.Errorf("a server-derived name.formatted alone must not create a name block: %v", m.Name)
	}
	if !m.Emails.IsNull() || !m.Enterprise.IsNull() || !m.Extensions.IsNull() {
		t.Errorf("empty server values must stay null: %+v", m)
	}
}

func TestFlattenExtensionsOnlyManagedKeys(t *testing.T) {
	ctx := context.Background()
	prior := types.MapValueMust(jsontypes.NormalizedType{}, map[string]attr.Value{
		"urn:x:ext":  jsontypes.NewNormalizedValue(`{"team": "blue"}`),
		"urn:x:gone": jsontypes.NewNormalizedValue(`{"k": 1}`),
	})
	var diags diag.Diagnostics
	got := flattenExtensions(ctx, map[string]map[string]any{
		"urn:x:ext":   {"team": "green", "unmanaged": true},
		"urn:x:other": {"z": 1},
	}, prior, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := types.MapValueMust(jsontypes.NormalizedType{}, map[string]attr.Value{
		"urn:x:ext": jsontypes.NewNormalizedValue(`{"team":"green"}`),
	})
	if !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestUserPatchOperations(t *testing.T) {
	from := fullUser()
	to := fullUser()
	to.Title = ""
	to.Name.GivenName = "Alicia"
	to.Emails = []scim.MultiValue{{Value: "ALICE@example.com", Type: "work", Primary: true}} // same, other case
	to.Roles = nil
	to.Enterprise.ManagerID = "3"
	to.Extensions = map[string]map[string]any{"urn:x:ext": {"team": "red"}}
	to.Active = scim.Bool(false)
	var got []string
	for _, op := range scim.UserPatch(from, to) {
		got = append(got, op.Op+" "+op.Path)
	}
	want := []string{
		"remove title", "replace name.givenName", "replace active", "remove roles",
		"replace urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "replace urn:x:ext:team",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	if ops := scim.UserPatch(fullUser(), fullUser()); len(ops) != 0 {
		t.Errorf("no change gave %v", ops)
	}
}
