// Package planmodifiers holds the provider's plan modifiers that
// terraform-plugin-framework has no equivalent of.
package planmodifiers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// IgnoreOrder plans the prior list when the configuration holds the same
// elements in another order (or one of them twice), so that reordering a
// list that is a set in meaning (group members, a user's emails) is not a
// change. Terraform accepts a planned value equal to the prior state as
// the provider's statement that the two are equivalent.
func IgnoreOrder() planmodifier.List { return ignoreOrder{} }

type ignoreOrder struct{}

func (ignoreOrder) Description(context.Context) string {
	return "the order of the elements is not significant"
}

func (m ignoreOrder) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (ignoreOrder) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if SameElements(ctx, req.PlanValue, req.StateValue) {
		resp.PlanValue = req.StateValue
	}
}

// SameElements reports whether two known lists hold the same elements,
// ignoring order and repetition, in linear time. A list with an element
// that is not wholly known is never the same.
func SameElements(ctx context.Context, a, b types.List) bool {
	inA, aKnown := elementKeys(ctx, a.Elements())
	inB, bKnown := elementKeys(ctx, b.Elements())
	if !aKnown || !bKnown || len(inA) != len(inB) {
		return false
	}
	for k := range inA {
		if !inB[k] {
			return false
		}
	}
	return true
}

// elementKeys returns the distinct elements by their string form, which
// is exact for wholly known values (strings quoted, objects with their
// attributes in name order), and false when one is not wholly known.
func elementKeys(ctx context.Context, elems []attr.Value) (map[string]bool, bool) {
	keys := make(map[string]bool, len(elems))
	for _, e := range elems {
		if !whollyKnown(ctx, e) {
			return nil, false
		}
		keys[e.String()] = true
	}
	return keys, true
}

// whollyKnown reports whether v and everything in it is known; strings,
// the elements of long member lists, are answered without conversion.
func whollyKnown(ctx context.Context, v attr.Value) bool {
	if v.IsUnknown() {
		return false
	}
	if _, ok := v.(types.String); ok {
		return true
	}
	tv, err := v.ToTerraformValue(ctx)
	return err == nil && tv.IsFullyKnown()
}
