package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// rawUser builds a raw scim_user value with the given attributes set.
func rawUser(t *testing.T, attrs map[string]attr.Value) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	schema := userResourceSchema()
	plan := tfsdk.Plan{Schema: schema, Raw: tftypes.NewValue(schema.Type().TerraformType(ctx), nil)}
	for name, v := range attrs {
		if diags := plan.SetAttribute(ctx, path.Root(name), v); diags.HasError() {
			t.Fatalf("%s: %v", name, diags)
		}
	}
	return plan.Raw
}

func TestUserCapabilityInputsFromRawValues(t *testing.T) {
	extensions := types.MapValueMust(jsontypes.NormalizedType{}, map[string]attr.Value{
		"urn:b": jsontypes.NewNormalizedValue(`{"x":1}`),
		"urn:a": jsontypes.NewNormalizedValue(`{"y":2}`),
	})
	tests := map[string]struct {
		plan, config map[string]attr.Value
		want         userCapabilityInputs
	}{
		"nothing set": {},
		"delete, password, extensions": {
			plan:   map[string]attr.Value{"destroy_mode": types.StringValue("delete"), "extensions": extensions},
			config: map[string]attr.Value{"password_wo": types.StringValue("s3cret")},
			want:   userCapabilityInputs{destroyMode: "delete", hasPassword: true, extensionURNs: []string{"urn:a", "urn:b"}},
		},
		"a password not known until apply counts as set": {
			config: map[string]attr.Value{"password_wo": types.StringUnknown()},
			want:   userCapabilityInputs{hasPassword: true},
		},
		"unknown destroy_mode and extensions are not checked": {
			plan: map[string]attr.Value{"destroy_mode": types.StringUnknown(), "extensions": types.MapUnknown(jsontypes.NormalizedType{})},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := userCapabilityInputsFrom(rawUser(t, tt.plan), rawUser(t, tt.config), false)
			if got.destroyMode != tt.want.destroyMode || got.hasPassword != tt.want.hasPassword ||
				!slices.Equal(got.extensionURNs, tt.want.extensionURNs) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestRequirableUserPathsAreScimUserAttributes: every SCIM path a dialect
// may require or mark single-valued names an attribute of scim_user, so
// the plan-time check can find it in the configuration.
func TestRequirableUserPathsAreScimUserAttributes(t *testing.T) {
	var resp resource.SchemaResponse
	(&userResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	for _, p := range append(requirableUserPaths(), multiValuedUserPaths...) {
		if _, diags := resp.Schema.AttributeAtPath(context.Background(), tfPath(argumentFor(p))); diags.HasError() {
			t.Errorf("%s maps to %q, which scim_user does not have", p, argumentFor(p))
		}
	}
}

// TestUserAttributesTable: every row of the attribute table names an
// argument scim_user has, each SCIM path once, and one code per managed
// name that no other managed name uses.
func TestUserAttributesTable(t *testing.T) {
	var resp resource.SchemaResponse
	(&userResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	paths, codeOwner := map[string]bool{}, map[byte]string{}
	for _, a := range userAttributes {
		if _, diags := resp.Schema.AttributeAtPath(context.Background(), tfPath(a.argument)); diags.HasError() {
			t.Errorf("%s: scim_user has no such argument", a.argument)
		}
		if paths[strings.ToLower(a.path)] {
			t.Errorf("%s: the SCIM path %s is listed twice", a.argument, a.path)
		}
		paths[strings.ToLower(a.path)] = true
		if owner, taken := codeOwner[a.code]; taken && owner != a.managedName() {
			t.Errorf("%s: code %q is %s's too", a.argument, a.code, owner)
		}
		codeOwner[a.code] = a.managedName()
		if argumentFor(a.path) != a.argument {
			t.Errorf("argumentFor(%s) = %q, want %q", a.path, argumentFor(a.path), a.argument)
		}
	}
}
