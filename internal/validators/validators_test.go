package validators_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

// want is what a case expects: no error (""), or an error whose summary
// and detail hold every fragment.
func checkDiags(t *testing.T, name string, diags diag.Diagnostics, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if diags.HasError() {
			t.Errorf("%s: %v, want no error", name, diags)
		}
		return
	}
	if !diags.HasError() {
		t.Errorf("%s: accepted, want an error with %q", name, want)
		return
	}
	text := diags[0].Summary() + ": " + diags[0].Detail()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q lacks %q", name, text, w)
		}
	}
}

func validateString(v validator.String, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("a"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		allowZero bool
		max       time.Duration
		value     types.String
		want      []string
	}{
		{name: "positive", value: types.StringValue("30s")},
		{name: "null", value: types.StringNull()},
		{name: "unknown", value: types.StringUnknown()},
		{name: "zero refused", value: types.StringValue("0s"), want: []string{"Invalid duration", `"0s"`, "positive"}},
		{name: "zero allowed", allowZero: true, value: types.StringValue("0s")},
		{name: "negative", allowZero: true, value: types.StringValue("-1s"), want: []string{"Invalid duration"}},
		{name: "not a duration", value: types.StringValue("30"), want: []string{`"30"`, "such as 30s"}},
		{name: "over the maximum", max: time.Minute, value: types.StringValue("2m"), want: []string{"at most 1m0s"}},
		{name: "at the maximum", max: time.Minute, value: types.StringValue("60s")},
	} {
		checkDiags(t, tc.name, validateString(validators.Duration(tc.allowZero, tc.max), tc.value), tc.want...)
	}
}

func TestNotBlank(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		want  []string
	}{
		{value: "alice"},
		{value: " a "},
		{value: "", want: []string{"non-space"}},
		{value: " \t", want: []string{"non-space"}},
	} {
		checkDiags(t, strconv.Quote(tc.value), validateString(validators.NotBlank(), types.StringValue(tc.value)), tc.want...)
	}
}

func TestMemberIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		value []string
		want  []string
	}{
		{name: "ids", value: []string{"2819c223", "a/b"}},
		{name: "empty list", value: []string{}},
		{name: "a blank id", value: []string{"2819c223", " "}, want: []string{"SCIM id of a user or group"}},
	} {
		list, _ := types.ListValueFrom(context.Background(), types.StringType, tc.value)
		resp := &validator.ListResponse{}
		validators.MemberIDs().ValidateList(context.Background(), validator.ListRequest{Path: path.Root("members"), ConfigValue: list}, resp)
		checkDiags(t, tc.name, resp.Diagnostics, tc.want...)
	}
}

func TestAtMostOnePrimary(t *testing.T) {
	t.Parallel()
	email := func(value string, primary attr.Value) attr.Value {
		return types.ObjectValueMust(map[string]attr.Type{"value": types.StringType, "primary": types.BoolType},
			map[string]attr.Value{"value": types.StringValue(value), "primary": primary})
	}
	elemType := types.ObjectType{AttrTypes: map[string]attr.Type{"value": types.StringType, "primary": types.BoolType}}
	for _, tc := range []struct {
		name   string
		values []attr.Value
		want   []string
	}{
		{name: "one primary", values: []attr.Value{email("a", types.BoolValue(true)), email("b", types.BoolValue(false))}},
		{name: "none primary", values: []attr.Value{email("a", types.BoolNull()), email("b", types.BoolNull())}},
		{name: "the same primary value twice", values: []attr.Value{email("a", types.BoolValue(true)), email("a", types.BoolValue(true))}},
		{name: "two primaries", values: []attr.Value{email("a", types.BoolValue(true)), email("b", types.BoolValue(true))},
			want: []string{"More than one primary value", "2 values", "RFC 7643"}},
		{name: "an unknown value", values: []attr.Value{email("a", types.BoolValue(true)), types.ObjectUnknown(elemType.AttrTypes)}},
	} {
		list := types.ListValueMust(elemType, tc.values)
		resp := &validator.ListResponse{}
		validators.AtMostOnePrimary().ValidateList(context.Background(), validator.ListRequest{Path: path.Root("emails"), ConfigValue: list}, resp)
		checkDiags(t, tc.name, resp.Diagnostics, tc.want...)
	}
}

func TestExtensionObjects(t *testing.T) {
	t.Parallel()
	typed := func(urn, attr string) (string, bool) {
		if strings.HasSuffix(urn, "enterprise:2.0:User") && attr == "department" {
			return "enterprise.department", true
		}
		return "", false
	}
	const urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	for _, tc := range []struct {
		name  string
		value string
		want  []string
	}{
		{name: "an object", value: `{"team": "blue"}`},
		{name: "a list", value: `["blue"]`, want: []string{"not a JSON object", `"[\"blue\"]"`}},
		{name: "null", value: `null`, want: []string{"not a JSON object"}},
		{name: "a long string is cut short", value: `"` + strings.Repeat("x", 100) + `"`, want: []string{"…"}},
		{name: "a typed attribute", value: `{"department": "Security"}`, want: []string{"typed argument", "enterprise.department"}},
	} {
		m := types.MapValueMust(jsontypes.NormalizedType{}, map[string]attr.Value{urn: jsontypes.NewNormalizedValue(tc.value)})
		resp := &validator.MapResponse{}
		validators.ExtensionObjects(typed).ValidateMap(context.Background(), validator.MapRequest{Path: path.Root("extensions"), ConfigValue: m}, resp)
		checkDiags(t, tc.name, resp.Diagnostics, tc.want...)
	}
}

func TestSCIMFilter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		filter string
		valid  bool
	}{
		{`active eq true`, true},
		{`userName sw "a" and active eq true`, true},
		{`userName EQ "A" AND (title eq "x" or title pr)`, true},
		{`not (userName eq "a")`, true},
		{`emails[type eq "work" and value co "@example.com"]`, true},
		{`emails[type eq "work"].value eq "a+b@example.com"`, true}, // as Entra ID sends it
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Security"`, true},
		{`meta.lastModified gt "2026-01-01T00:00:00Z"`, true},
		{``, false},
		{`   `, false},
		{`userName eq alice`, false},
		{`userName eq "a" or`, false},
		{`userName = "a"`, false},
		{`(active eq true`, false},
		{`userName eq "unterminated`, false},
		{`emails[type eq work].value eq "x"`, false}, // the value filter in brackets is invalid
		{`emails[type eq "work"].value eq x`, false}, // the value after the sub-attribute is unquoted
	} {
		var want []string
		if !tc.valid {
			want = []string{"Invalid SCIM filter", "RFC 7644"}
		}
		checkDiags(t, strconv.Quote(tc.filter), validateString(validators.SCIMFilter(), types.StringValue(tc.filter)), want...)
	}
}
