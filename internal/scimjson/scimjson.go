// Package scimjson reads and writes decoded SCIM resources (JSON objects
// as encoding/json decodes them into map[string]any) the way RFC 7643
// section 2.1 asks: attribute names without case, core attributes at the
// top of the resource and extension attributes under their schema URN.
//
// It is the one home of these rules for the client, the client's filter
// check (scimfilter) and the local test server (scimtest). What each does
// with the values (how a filter compares them, what the server stores)
// stays in its own package, so that the test server remains a second
// opinion on the client's logic rather than a copy of it.
package scimjson

import (
	"fmt"
	"strconv"
	"strings"
)

// The core schemas, whose attributes sit at the top of a resource.
const (
	CoreUser  = "urn:ietf:params:scim:schemas:core:2.0:User"
	CoreGroup = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

// Get reads attribute name of m without case; ok is false when m has none.
func Get(m map[string]any, name string) (v any, ok bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// Value is Get without the ok: nil for a missing attribute.
func Value(m map[string]any, name string) any {
	v, _ := Get(m, name)
	return v
}

// Key is the spelling m stores attribute name under, or name when m has
// none, so that a write replaces the app's key instead of adding a second.
func Key(m map[string]any, name string) string {
	if _, ok := m[name]; ok {
		return name
	}
	for k := range m {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// IsCoreSchema reports whether uri names no schema or a core one.
func IsCoreSchema(uri string) bool {
	return uri == "" || strings.EqualFold(uri, CoreUser) || strings.EqualFold(uri, CoreGroup)
}

// List is v as a JSON array, nil for anything else.
func List(v any) []any {
	l, _ := v.([]any)
	return l
}

// Bool reads a boolean, also written as a string ("true", "False") as some
// apps send it.
func Bool(v any) (value, ok bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		b, err := strconv.ParseBool(strings.ToLower(t))
		return b, err == nil
	}
	return false, false
}

// Number reads a number, also written as a string.
func Number(v any) (float64, bool) {
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f, err == nil
}

// Values is every value an attribute holds, for a filter to compare:
// v itself for a single value; each item's "value" for a multi-valued
// attribute (emails yields each address); with sub, that sub-attribute of
// a complex attribute (name.givenName) or of each item (emails.type).
func Values(v any, sub *string) []any {
	if sub == nil {
		l, ok := v.([]any)
		if !ok {
			return []any{v}
		}
		var out []any
		for _, item := range l {
			if m, ok := item.(map[string]any); ok {
				out = append(out, Value(m, "value"))
			} else {
				out = append(out, item)
			}
		}
		return out
	}
	if m, ok := v.(map[string]any); ok {
		return []any{Value(m, *sub)}
	}
	var out []any
	for _, item := range List(v) {
		if m, ok := item.(map[string]any); ok {
			out = append(out, Value(m, *sub))
		}
	}
	return out
}
