package provider

import (
	"context"
	"slices"
	"testing"
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
