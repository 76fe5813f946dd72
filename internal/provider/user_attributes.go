package provider

import (
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// userAttribute describes one SCIM attribute that a scim_user argument
// writes, once: everything else about user attributes (which SCIM paths a
// managed argument writes, its code in private state, which keys of
// extensions belong to a typed argument, the schema of the plain string
// arguments) is read from userAttributes.
type userAttribute struct {
	// argument is the scim_user argument, by its path ("name.given_name").
	argument string
	// path is the SCIM attribute path it writes ("name.givenName", or an
	// extension attribute as "urn:...:User:department").
	path string
	// managedAs is the argument whose setting makes this path managed:
	// name parts are managed together as "name", the enterprise attributes
	// as "enterprise". Empty: the argument itself.
	managedAs string
	// code stands for managedAs (or argument) in private state (the names
	// managed at the last apply). Stored in state: never change or reuse one.
	code byte
	// description makes the schema of a plain optional string argument
	// (appStringAttribute); empty for the arguments with schemas of their own.
	description string
	// multiValued: a list of values, of which a dialect may take only one
	// (single_valued).
	multiValued bool
}

var userAttributes = []userAttribute{
	{argument: "user_name", path: "userName", code: 'U'},
	{argument: "external_id", path: "externalId", code: 'x', description: "Identifier of the user in the provisioning system (SCIM `externalId`)."},
	{argument: "display_name", path: "displayName", code: 'd'},
	{argument: "nick_name", path: "nickName", code: 'k', description: "Casual name (SCIM `nickName`)."},
	{argument: "profile_url", path: "profileUrl", code: 'u', description: "URL of the user's profile (SCIM `profileUrl`)."},
	{argument: "title", path: "title", code: 't', description: "Job title (SCIM `title`)."},
	{argument: "user_type", path: "userType", code: 'y', description: "Relationship to the organisation, such as `Employee` (SCIM `userType`)."},
	{argument: "preferred_language", path: "preferredLanguage", code: 'g', description: "Preferred language, such as `en-US` (SCIM `preferredLanguage`)."},
	{argument: "locale", path: "locale", code: 'l', description: "Locale for formatting, such as `en-US` (SCIM `locale`)."},
	{argument: "timezone", path: "timezone", code: 'z', description: "Time zone in IANA form, such as `Europe/Paris` (SCIM `timezone`)."},
	{argument: "active", path: "active", code: 'a'},
	{argument: "name.given_name", path: "name.givenName", managedAs: "name", code: 'N'},
	{argument: "name.family_name", path: "name.familyName", managedAs: "name", code: 'N'},
	{argument: "name.middle_name", path: "name.middleName", managedAs: "name", code: 'N'},
	{argument: "name.honorific_prefix", path: "name.honorificPrefix", managedAs: "name", code: 'N'},
	{argument: "name.honorific_suffix", path: "name.honorificSuffix", managedAs: "name", code: 'N'},
	// Apps derive name.formatted; it is managed apart from the other parts.
	{argument: "name.formatted", path: "name.formatted", code: 'F'},
	{argument: "emails", path: "emails", code: 'e', multiValued: true},
	{argument: "phone_numbers", path: "phoneNumbers", code: 'p', multiValued: true},
	{argument: "roles", path: "roles", code: 'r', multiValued: true},
	{argument: "entitlements", path: "entitlements", code: 'n', multiValued: true},
	{argument: "enterprise.employee_number", path: scim.SchemaEnterpriseUser + ":employeeNumber", managedAs: "enterprise", code: 'E'},
	{argument: "enterprise.cost_center", path: scim.SchemaEnterpriseUser + ":costCenter", managedAs: "enterprise", code: 'E'},
	{argument: "enterprise.organization", path: scim.SchemaEnterpriseUser + ":organization", managedAs: "enterprise", code: 'E'},
	{argument: "enterprise.division", path: scim.SchemaEnterpriseUser + ":division", managedAs: "enterprise", code: 'E'},
	{argument: "enterprise.department", path: scim.SchemaEnterpriseUser + ":department", managedAs: "enterprise", code: 'E'},
	{argument: "enterprise.manager_id", path: scim.SchemaEnterpriseUser + ":manager", managedAs: "enterprise", code: 'E'},
}

// managedName is the name under which the configuration manages a: the
// argument, or the group of arguments managed together.
func (a userAttribute) managedName() string {
	if a.managedAs != "" {
		return a.managedAs
	}
	return a.argument
}

// userAttrPaths maps each managed name ("name", "emails") to the SCIM
// paths it writes; managedCodes maps it to its code in private state.
var userAttrPaths, managedCodes = func() (map[string][]string, map[string]byte) {
	paths, codes := map[string][]string{}, map[string]byte{}
	for _, a := range userAttributes {
		paths[a.managedName()] = append(paths[a.managedName()], a.path)
		codes[a.managedName()] = a.code
	}
	return paths, codes
}()

// typedAttributes maps the lower-cased SCIM attributes, per lower-cased
// schema, that scim_user has typed arguments for to those arguments: such
// an attribute in extensions would be written twice.
var typedAttributes = func() map[string]map[string]string {
	core, enterprise := strings.ToLower(scim.SchemaUser), strings.ToLower(scim.SchemaEnterpriseUser)
	typed := map[string]map[string]string{
		core:       {"password": "password_wo", "id": "id", "schemas": "(none: managed by the provider)", "meta": "(none: read-only)"},
		enterprise: {},
	}
	for _, a := range userAttributes {
		if attr, ok := strings.CutPrefix(a.path, scim.SchemaEnterpriseUser+":"); ok {
			typed[enterprise][strings.ToLower(attr)] = a.argument
			continue
		}
		top, _, nested := strings.Cut(a.path, ".")
		argument, _, _ := strings.Cut(a.argument, ".")
		if !nested || typed[core][strings.ToLower(top)] == "" {
			typed[core][strings.ToLower(top)] = argument
		}
	}
	return typed
}()

// argumentFor returns the scim_user argument that writes the SCIM path
// ("name.given_name" for "name.givenName"), or "" for none.
func argumentFor(scimPath string) string {
	for _, a := range userAttributes {
		if strings.EqualFold(a.path, scimPath) {
			return a.argument
		}
	}
	return ""
}

// multiValuedUserPaths are the SCIM paths of the multi-valued attributes
// scim_user sets, which a dialect may mark single-valued.
var multiValuedUserPaths = func() []string {
	var paths []string
	for _, a := range userAttributes {
		if a.multiValued {
			paths = append(paths, a.path)
		}
	}
	return paths
}()

func typedAttributeFor(urn, attr string) (string, bool) {
	typed, ok := typedAttributes[strings.ToLower(urn)][strings.ToLower(attr)]
	return typed, ok
}
