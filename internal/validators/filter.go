package validators

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	filterparser "github.com/scim2/filter-parser/v2"
)

// SCIMFilter checks a SCIM filter's syntax (RFC 7644 section 3.4.2.2)
// before any request is sent, with the parser the Go SCIM servers use.
// Apps also accept a sub-attribute after a value path (emails[type eq
// "work"].value eq "x", as Entra ID sends it), which the RFC grammar lacks;
// that form is accepted too.
func SCIMFilter() validator.String { return scimFilter{} }

type scimFilter struct{}

var subAttributeAfterValuePath = regexp.MustCompile(`([A-Za-z][A-Za-z0-9:._$-]*)\[([^\]]*)\]\.([A-Za-z][A-Za-z0-9_$-]*)`)

func (scimFilter) Description(context.Context) string {
	return `must be a SCIM filter such as active eq true or userName sw "a" (RFC 7644 section 3.4.2.2)`
}

func (v scimFilter) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (scimFilter) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := CheckSCIMFilter(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid SCIM filter",
			fmt.Sprintf("%q is not a SCIM filter: %v.\n\nCheck the quotes and parentheses. Write attribute, operator and value, with string values in "+
				`double quotes: userName eq "alice@example.com", active eq true, `+
				`userName sw "a" and active eq true (RFC 7644 section 3.4.2.2).`, req.ConfigValue.ValueString(), err))
	}
}

// CheckSCIMFilter returns why f is not a SCIM filter, or nil.
func CheckSCIMFilter(f string) error {
	if strings.TrimSpace(f) == "" {
		return errors.New("it is empty")
	}
	if _, err := filterparser.ParseFilter([]byte(f)); err == nil || subAttributeForm(f) {
		return nil
	}
	// The parser's messages name its internal states and the position
	// where it backtracked to, which mislead more than help.
	return errors.New("its syntax is not valid")
}

// subAttributeForm accepts attr[valFilter].sub op value: each value filter
// must parse, and the rest must parse with attr.sub in its place.
func subAttributeForm(f string) bool {
	matches := subAttributeAfterValuePath.FindAllStringSubmatch(f, -1)
	if matches == nil {
		return false
	}
	for _, m := range matches {
		if _, err := filterparser.ParseFilter([]byte(m[2])); err != nil {
			return false
		}
	}
	_, err := filterparser.ParseFilter([]byte(subAttributeAfterValuePath.ReplaceAllString(f, "$1.$3")))
	return err == nil
}
