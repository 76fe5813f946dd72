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

// BenchmarkIDSetEqual compares two 10,000-member id sets (the framework's
// own set equality is pairwise).
func BenchmarkIDSetEqual(b *testing.B) {
	ids := make([]string, 10000)
	for i := range ids {
		ids[i] = fmt.Sprintf("member-%06d", i)
	}
	a, _ := newIDSetValue(ids)
	c, _ := newIDSetValue(ids)
	b.ReportAllocs()
	for b.Loop() {
		_ = a.Equal(c)
	}
}
