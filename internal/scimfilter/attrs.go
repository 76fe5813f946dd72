package scimfilter

import "strings"

const (
	coreUserURN  = "urn:ietf:params:scim:schemas:core:2.0:User"
	coreGroupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"
)

// GetFold reads a key case-insensitively (RFC 7643 section 2.1).
func GetFold(m map[string]any, name string) any {
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

// IsCoreSchema reports whether uri names no schema or a core one, whose
// attributes sit at the top of the resource rather than in an extension.
func IsCoreSchema(uri string) bool {
	return uri == "" || strings.EqualFold(uri, coreUserURN) || strings.EqualFold(uri, coreGroupURN)
}

// lookup reads attribute name of schema uri. The lenient evaluator also
// looks in extensions for a name written without its schema, as apps
// resolve "department" to the enterprise extension's.
func (e evaluator) lookup(doc map[string]any, uri, name string) any {
	if IsCoreSchema(uri) {
		v := GetFold(doc, name)
		if v != nil || !e.lenient || uri != "" {
			return v
		}
		for k, ext := range doc {
			if m, ok := ext.(map[string]any); ok && strings.HasPrefix(strings.ToLower(k), "urn:") {
				if v := GetFold(m, name); v != nil {
					return v
				}
			}
		}
		return nil
	}
	if m, ok := GetFold(doc, uri).(map[string]any); ok {
		return GetFold(m, name)
	}
	return nil
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}
