package scimfilter

import (
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimjson"
)

// lookup reads attribute name of schema uri; it also looks in extensions for a name written without its schema, as apps
// resolve "department" to the enterprise extension's.
func (e evaluator) lookup(doc map[string]any, uri, name string) any {
	if scimjson.IsCoreSchema(uri) {
		v := scimjson.Value(doc, name)
		if v != nil || uri != "" {
			return v
		}
		for k, ext := range doc {
			if m, ok := ext.(map[string]any); ok && strings.HasPrefix(strings.ToLower(k), "urn:") {
				if v := scimjson.Value(m, name); v != nil {
					return v
				}
			}
		}
		return nil
	}
	if m, ok := scimjson.Value(doc, uri).(map[string]any); ok {
		return scimjson.Value(m, name)
	}
	return nil
}
