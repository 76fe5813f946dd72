package planmodifiers_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/planmodifiers"
)

func TestIgnoreOrder(t *testing.T) {
	t.Parallel()
	list := func(ids ...string) types.List {
		v, _ := types.ListValueFrom(context.Background(), types.StringType, ids)
		return v
	}
	withUnknown := types.ListValueMust(types.StringType, []attr.Value{types.StringValue("a"), types.StringUnknown()})
	email := func(value string) attr.Value {
		return types.ObjectValueMust(map[string]attr.Type{"value": types.StringType}, map[string]attr.Value{"value": types.StringValue(value)})
	}
	emails := func(values ...string) types.List {
		var elems []attr.Value
		for _, v := range values {
			elems = append(elems, email(v))
		}
		return types.ListValueMust(types.ObjectType{AttrTypes: map[string]attr.Type{"value": types.StringType}}, elems)
	}
	for name, tc := range map[string]struct {
		state, plan, want types.List
	}{
		"reordered keeps state":       {list("a", "b"), list("b", "a"), list("a", "b")},
		"repeated keeps state":        {list("a", "b"), list("b", "a", "b"), list("a", "b")},
		"a real change is planned":    {list("a", "b"), list("a", "c"), list("a", "c")},
		"one fewer is planned":        {list("a", "b"), list("a"), list("a")},
		"unknown element is planned":  {list("a", "b"), withUnknown, withUnknown},
		"no state (create) unchanged": {types.ListNull(types.StringType), list("a"), list("a")},
		"unset stays unset":           {list("a"), types.ListNull(types.StringType), types.ListNull(types.StringType)},
		"reordered objects":           {emails("x", "y"), emails("y", "x"), emails("x", "y")},
		"changed objects":             {emails("x", "y"), emails("y", "z"), emails("y", "z")},
	} {
		t.Run(name, func(t *testing.T) {
			req := planmodifier.ListRequest{StateValue: tc.state, PlanValue: tc.plan, ConfigValue: tc.plan}
			resp := planmodifier.ListResponse{PlanValue: tc.plan}
			planmodifiers.IgnoreOrder().PlanModifyList(context.Background(), req, &resp)
			if !resp.PlanValue.Equal(tc.want) {
				t.Fatalf("planned %v, want %v", resp.PlanValue, tc.want)
			}
		})
	}
}
