package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSameIDSet(t *testing.T) {
	cases := []struct {
		a, b []string
		want bool
	}{
		{nil, nil, true},
		{[]string{"a", "b"}, []string{"b", "a"}, true},
		{[]string{"a", "b", "a"}, []string{"b", "a"}, true},
		{[]string{"a", "b"}, []string{"a"}, false},
		{[]string{"a"}, []string{"a", "b"}, false},
		{[]string{"a", "a"}, []string{"a", "b"}, false},
		{[]string{"A"}, []string{"a"}, false}, // ids are compared exactly
	}
	for _, tc := range cases {
		if got := sameIDSet(tc.a, tc.b); got != tc.want {
			t.Errorf("sameIDSet(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestOrderLike(t *testing.T) {
	cases := []struct {
		prior, current, want []string
	}{
		{nil, []string{"c", "a"}, []string{"c", "a"}},
		{[]string{"b", "a", "c"}, []string{"a", "c", "b"}, []string{"b", "a", "c"}},
		{[]string{"b", "a", "c"}, []string{"a", "d", "b"}, []string{"b", "a", "d"}},
		{[]string{"a", "a"}, []string{"a"}, []string{"a"}},
		{[]string{"a"}, nil, []string{}},
	}
	for _, tc := range cases {
		if got := orderLike(tc.prior, tc.current); !slices.Equal(got, tc.want) {
			t.Errorf("orderLike(%v, %v) = %v, want %v", tc.prior, tc.current, got, tc.want)
		}
	}
}

func TestKeepStateForSameMembers(t *testing.T) {
	list := func(ids ...string) types.List {
		v, _ := newMemberListValue(ids)
		return v.ListValue
	}
	withUnknown := types.ListValueMust(types.StringType, []attr.Value{types.StringValue("a"), types.StringUnknown()})
	cases := map[string]struct {
		state, plan, want types.List
	}{
		"reordered keeps state":       {list("a", "b"), list("b", "a"), list("a", "b")},
		"repeated keeps state":        {list("a", "b"), list("b", "a", "b"), list("a", "b")},
		"a real change is planned":    {list("a", "b"), list("a", "c"), list("a", "c")},
		"unknown element is planned":  {list("a", "b"), withUnknown, withUnknown},
		"no state (create) unchanged": {types.ListNull(types.StringType), list("a"), list("a")},
		"unset members stay unset":    {list("a"), types.ListNull(types.StringType), types.ListNull(types.StringType)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := planmodifier.ListRequest{StateValue: tc.state, PlanValue: tc.plan, ConfigValue: tc.plan}
			resp := planmodifier.ListResponse{PlanValue: tc.plan}
			keepStateForSameElements{}.PlanModifyList(context.Background(), req, &resp)
			if !resp.PlanValue.Equal(tc.want) {
				t.Fatalf("planned %v, want %v", resp.PlanValue, tc.want)
			}
		})
	}
}

func TestMemberListSemanticEquals(t *testing.T) {
	a, _ := newMemberListValue([]string{"x", "y"})
	b, _ := newMemberListValue([]string{"y", "x", "x"})
	c, _ := newMemberListValue([]string{"x"})
	ctx := context.Background()
	if same, _ := a.ListSemanticEquals(ctx, b); !same {
		t.Error("same members in another order, repeated, must be semantically equal")
	}
	if same, _ := a.ListSemanticEquals(ctx, c); same {
		t.Error("different members must not be semantically equal")
	}
	if a.Equal(b) {
		t.Error("Equal must stay exact, as for any list")
	}
}
