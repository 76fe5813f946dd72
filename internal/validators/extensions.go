package validators

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// TypedArgument names the typed argument that manages attr of the schema
// urn, if any (for example "title" of the core user schema is the title
// argument).
type TypedArgument func(urn, attr string) (argument string, ok bool)

// ExtensionObjects requires every value of a map of schema URN to JSON to
// be a JSON object, none of whose attributes has a typed argument of its
// own: an attribute written both ways would be written twice.
func ExtensionObjects(typed TypedArgument) validator.Map { return extensionObjects{typed: typed} }

type extensionObjects struct{ typed TypedArgument }

func (extensionObjects) Description(context.Context) string {
	return "each value must be a JSON object, such as jsonencode({ team = \"blue\" })"
}

func (v extensionObjects) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v extensionObjects) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for key, elem := range req.ConfigValue.Elements() {
		s, ok := elem.(jsontypes.Normalized)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(s.ValueString()), &obj); err != nil || obj == nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Extension value is not a JSON object",
				fmt.Sprintf("The value for %q is %s, but %s.", key, shorten(s.ValueString()), v.Description(ctx)))
			continue
		}
		for attr := range obj {
			if argument, ok := v.typed(key, attr); ok {
				resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Attribute belongs to a typed argument",
					fmt.Sprintf("%q in %s is managed by the %s argument; set it there instead of in extensions.", attr, key, argument))
			}
		}
	}
}

// shorten quotes s, cut to 60 bytes: a diagnostic shows what was wrong,
// not a whole document.
func shorten(s string) string {
	if len(s) > 60 {
		return strconv.Quote(s[:60]) + "…"
	}
	return strconv.Quote(s)
}
