package scimtest

import (
	filter "github.com/scim2/filter-parser/v2"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimfilter"
)

// matches evaluates a parsed filter against a resource as a server does.
func matches(doc map[string]any, expr filter.Expression, caseSensitiveFilters bool) (bool, error) {
	return scimfilter.Match(doc, expr, caseSensitiveFilters)
}
