package provider

import (
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// A scim_user writes only what its configuration manages: an attribute the
// configuration sets, or one it set at the last apply (removing it from the
// configuration then removes it from the app). Everything else keeps the
// app's value. The names managed at the last apply live in private state.

// attrPath turns "name.formatted" into a tftypes path.
func attrPath(name string) *tftypes.AttributePath {
	p := tftypes.NewAttributePath()
	for _, step := range strings.Split(name, ".") {
		p = p.WithAttributeName(step)
	}
	return p
}

// rawValue returns the value at name in raw, and false when raw or a parent
// is null or unknown.
func rawValue(raw tftypes.Value, name string) (tftypes.Value, bool) {
	v, _, err := tftypes.WalkAttributePath(raw, attrPath(name))
	if err != nil {
		return tftypes.Value{}, false
	}
	tv, ok := v.(tftypes.Value)
	return tv, ok
}

// isSet reports whether raw sets name: to a value, or to one known only at
// apply (unknown itself, or inside an unknown parent object). An unknown
// value is never a removal: planned as one, Terraform rejects the plan.
func isSet(raw tftypes.Value, name string) bool {
	v := raw
	for _, step := range strings.Split(name, ".") {
		if !v.IsKnown() {
			return true
		}
		next, ok := rawValue(v, step)
		if !ok {
			return false
		}
		v = next
	}
	return !v.IsKnown() || !v.IsNull()
}

// configuredUserAttrs returns the names of userAttrPaths the configuration
// sets. active always counts: it defaults to true.
func configuredUserAttrs(config tftypes.Value) []string {
	var names []string
	for name := range userAttrPaths {
		if name == "active" || isSet(config, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// scimAttrs turns attribute names into the SCIM paths they write.
func scimAttrs(names []string) scim.Attrs {
	out := scim.Attrs{}
	for _, n := range names {
		for _, p := range userAttrPaths[n] {
			out[p] = true
		}
	}
	return out
}

// union returns the sorted names in either list.
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// withRawValues returns raw with the values at the given attribute names
// replaced by what value returns for them (ok false leaves one as it is).
func withRawValues(raw tftypes.Value, names []string, value func(name string, v tftypes.Value) (tftypes.Value, bool)) (tftypes.Value, error) {
	return tftypes.Transform(raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		for _, name := range names {
			if p.Equal(attrPath(name)) {
				if nv, ok := value(name, v); ok {
					return nv, nil
				}
			}
		}
		return v, nil
	})
}
