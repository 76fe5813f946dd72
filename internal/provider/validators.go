package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	scimfilter "github.com/scim2/filter-parser/v2"
)

// durationValidator accepts Go durations greater than zero (or zero, with
// allowZero), and at most max when max is set. terraform-plugin-framework-
// validators has no duration validator; the timetypes module's GoDuration
// would change the attribute's type for users of the provider block.
type durationValidator struct {
	allowZero bool
	max       time.Duration
}

func (v durationValidator) Description(context.Context) string {
	desc := "must be a positive Go duration such as 30s or 2m"
	if v.allowZero {
		desc = "must be a Go duration such as 0s, 30s or 2m"
	}
	if v.max > 0 {
		desc += ", at most " + v.max.String()
	}
	return desc
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < 0 || (d == 0 && !v.allowZero) || (v.max > 0 && d > v.max) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

var urnPattern = regexp.MustCompile(`(?i)^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$`)

// notBlank rejects empty strings and strings of only whitespace (a user
// name or an id of spaces would look set but match nothing).
func notBlank() validator.String {
	return stringvalidator.RegexMatches(nonSpace, "must contain a non-space character")
}

var nonSpace = regexp.MustCompile(`\S`)

// atMostOnePrimary enforces RFC 7643 section 2.4: "primary" is true for at most one value.
type atMostOnePrimary struct{}

func (atMostOnePrimary) Description(context.Context) string {
	return "at most one value may have primary = true"
}
func (v atMostOnePrimary) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v atMostOnePrimary) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	// A value listed twice is one value (the list is a set in meaning).
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
			fmt.Sprintf("%d values have primary = true, but %s (RFC 7643 section 2.4). Keep primary = true on one of them.", len(primaries), v.Description(ctx)))
	}
}

// jsonObjectValues requires every map value to be a JSON object.
type jsonObjectValues struct{}

func (jsonObjectValues) Description(context.Context) string {
	return "each value must be a JSON object, such as jsonencode({ team = \"blue\" })"
}
func (v jsonObjectValues) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v jsonObjectValues) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
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
			if typed, ok := typedAttributeFor(key, attr); ok {
				resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(key), "Attribute belongs to a typed argument",
					fmt.Sprintf("%q in %s is managed by the %s argument; set it there instead of in extensions.", attr, key, typed))
			}
		}
	}
}

func shorten(s string) string {
	if len(s) > 60 {
		return strconv.Quote(s[:60]) + "…"
	}
	return strconv.Quote(s)
}

// memberIDsValid checks every member id: the SCIM id of a user or group, never blank.
func memberIDsValid() validator.List {
	return listvalidator.ValueStringsAre(stringvalidator.RegexMatches(nonSpace,
		"must be the SCIM id of a user or group, such as scim_user.alice.id, not blank"))
}

// typedAttributes maps the lower-cased SCIM attributes scim_user has typed
// arguments for, per schema, to those arguments.
var typedAttributes = map[string]map[string]string{
	"urn:ietf:params:scim:schemas:core:2.0:user": {
		"username": "user_name", "externalid": "external_id", "displayname": "display_name", "nickname": "nick_name",
		"profileurl": "profile_url", "title": "title", "usertype": "user_type", "preferredlanguage": "preferred_language",
		"locale": "locale", "timezone": "timezone", "active": "active", "name": "name", "emails": "emails",
		"phonenumbers": "phone_numbers", "roles": "roles", "entitlements": "entitlements", "password": "password_wo",
		"id": "id", "schemas": "(none: managed by the provider)", "meta": "(none: read-only)",
	},
	"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": {
		"employeenumber": "enterprise.employee_number", "costcenter": "enterprise.cost_center",
		"organization": "enterprise.organization", "division": "enterprise.division",
		"department": "enterprise.department", "manager": "enterprise.manager_id",
	},
}

func typedAttributeFor(urn, attr string) (string, bool) {
	typed, ok := typedAttributes[strings.ToLower(urn)][strings.ToLower(attr)]
	return typed, ok
}

// scimFilterValidator checks a SCIM filter's syntax (RFC 7644 section
// 3.4.2.2) before any request is sent, with the parser the Go SCIM servers
// use. Apps also accept a sub-attribute after a value path
// (emails[type eq "work"].value eq "x", as Entra ID sends it), which the RFC
// grammar lacks; that form is accepted too.
type scimFilterValidator struct{}

var subAttributeAfterValuePath = regexp.MustCompile(`([A-Za-z][A-Za-z0-9:._$-]*)\[([^\]]*)\]\.([A-Za-z][A-Za-z0-9_$-]*)`)

func (scimFilterValidator) Description(context.Context) string {
	return `must be a SCIM filter such as active eq true or userName sw "a" (RFC 7644 section 3.4.2.2)`
}

func (v scimFilterValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (scimFilterValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkSCIMFilter(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid SCIM filter",
			fmt.Sprintf("%q is not a SCIM filter: %v.\n\nCheck the quotes and parentheses. Write attribute, operator and value, with string values in "+
				`double quotes: userName eq "alice@example.com", active eq true, `+
				`userName sw "a" and active eq true (RFC 7644 section 3.4.2.2).`, req.ConfigValue.ValueString(), err))
	}
}

func checkSCIMFilter(f string) error {
	if strings.TrimSpace(f) == "" {
		return fmt.Errorf("it is empty")
	}
	_, err := scimfilter.ParseFilter([]byte(f))
	if err == nil {
		return nil
	}
	if checkSubAttributeForm(f) {
		return nil
	}
	// The parser's messages name its internal states and the position
	// where it backtracked to, which mislead more than help.
	return fmt.Errorf("its syntax is not valid")
}

// checkSubAttributeForm accepts attr[valFilter].sub op value: each value
// filter must parse, and the rest must parse with attr.sub in its place.
func checkSubAttributeForm(f string) bool {
	matches := subAttributeAfterValuePath.FindAllStringSubmatch(f, -1)
	if matches == nil {
		return false
	}
	for _, m := range matches {
		if _, err := scimfilter.ParseFilter([]byte(m[2])); err != nil {
			return false
		}
	}
	_, err := scimfilter.ParseFilter([]byte(subAttributeAfterValuePath.ReplaceAllString(f, "$1.$3")))
	return err == nil
}
