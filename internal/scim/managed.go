package scim

import (
	"fmt"
	"sort"
	"strings"
)

// Attrs is a set of user attribute paths a caller manages, spelled as in
// SCIM PATCH paths: "title", "name.givenName", "emails",
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department".
// Extension attributes of the extensions map are always managed by key: the
// keys a caller gives are the ones it manages. A nil Attrs manages every
// typed attribute.
type Attrs map[string]bool

// has reports whether path is managed, matching case-insensitively.
func (a Attrs) has(path string) bool {
	if a == nil {
		return true
	}
	if a[path] {
		return true
	}
	for k, v := range a {
		if v && strings.EqualFold(k, path) {
			return true
		}
	}
	return false
}

// enterprisePath is the PATCH path of an enterprise extension attribute.
func enterprisePath(name string) string { return SchemaEnterpriseUser + ":" + name }

// SetAttrs returns the paths u gives a value to: what a create request
// manages, since an attribute it leaves out is the app's to fill in.
func SetAttrs(u *User) Attrs {
	a := Attrs{}
	for _, f := range userStringFields(u) {
		if *f.ptr != "" {
			a[f.name] = true
		}
	}
	for _, f := range nameFields(&u.Name) {
		if *f.ptr != "" {
			a["name."+f.name] = true
		}
	}
	if u.Active != nil {
		a["active"] = true
	}
	for _, f := range multiValuedFields(u) {
		if len(*f.ptr) > 0 {
			a[f.name] = true
		}
	}
	for _, f := range enterpriseFields(&u.Enterprise) {
		if *f.ptr != "" {
			a[enterprisePath(f.name)] = true
		}
	}
	if u.Enterprise.ManagerID != "" {
		a[enterprisePath("manager")] = true
	}
	return a
}

// Overlay returns a copy of base in which the attributes of managed take
// want's values (an empty value meaning "absent") and every other attribute
// keeps base's. Extensions are want's, by key. The result is what a write
// aims for when it must leave what the caller does not manage alone.
func Overlay(base, want *User, managed Attrs) *User {
	out := *base
	outStrings, wantStrings := userStringFields(&out), userStringFields(want)
	for i := range outStrings {
		if managed.has(outStrings[i].name) {
			*outStrings[i].ptr = *wantStrings[i].ptr
		}
	}
	outName, wantName := nameFields(&out.Name), nameFields(&want.Name)
	for i := range outName {
		if managed.has("name." + outName[i].name) {
			*outName[i].ptr = *wantName[i].ptr
		}
	}
	if managed.has("active") {
		out.Active = want.Active
	}
	out.Password = want.Password
	outMulti, wantMulti := multiValuedFields(&out), multiValuedFields(want)
	for i := range outMulti {
		if managed.has(outMulti[i].name) {
			*outMulti[i].ptr = *wantMulti[i].ptr
		}
	}
	outEnt, wantEnt := enterpriseFields(&out.Enterprise), enterpriseFields(&want.Enterprise)
	for i := range outEnt {
		if managed.has(enterprisePath(outEnt[i].name)) {
			*outEnt[i].ptr = *wantEnt[i].ptr
		}
	}
	if managed.has(enterprisePath("manager")) {
		out.Enterprise.ManagerID = want.Enterprise.ManagerID
	}
	out.Extensions = want.Extensions
	return &out
}

// projectedOnto returns u with its extensions restricted to the URNs and
// keys want gives: a server's user, made comparable with what a caller
// manages.
func (u *User) projectedOnto(want *User) *User {
	out := *u
	out.Extensions = ProjectExtensions(u.Extensions, want.Extensions)
	return &out
}

// pendingOps returns the operations still needed for stored (a user as the
// app holds it) to carry want's managed attributes. No password: SCIM never
// returns one, so it can never be compared.
func pendingOps(stored, want *User, managed Attrs) []Operation {
	from := stored.projectedOnto(want)
	target := Overlay(from, want, managed)
	target.Password = ""
	return UserPatch(from, target)
}

// opRank orders the operations of one write so that the values an app
// derives come after their sources: name parts, then name.formatted (often
// composed from them), then displayName (often derived from the name).
// Sent the other way round, an app that derives values would overwrite the
// configured ones.
func opRank(path string) int {
	switch strings.ToLower(path) {
	case "name.formatted":
		return 1
	case "displayname":
		return 2
	}
	return 0
}

// reassertDerived adds, after a change of name parts, the managed values
// apps derive from them (name.formatted, displayName), even when unchanged:
// sent after their sources in the same request, they survive the app's
// recomputation instead of needing a second write.
func reassertDerived(ops []Operation, target *User, managed Attrs) []Operation {
	touchesName, present := false, map[string]bool{}
	for _, o := range ops {
		p := strings.ToLower(o.Path)
		present[p] = true
		touchesName = touchesName || (strings.HasPrefix(p, "name.") && p != "name.formatted")
	}
	if !touchesName {
		return ops
	}
	for _, d := range []struct{ path, value string }{{"name.formatted", target.Name.Formatted}, {"displayName", target.DisplayName}} {
		if d.value != "" && managed.has(d.path) && !present[strings.ToLower(d.path)] {
			ops = append(ops, Operation{Op: "replace", Path: d.path, Value: d.value})
		}
	}
	return ops
}

func orderOps(ops []Operation) []Operation {
	sort.SliceStable(ops, func(i, j int) bool { return opRank(ops[i].Path) < opRank(ops[j].Path) })
	return ops
}

// Mismatch is one attribute the app did not store as sent.
type Mismatch struct {
	Path   string
	Sent   any
	Stored any
}

// MismatchError reports attributes that still differ from what was sent
// after the write and one re-send: the app derives or normalises them.
// User is the user as the app holds it.
type MismatchError struct {
	User       *User
	Mismatches []Mismatch
}

func (e *MismatchError) Error() string {
	parts := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		parts[i] = fmt.Sprintf("%s: sent %s, the app stored %s", m.Path, DescribeValue(m.Sent), DescribeValue(m.Stored))
	}
	return "the app stored other values than the ones sent (" + strings.Join(parts, "; ") + ")"
}

// mismatches describes the remaining operations as sent-versus-stored pairs.
func mismatches(stored *User, ops []Operation) []Mismatch {
	values := attrValues(stored)
	out := make([]Mismatch, 0, len(ops))
	for _, o := range ops {
		var sent any
		if o.Op != "remove" {
			sent = o.Value
		}
		out = append(out, Mismatch{Path: o.Path, Sent: sent, Stored: values[strings.ToLower(o.Path)]})
	}
	return out
}

// attrValues maps every lower-cased attribute path of u to its value, as
// UserPatch would send it.
func attrValues(u *User) map[string]any {
	v := map[string]any{}
	put := func(path string, value any) {
		if s, ok := value.(string); ok && s == "" {
			return
		}
		v[strings.ToLower(path)] = value
	}
	for _, f := range userStringFields(u) {
		put(f.name, *f.ptr)
	}
	for _, f := range nameFields(&u.Name) {
		put("name."+f.name, *f.ptr)
	}
	v["active"] = u.IsActive()
	for _, f := range multiValuedFields(u) {
		if len(*f.ptr) > 0 {
			v[strings.ToLower(f.name)] = multiValuesJSON(*f.ptr)
		}
	}
	for _, f := range enterpriseFields(&u.Enterprise) {
		put(enterprisePath(f.name), *f.ptr)
	}
	if u.Enterprise.ManagerID != "" {
		v[strings.ToLower(enterprisePath("manager"))] = map[string]any{"value": u.Enterprise.ManagerID}
	}
	for urn, attrs := range u.Extensions {
		prefix := urn + ":"
		if strings.EqualFold(urn, SchemaUser) {
			prefix = ""
		}
		for k, val := range attrs {
			v[strings.ToLower(prefix+k)] = val
		}
	}
	return v
}

// DescribeValue renders a value for a message: strings quoted, lists of
// multi-values as their values, nothing as "nothing".
func DescribeValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("%q", t)
	case []any:
		items := make([]string, 0, len(t))
		for _, item := range t {
			if m, ok := item.(map[string]any); ok {
				items = append(items, DescribeValue(m["value"]))
			} else {
				items = append(items, DescribeValue(item))
			}
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]any:
		if value, ok := t["value"]; ok && len(t) == 1 {
			return DescribeValue(value)
		}
	}
	return fmt.Sprintf("%v", v)
}

// ProjectExtensions returns the extension attributes of values restricted to
// the URNs and keys of shape (matched case-insensitively); callers use it to
// compare only the attributes they manage.
func ProjectExtensions(values, shape map[string]map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for urn, keys := range shape {
		src := lookupFold(values, urn)
		m := map[string]any{}
		for k := range keys {
			if v, ok := jsonObject(src).get(k); ok {
				m[k] = v
			}
		}
		out[urn] = m
	}
	return out
}

func lookupFold(m map[string]map[string]any, key string) map[string]any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if equalFold(k, key) {
			return v
		}
	}
	return nil
}
