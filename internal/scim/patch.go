package scim

import (
	"reflect"
	"strings"
)

// Operation is one PATCH operation (RFC 7644 section 3.5.2). Op is written
// in lower case here; the dialect decides the case on the wire.
type Operation struct {
	Op    string
	Path  string
	Value any
}

// patchBody renders operations with the dialect's op case.
func (d Dialect) patchBody(ops []Operation) map[string]any {
	list := make([]any, 0, len(ops))
	for _, o := range ops {
		m := map[string]any{"op": d.op(o.Op)}
		if o.Path != "" {
			m["path"] = o.Path
		}
		if o.Value != nil {
			m["value"] = o.Value
		}
		list = append(list, m)
	}
	return map[string]any{"schemas": []string{SchemaPatchOp}, "Operations": list}
}

// UserPatch returns the operations that turn from into to: one operation per
// changed attribute, each with an explicit path (the interop profile's
// advice, and what avoids path-less replaces being read as full replaces).
// Multi-valued attributes are replaced whole; cleared values are removed.
func UserPatch(from, to *User) []Operation {
	var ops []Operation
	set := func(path, was, now string) {
		switch {
		case was == now:
		case now == "":
			ops = append(ops, Operation{Op: "remove", Path: path})
		default:
			ops = append(ops, Operation{Op: "replace", Path: path, Value: now})
		}
	}
	fromStrings, toStrings := userStringFields(from), userStringFields(to)
	for i := range fromStrings {
		was, now := *fromStrings[i].ptr, *toStrings[i].ptr
		if fromStrings[i].name == "userName" && strings.EqualFold(was, now) {
			continue // caseExact=false (RFC 7643 section 4.1.1): apps may store another case
		}
		set(fromStrings[i].name, was, now)
	}
	fromName, toName := nameFields(&from.Name), nameFields(&to.Name)
	for i := range fromName {
		set("name."+fromName[i].name, *fromName[i].ptr, *toName[i].ptr)
	}
	if to.Active != nil && from.IsActive() != *to.Active {
		ops = append(ops, Operation{Op: "replace", Path: "active", Value: *to.Active})
	}
	if to.Password != "" {
		ops = append(ops, Operation{Op: "replace", Path: "password", Value: to.Password})
	}
	fromMulti, toMulti := multiValuedFields(from), multiValuedFields(to)
	for i := range fromMulti {
		oldValues, newValues := *fromMulti[i].ptr, *toMulti[i].ptr
		switch {
		case sameMultiValues(oldValues, newValues):
		case len(newValues) == 0:
			ops = append(ops, Operation{Op: "remove", Path: fromMulti[i].name})
		default:
			ops = append(ops, Operation{Op: "replace", Path: fromMulti[i].name, Value: multiValuesJSON(newValues)})
		}
	}
	fromEnt, toEnt := enterpriseFields(&from.Enterprise), enterpriseFields(&to.Enterprise)
	for i := range fromEnt {
		set(SchemaEnterpriseUser+":"+fromEnt[i].name, *fromEnt[i].ptr, *toEnt[i].ptr)
	}
	if from.Enterprise.ManagerID != to.Enterprise.ManagerID {
		if to.Enterprise.ManagerID == "" {
			ops = append(ops, Operation{Op: "remove", Path: SchemaEnterpriseUser + ":manager"})
		} else {
			ops = append(ops, Operation{Op: "replace", Path: SchemaEnterpriseUser + ":manager",
				Value: map[string]any{"value": to.Enterprise.ManagerID}})
		}
	}
	ops = append(ops, extensionPatch(from.Extensions, to.Extensions)...)
	return ops
}

// extensionPatch diffs extension attributes key by key, for the keys the
// caller manages (those in to, plus those it managed before in from).
func extensionPatch(from, to map[string]map[string]any) []Operation {
	var ops []Operation
	urns := map[string]bool{}
	for urn := range from {
		urns[urn] = true
	}
	for urn := range to {
		urns[urn] = true
	}
	for _, urn := range sortedKeys(urns) {
		prefix := urn + ":"
		if strings.EqualFold(urn, SchemaUser) {
			prefix = "" // core attributes are addressed by their bare name
		}
		oldAttrs := from[urn]
		for _, key := range sortedKeys(to[urn]) {
			if !reflect.DeepEqual(normalizeJSON(oldAttrs[key]), normalizeJSON(to[urn][key])) {
				ops = append(ops, Operation{Op: "replace", Path: prefix + key, Value: to[urn][key]})
			}
		}
		for _, key := range sortedKeys(oldAttrs) {
			if _, kept := to[urn][key]; !kept {
				ops = append(ops, Operation{Op: "remove", Path: prefix + key})
			}
		}
	}
	return ops
}

// normalizeJSON makes decoded JSON comparable: numbers as strings whatever
// their Go type.
func normalizeJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalizeJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeJSON(e)
		}
		return out
	case bool, string, nil:
		return t
	default:
		return scalarString(t)
	}
}

// sameMultiValues compares as sets: servers reorder multi-valued attributes,
// and emails compare case-insensitively.
func sameMultiValues(a, b []MultiValue) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
	for _, x := range a {
		found := false
		for j, y := range b {
			if !used[j] && SameMultiValue(x, y) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// SameMultiValue reports whether two values are the same for SCIM: value and
// type compared case-insensitively, display ignored when either side lacks it.
func SameMultiValue(a, b MultiValue) bool {
	return strings.EqualFold(a.Value, b.Value) && strings.EqualFold(a.Type, b.Type) && a.Primary == b.Primary &&
		(a.Display == "" || b.Display == "" || a.Display == b.Display)
}
