package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// idSetType is a set of SCIM ids (strings) whose duplicate check, equality
// and semantic equality run in linear time. The framework's generic set
// does all three pairwise, which turns a 10,000-member group into minutes
// of CPU on every plan.
type idSetType struct {
	basetypes.SetType
}

var (
	_ basetypes.SetTypable                    = idSetType{}
	_ basetypes.SetValuableWithSemanticEquals = idSetValue{}
)

func newIDSetType() idSetType {
	return idSetType{SetType: basetypes.SetType{ElemType: types.StringType}}
}

func (t idSetType) Equal(o attr.Type) bool {
	other, ok := o.(idSetType)
	return ok && t.SetType.Equal(other.SetType)
}

func (t idSetType) String() string { return "idSetType" }

func (t idSetType) ValueType(context.Context) attr.Value { return idSetValue{} }

func (t idSetType) ValueFromSet(_ context.Context, in basetypes.SetValue) (basetypes.SetValuable, diag.Diagnostics) {
	return idSetValue{SetValue: in}, nil
}

func (t idSetType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.SetType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	set, ok := v.(basetypes.SetValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return idSetValue{SetValue: set}, nil
}

// Validate rejects duplicate elements, with a map instead of pairwise comparison.
func (t idSetType) Validate(_ context.Context, in tftypes.Value, p path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if in.Type() == nil || !in.IsKnown() || in.IsNull() {
		return diags
	}
	var elems []tftypes.Value
	if err := in.As(&elems); err != nil {
		diags.AddAttributeError(p, "Set Type Validation Error", err.Error())
		return diags
	}
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		if !e.IsKnown() || e.IsNull() {
			continue
		}
		var s string
		if err := e.As(&s); err != nil {
			diags.AddAttributeError(p, "Set Type Validation Error", err.Error())
			return diags
		}
		if seen[s] {
			diags.AddAttributeError(p, "Duplicate Set Element", fmt.Sprintf("The set contains %q more than once.", s))
			return diags
		}
		seen[s] = true
	}
	return diags
}

// idSetValue is a value of idSetType.
type idSetValue struct {
	basetypes.SetValue
}

func newIDSetValue(ids []string) (idSetValue, diag.Diagnostics) {
	elems := make([]attr.Value, len(ids))
	for i, id := range ids {
		elems[i] = types.StringValue(id)
	}
	set, diags := basetypes.NewSetValue(types.StringType, elems)
	return idSetValue{SetValue: set}, diags
}

func (v idSetValue) Type(context.Context) attr.Type { return newIDSetType() }

func (v idSetValue) Equal(o attr.Value) bool {
	other, ok := o.(idSetValue)
	if !ok {
		return false
	}
	if v.IsNull() || v.IsUnknown() || other.IsNull() || other.IsUnknown() {
		return v.IsNull() == other.IsNull() && v.IsUnknown() == other.IsUnknown()
	}
	return sameIDs(v.IDs(), other.IDs())
}

// SetSemanticEquals lets the framework keep the prior value when the sets
// hold the same ids, without its pairwise element walk.
func (v idSetValue) SetSemanticEquals(_ context.Context, prior basetypes.SetValuable) (bool, diag.Diagnostics) {
	p, ok := prior.(idSetValue)
	return ok && v.Equal(p), nil
}

// IDs returns the elements as strings (nil when null or unknown).
func (v idSetValue) IDs() []string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	elems := v.Elements()
	ids := make([]string, 0, len(elems))
	for _, e := range elems {
		if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			ids = append(ids, s.ValueString())
		}
	}
	return ids
}

func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[string]bool, len(a))
	for _, id := range a {
		set[id] = true
	}
	for _, id := range b {
		if !set[id] {
			return false
		}
	}
	return true
}
