package validators

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var nonSpace = regexp.MustCompile(`\S`)

// SchemaURN is the form of a SCIM schema URN, for map keys of extensions.
var SchemaURN = regexp.MustCompile(`(?i)^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$`)

// NotBlank rejects empty strings and strings of only whitespace: a user
// name or an id of spaces would look set but match nothing.
func NotBlank() validator.String {
	return stringvalidator.RegexMatches(nonSpace, "must contain a non-space character")
}

// MemberIDs requires every element to be a SCIM id (of a user or group),
// never blank.
func MemberIDs() validator.List {
	return listvalidator.ValueStringsAre(stringvalidator.RegexMatches(nonSpace,
		"must be the SCIM id of a user or group, such as scim_user.alice.id, not blank"))
}
