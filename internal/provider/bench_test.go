package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// BenchmarkFlattenExpandUser converts a full user to the Terraform model and back.
func BenchmarkFlattenExpandUser(b *testing.B) {
	ctx := context.Background()
	u := fullUser()
	prior := emptyUserModel()
	prior.Extensions = types.MapValueMust(jsontypes.NormalizedType{}, map[string]attr.Value{
		"urn:x:ext": jsontypes.NewNormalizedValue(`{"team":"red"}`),
	})
	b.ReportAllocs()
	for b.Loop() {
		m, _ := flattenUser(ctx, u, prior)
		_, _ = expandUser(ctx, m)
	}
}

// BenchmarkMemberDelta computes the add/remove sets for a 10,000-member
// group with one member swapped.
func BenchmarkMemberDelta(b *testing.B) {
	current := make([]string, 10000)
	for i := range current {
		current[i] = fmt.Sprintf("member-%06d", i)
	}
	desired := append(append([]string(nil), current[1:]...), "member-new")
	b.ReportAllocs()
	for b.Loop() {
		_, _ = missing(desired, current), missing(current, desired)
	}
}

// BenchmarkMemberListSemanticEquals compares two 10,000-member lists in
// different orders as sets, as a refresh of a large group does.
func BenchmarkMemberListSemanticEquals(b *testing.B) {
	ids := make([]string, 10000)
	reversed := make([]string, len(ids))
	for i := range ids {
		ids[i] = fmt.Sprintf("member-%06d", i)
		reversed[len(ids)-1-i] = ids[i]
	}
	a, _ := newMemberListValue(ids)
	c, _ := newMemberListValue(reversed)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if same, _ := a.ListSemanticEquals(ctx, c); !same {
			b.Fatal("lists with the same members in another order must be semantically equal")
		}
	}
}
