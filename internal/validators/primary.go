package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// AtMostOnePrimary enforces RFC 7643 section 2.4 on a list of objects with
// a "primary" attribute: primary is true for at most one value. A value
// listed twice is one value (the lists are sets in meaning).
func AtMostOnePrimary() validator.List { return atMostOnePrimary{} }

type atMostOnePrimary struct{}

func (atMostOnePrimary) Description(context.Context) string {
	return "at most one value may have primary = true"
}

func (v atMostOnePrimary) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v atMostOnePrimary) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	primaries := map[string]bool{}
	for _, elem := range req.ConfigValue.Elements() {
		obj, ok := elem.(types.Object)
		if !ok || obj.IsUnknown() {
			continue
		}
		if p, ok := obj.Attributes()["primary"].(types.Bool); ok && p.ValueBool() {
			primaries[obj.String()] = true
		}
	}
	if len(primaries) > 1 {
		resp.Diagnostics.AddAttributeError(req.Path, "More than one primary value",
			fmt.Sprintf("%d values have primary = true, but %s (RFC 7643 section 2.4). Keep primary = true on one of them.",
				len(primaries), v.Description(ctx)))
	}
}
