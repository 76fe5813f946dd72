package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// Unit tests of scim_user's plan logic on raw values, without Terraform.

// unknownValue marks an attribute known only at apply in userRaw.
type unknownValue struct{}

// userRaw builds a raw scim_user object: the attributes in set ("title",
// "name.given_name"; a string, a []string of emails or unknownValue{}),
// every other attribute null.
func userRaw(t *testing.T, set map[string]any) tftypes.Value {
	t.Helper()
	var resp resource.SchemaResponse
	(&userResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	objType := resp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	var build func(tftypes.Object, string) tftypes.Value
	build = func(ot tftypes.Object, prefix string) tftypes.Value {
		vals := map[string]tftypes.Value{}
		for name, at := range ot.AttributeTypes {
			full := prefix + name
			v, ok := set[full]
			switch {
			case ok && v == (unknownValue{}):
				vals[name] = tftypes.NewValue(at, tftypes.UnknownValue)
			case ok:
				switch v := v.(type) {
				case string:
					vals[name] = tftypes.NewValue(at, v)
				case []string: // emails
					var elems []tftypes.Value
					et := at.(tftypes.List).ElementType.(tftypes.Object)
					for i, e := range v {
						attrs := map[string]tftypes.Value{}
						for k, kt := range et.AttributeTypes {
							attrs[k] = tftypes.NewValue(kt, nil)
						}
						attrs["value"] = tftypes.NewValue(tftypes.String, e)
						attrs["primary"] = tftypes.NewValue(tftypes.Bool, i == 0)
						elems = append(elems, tftypes.NewValue(et, attrs))
					}
					vals[name] = tftypes.NewValue(at, elems)
				}
			default:
				if sub, isObj := at.(tftypes.Object); isObj && hasPrefix(set, full+".") {
					vals[name] = build(sub, full+".")
					continue
				}
				vals[name] = tftypes.NewValue(at, nil)
			}
		}
		return tftypes.NewValue(ot, vals)
	}
	return build(objType, "")
}

func hasPrefix(set map[string]any, prefix string) bool {
	for k := range set {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func rawString(t *testing.T, raw tftypes.Value, name string) string {
	t.Helper()
	v, ok := rawValue(raw, name)
	switch {
	case !ok || v.IsNull():
		return "<null>"
	case !v.IsKnown():
		return "<unknown>"
	}
	var s string
	if err := v.As(&s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func TestPlannedUser(t *testing.T) {
	for _, tc := range []struct {
		name                string
		plan, state, config map[string]any
		previously          []string
		want                map[string]string
	}{
		{
			name:       "an attribute no longer configured is planned null (removed from the app)",
			plan:       map[string]any{"user_name": "a", "title": "Boss"},
			state:      map[string]any{"user_name": "a", "title": "Boss"},
			config:     map[string]any{"user_name": "a"},
			previously: []string{"title", "user_name"},
			want:       map[string]string{"title": "<null>", "user_name": "a"},
		},
		{
			name:       "an attribute never managed keeps the app's value",
			plan:       map[string]any{"user_name": "a", "title": "Set in the app"},
			state:      map[string]any{"user_name": "a", "title": "Set in the app"},
			config:     map[string]any{"user_name": "a"},
			previously: []string{"user_name"},
			want:       map[string]string{"title": "Set in the app"},
		},
		{
			name:       "derived names keep their state while the name parts stay",
			plan:       map[string]any{"user_name": "a", "display_name": unknownValue{}, "name.given_name": "Ann", "name.formatted": unknownValue{}},
			state:      map[string]any{"user_name": "a", "display_name": "Ann A", "name.given_name": "Ann", "name.formatted": "Ann A"},
			config:     map[string]any{"user_name": "a", "name.given_name": "Ann"},
			previously: []string{"name", "user_name"},
			want:       map[string]string{"display_name": "Ann A", "name.formatted": "Ann A"},
		},
		{
			name:       "derived names are unknown when the name parts change",
			plan:       map[string]any{"user_name": "a", "display_name": unknownValue{}, "name.given_name": "Anna", "name.formatted": unknownValue{}},
			state:      map[string]any{"user_name": "a", "display_name": "Ann A", "name.given_name": "Ann", "name.formatted": "Ann A"},
			config:     map[string]any{"user_name": "a", "name.given_name": "Anna"},
			previously: []string{"name", "user_name"},
			want:       map[string]string{"display_name": "<unknown>", "name.formatted": "<unknown>"},
		},
		{
			name:       "a configured value unknown until apply stays unknown",
			plan:       map[string]any{"user_name": "a", "display_name": unknownValue{}},
			state:      map[string]any{"user_name": "a", "display_name": "Old"},
			config:     map[string]any{"user_name": "a", "display_name": unknownValue{}},
			previously: []string{"display_name", "user_name"},
			want:       map[string]string{"display_name": "<unknown>"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			planned, err := plannedUser(userRaw(t, tc.plan), userRaw(t, tc.state), userRaw(t, tc.config), tc.previously)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tc.want {
				if got := rawString(t, planned, name); got != want {
					t.Errorf("%s planned %s, want %s", name, got, want)
				}
			}
		})
	}
}

func TestCheckUserShape(t *testing.T) {
	aws, _ := scim.Preset("aws_identity_center")
	for _, tc := range []struct {
		name   string
		config map[string]any
		create bool
		adopt  bool
		want   string // a fragment of the error; "" for none
		warn   string
	}{
		{name: "complete", create: true, config: map[string]any{"user_name": "a", "display_name": "A",
			"name.given_name": "A", "name.family_name": "B"}},
		{name: "a required attribute missing", create: true, config: map[string]any{"user_name": "a", "display_name": "A",
			"name.given_name": "A"}, want: "requires name.family_name"},
		{name: "a required attribute unknown until apply", create: true, config: map[string]any{"user_name": "a",
			"display_name": unknownValue{}, "name.given_name": "A", "name.family_name": "B"}},
		{name: "not a create", config: map[string]any{"user_name": "a"}},
		{name: "adopting only warns", create: true, adopt: true, config: map[string]any{"user_name": "a"}, warn: "requires display_name"},
		{name: "two emails where one is taken", config: map[string]any{"user_name": "a", "emails": []string{"a@x", "b@x"}},
			want: "emails"},
		{name: "one email", config: map[string]any{"user_name": "a", "emails": []string{"a@x"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			checkUserShape(aws, userCapabilityInputs{config: userRaw(t, tc.config), create: tc.create, adopting: tc.adopt}, &diags)
			got := errorsText(diags)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("unexpected error: %s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("error %q, want one with %q", got, tc.want)
			}
			var warnings []string
			for _, w := range diags.Warnings() {
				warnings = append(warnings, w.Summary())
			}
			if tc.warn != "" && !strings.Contains(strings.Join(warnings, "\n"), tc.warn) {
				t.Errorf("warnings %v, want one with %q", warnings, tc.warn)
			}
		})
	}
}
