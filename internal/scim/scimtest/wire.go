package scimtest

import (
	"fmt"
	"strconv"
	"strings"
)

// The server reads the wire format with helpers of its own, never the
// client's (internal/scimjson): a mistake shared with the client could not
// show in a test.

const (
	coreUserURN  = "urn:ietf:params:scim:schemas:core:2.0:User"
	coreGroupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

// getFold reads a key without case (RFC 7643 section 2.1), the exact
// spelling first.
func getFold(m map[string]any, name string) any {
	return m[keyFold(m, name)]
}

// keyFold returns the stored spelling of a key, or name when absent.
func keyFold(m map[string]any, name string) string {
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

func isCoreSchema(uri string) bool {
	return uri == "" || strings.EqualFold(uri, coreUserURN) || strings.EqualFold(uri, coreGroupURN)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// toBool reads true/false, also sent as a string.
func toBool(v any) (bool, bool) {
	if s, ok := v.(string); ok {
		b, err := strconv.ParseBool(strings.ToLower(s))
		return b, err == nil
	}
	b, ok := v.(bool)
	return b, ok
}

func number(v any) (float64, bool) {
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f, err == nil
}

// valuesAt is every value a filter's attribute path reaches in doc:
// each item of a multi-valued attribute (its "value", or the
// sub-attribute named), or the sub-attribute of a complex one.
func valuesAt(v any, sub *string) []any {
	key := "value"
	if sub != nil {
		key = *sub
		if m, ok := v.(map[string]any); ok {
			return []any{getFold(m, key)}
		}
	}
	items, multi := v.([]any)
	if !multi {
		if sub != nil {
			return nil
		}
		return []any{v}
	}
	out := make([]any, 0, len(items))
	for _, item := range items {
		m, ok := item.(map[string]any)
		switch {
		case ok:
			out = append(out, getFold(m, key))
		case sub == nil:
			out = append(out, item)
		}
	}
	return out
}
