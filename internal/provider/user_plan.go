package provider

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// namePartNames are the name attributes apps derive others from.
var namePartNames = []string{"given_name", "family_name", "middle_name", "honorific_prefix", "honorific_suffix"}

// sameNameParts reports whether two raw objects have the same name parts.
func sameNameParts(a, b tftypes.Value) bool {
	if !a.IsKnown() || !b.IsKnown() || a.IsNull() != b.IsNull() {
		return false
	}
	if a.IsNull() {
		return true
	}
	for _, part := range namePartNames {
		av, aok := rawValue(a, part)
		bv, bok := rawValue(b, part)
		if aok != bok || (aok && !av.Equal(bv)) {
			return false
		}
	}
	return true
}

// plannedUser adjusts a scim_user plan on update:
//   - an attribute the last apply managed that the configuration no longer
//     sets is planned null, so that it is removed from the app (otherwise
//     it would keep its state value, being computed);
//   - display_name and name.formatted, when not configured, keep their
//     state value unless the name parts change: apps derive them from the
//     name, so only then is the app's next value unknown.
func plannedUser(plan, state, config tftypes.Value, previously []string) (tftypes.Value, error) {
	var dropped []string
	for _, name := range previously {
		if v, ok := rawValue(plan, name); ok && !v.IsNull() && name != "active" && !isSet(config, name) {
			dropped = append(dropped, name)
		}
	}
	planName, _ := rawValue(plan, "name")
	stateName, _ := rawValue(state, "name")
	nameUnchanged := sameNameParts(planName, stateName)
	derived := []string{"display_name", "name.formatted"}
	return withRawValues(plan, slices.Concat(dropped, derived), func(name string, v tftypes.Value) (tftypes.Value, bool) {
		if slices.Contains(dropped, name) {
			return tftypes.NewValue(v.Type(), nil), true
		}
		if v.IsKnown() || isSet(config, name) || !nameUnchanged {
			return v, false
		}
		prior, ok := rawValue(state, name)
		return prior, ok && prior.IsKnown()
	})
}
