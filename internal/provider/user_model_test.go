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
	prior.Emails = types.SetValueMust(multiValueObjectType, []attr.Value{types.ObjectValueMust(multiValueObjectType.AttrTypes, map[string]attr.Value{
		"value": types.StringValue("Alice@Example.com"), "type": types.StringValue("work"),
		"display": types.StringNull(), "primary": types.BoolValue(false),
	})})
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
