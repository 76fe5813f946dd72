package scimtest

import (
	"strings"
)

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

// container returns the object that holds attributes of schema uri: the
// resource itself for core schemas, the extension object otherwise
// (created when create is true).
func container(doc map[string]any, uri string, create bool) map[string]any {
	if isCoreSchema(uri) {
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
