package scimtest

import "strings"

const coreUserURN = "urn:ietf:params:scim:schemas:core:2.0:User"
const coreGroupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"

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

// dottedFold reads a sub-attribute path such as "name.givenName".
func dottedFold(m map[string]any, path string) any {
	var v any = m
	for _, step := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = getFold(obj, step)
	}
	return v
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

// container returns the object that holds attributes of schema uri: the
// resource itself for core schemas, the extension object otherwise
// (created when create is true).
func container(doc map[string]any, uri string, create bool) map[string]any {
	if uri == "" || strings.EqualFold(uri, coreUserURN) || strings.EqualFold(uri, coreGroupURN) {
		return doc
	}
	if m, ok := getFold(doc, uri).(map[string]any); ok {
		return m
	}
	if !create {
		return nil
	}
	m := map[string]any{}
	doc[uri] = m
	addSchema(doc, uri)
	return m
}

func addSchema(doc map[string]any, uri string) {
	list := asList(doc["schemas"])
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, uri) {
			return
		}
	}
	doc["schemas"] = append(list, uri)
}

func lookup(doc map[string]any, uri, name string) any {
	c := container(doc, uri, false)
	if c == nil {
		return nil
	}
	return getFold(c, name)
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}

// deepCopy copies decoded JSON so callers never share maps with the store.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

func copyDoc(doc map[string]any) map[string]any {
	out, _ := deepCopy(doc).(map[string]any)
	return out
}
