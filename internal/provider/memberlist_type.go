package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// memberListType holds the SCIM ids of a group's members: a list on the
// wire, a set in meaning. It is a list because Terraform checks a planned
// set against its configuration pairwise, in time that grows with the
// square of its size, and a list in linear time. Order and repetition carry no
// meaning: semantic equality and planmodifiers.IgnoreOrder compare the lists
// as sets, so reordering the configuration or an app returning members in
// another order shows no difference.
type memberListType struct {
	basetypes.ListType
}

var (
	_ basetypes.ListTypable                    = memberListType{}
	_ basetypes.ListValuableWithSemanticEquals = memberListValue{}
)

func newMemberListType() memberListType {
	return memberListType{ListType: basetypes.ListType{ElemType: types.StringType}}
}

func (t memberListType) Equal(o attr.Type) bool {
	other, ok := o.(memberListType)
	return ok && t.ListType.Equal(other.ListType)
}

func (t memberListType) String() string { return "memberListType" }

func (t memberListType) ValueType(context.Context) attr.Value { return memberListValue{} }

func (t memberListType) ValueFromList(_ context.Context, in basetypes.ListValue) (basetypes.ListValuable, diag.Diagnostics) {
	return memberListValue{ListValue: in}, nil
}

func (t memberListType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.ListType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	list, ok := v.(basetypes.ListValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return memberListValue{ListValue: list}, nil
}

// memberListValue is a value of memberListType.
type memberListValue struct {
	basetypes.ListValue
}

func newMemberListValue(ids []string) (memberListValue, diag.Diagnostics) {
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.StringValue(id)
	}
	list, diags := basetypes.NewListValue(types.StringType, elems)
	return memberListValue{ListValue: list}, diags
}

func memberList(ids []string, diags *diag.Diagnostics) memberListValue {
	list, d := newMemberListValue(ids)
	diags.Append(d...)
	return list
}

func (v memberListValue) Type(context.Context) attr.Type { return newMemberListType() }

// Equal is exact (order included), as for any list; sameness as a set is
// the business of ListSemanticEquals.
func (v memberListValue) Equal(o attr.Value) bool {
	other, ok := o.(memberListValue)
	return ok && v.ListValue.Equal(other.ListValue)
}

// ListSemanticEquals lets the framework keep the prior value when both
// hold the same ids in any order.
func (v memberListValue) ListSemanticEquals(_ context.Context, prior basetypes.ListValuable) (bool, diag.Diagnostics) {
	p, ok := prior.(memberListValue)
	if !ok || v.IsNull() != p.IsNull() || v.IsUnknown() || p.IsUnknown() {
		return false, nil
	}
	a, aKnown := knownIDs(v.ListValue)
	b, bKnown := knownIDs(p.ListValue)
	return aKnown && bKnown && sameIDSet(a, b), nil
}

// IDs returns the known elements as strings (nil when null or unknown).
func (v memberListValue) IDs() []string {
	ids, _ := knownIDs(v.ListValue)
	return ids
}

// knownIDs returns the list's strings and whether all of them are known.
func knownIDs(list basetypes.ListValue) ([]string, bool) {
	if list.IsNull() || list.IsUnknown() {
		return nil, !list.IsUnknown()
	}
	elems := list.Elements()
	ids := make([]string, 0, len(elems))
	allKnown := true
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			allKnown = false
			continue
		}
		if !s.IsNull() {
			ids = append(ids, s.ValueString())
		}
	}
	return ids, allKnown
}

// sameIDSet reports whether a and b hold the same ids, ignoring order and
// repetition, in linear time.
func sameIDSet(a, b []string) bool {
	inA := make(map[string]bool, len(a))
	for _, id := range a {
		inA[id] = true
	}
	inB := make(map[string]bool, len(b))
	for _, id := range b {
		if !inA[id] {
			return false
		}
		inB[id] = true
	}
	return len(inA) == len(inB)
}

// orderLike returns current ordered as prior where they share ids, with
// the ids prior lacks appended in the app's order, so that a plan after
// drift shows only the members that came or went.
func orderLike(prior, current []string) []string {
	inCurrent := make(map[string]bool, len(current))
	for _, id := range current {
		inCurrent[id] = true
	}
	out := make([]string, 0, len(current))
	placed := make(map[string]bool, len(current))
	for _, id := range prior {
		if inCurrent[id] && !placed[id] {
			out = append(out, id)
			placed[id] = true
		}
	}
	for _, id := range current {
		if !placed[id] {
			out = append(out, id)
			placed[id] = true
		}
	}
	return out
}

// uniqueIDs returns ids without repetitions, first occurrence kept.
func uniqueIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func sortedIDs(ids []string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}
