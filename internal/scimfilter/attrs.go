package scimfilter

import "strings"

const (
	coreUserURN  = "urn:ietf:params:scim:schemas:core:2.0:User"
	coreGroupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

// getFold reads a key case-insensitively (RFC 7643 section 2.1).
func getFold(m map[string]any, name string) any {
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// isCoreSchema reports whether uri names no schema or a core one, whose
// attributes sit at the top of the resource rather than in an extension.
func isCoreSchema(uri string) bool {
	return uri == "" || strings.EqualFold(uri, coreUserURN) || strings.EqualFold(uri, coreGroupURN)
}

// lookup reads attribute name of schema uri; it also looks in extensions for a name written without its schema, as apps
// resolve "department" to the enterprise extension's.
func (e evaluator) lookup(doc map[string]any, uri, name string) any {
	if isCoreSchema(uri) {
		v := getFold(doc, name)
		if v != nil || uri != "" {
			return v
		}
		for k, ext := range doc {
			if m, ok := ext.(map[string]any); ok && strings.HasPrefix(strings.ToLower(k), "urn:") {
				if v := getFold(m, name); v != nil {
					return v
				}
			}
		}
		return nil
	}
	if m, ok := getFold(doc, uri).(map[string]any); ok {
		return getFold(m, name)
	}
	return nil
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}
