package scimtest

import "time"

// Quirks switch on the misbehaviours of real SCIM servers, each one seen
// in a public bug report or vendor document (the SCIM compatibility guide,
// docs/guides/scim-compatibility.md, lists how the provider copes). The
// zero value is a conforming RFC 7644 server.
type Quirks struct {
	// OpCase: "" accepts any case; "lower" rejects capitalized ops;
	// "capitalized" rejects lower-case ops (as an Entra-only server might).
	OpCase string
	// PatchResponse: "" (200 with the resource), "204" (no body) or
	// "200_stale" (200 with the resource as it was before the PATCH).
	PatchResponse string
	// NoPatch answers PATCH with 405; NoPut answers PUT with an HTML 404
	// (as Google does); NoDelete answers DELETE of users with 405.
	NoPatch, NoPut, NoDelete bool
	// NoGroups makes /Groups an unknown endpoint (404).
	NoGroups bool
	// PathlessReplaceWipes makes a PATCH replace without path replace the
	// whole resource (ssoready#206).
	PathlessReplaceWipes bool
	// FilterMode: "" evaluates filters; "ignore" returns everything;
	// "username_only" rejects filters on anything but userName; "eq_only"
	// rejects every operator but eq and "and" with 400 invalidFilter (AWS
	// IAM Identity Center: "Only eq with and").
	FilterMode string
	// PatchRefusesPaths answers 400 invalidPath to a PATCH operation on
	// these attributes (as a path, or a key of a path-less value), which a
	// PUT still takes (elimity-com/scim before externalId became a common
	// attribute of its PATCH validator).
	PatchRefusesPaths []string
	// RemoveAbsentNoTarget answers 400 noTarget to the removal of a member
	// the group does not have (RFC 7644 section 3.5.2.2 lets a server
	// treat a path with no value as a failure).
	RemoveAbsentNoTarget bool
	// UniqueGroupNames answers 409 uniqueness to a group create or rename
	// onto a displayName another group has (HCP Terraform's teams).
	UniqueGroupNames bool
	// UserNameCaseSensitive compares userName case-sensitively in filters
	// and uniqueness.
	UserNameCaseSensitive bool
	// ItemsPerPageRequested reports the requested count as itemsPerPage.
	ItemsPerPageRequested bool
	// ZeroBasedStartIndex counts startIndex from zero; IgnoreStartIndex
	// always returns the first page.
	ZeroBasedStartIndex bool
	IgnoreStartIndex    bool
	// LowercaseResources names the list key "resources"; StringifyInts sends
	// totalResults, startIndex and itemsPerPage as strings.
	LowercaseResources, StringifyInts bool
	// StringBools sends active and primary as "True"/"False".
	StringBools bool
	// CursorPagingGroups pages /Groups only by cursor (AWS IAM Identity
	// Center): startIndex is ignored, and nextCursor comes only to requests
	// that send a cursor (an empty one for the first page).
	CursorPagingGroups bool
	// MissingMemberFilter404 answers 404 to a group filter on a member that
	// does not exist (AWS IAM Identity Center's ResourceNotFoundException).
	MissingMemberFilter404 bool
	// MembersNever never returns group members (AWS IAM Identity Center);
	// MembersNull returns "members": null; MembersEmpty returns
	// "members": [] on every group read while keeping the members (as AWS
	// IAM Identity Center documents its group reads).
	MembersNever, MembersNull, MembersEmpty bool
	// PostDropsMembers ignores members sent in the body of a group POST
	// (PATCH add works). MembersWriteOnly goes further, as directory-sync
	// receivers embedded in SaaS apps do: members in a POST or PUT body are
	// ignored, PATCH add/remove are kept, and every read shows "members": [].
	PostDropsMembers, MembersWriteOnly bool
	// ErrorBody: "" (SCIM error), "plain" (text), "nested" ({"error":{…}}),
	// "int_status" (status as a number) or "none" (empty body).
	ErrorBody string
	// OKWithErrorBody answers errors with 200 and a SCIM error document.
	OKWithErrorBody bool
	// AcceptOnly answers 415 to request bodies of another media type.
	AcceptOnly string
	// RateLimit answers 429 beyond this many requests per second;
	// RetryAfter is "seconds" (default), "date" or "none".
	RateLimit  int
	RetryAfter string
	// RateLimitHeaders states the limit on every answer as many gateways
	// do: RateLimit-Policy ("20;w=1") and RateLimit-Remaining.
	RateLimitHeaders bool
	// DeleteMode: "" deletes, "soft" only deactivates on DELETE.
	DeleteMode string
	// DeactivateMode: "" keeps inactive users; "delete" removes them when
	// deactivated (Hoppscotch, fleet#52602); "noop" ignores deactivation.
	DeactivateMode string
	// InactiveHiddenFromFilter leaves inactive users out of filtered lists,
	// while POST still answers 409 for them (keycloak-scim-server#74).
	InactiveHiddenFromFilter bool
	// PostStatus200 answers a create with 200 instead of 201; PostEmptyBody
	// answers it with no body (only Location).
	PostStatus200, PostEmptyBody bool
	// RotateIDOnReactivate gives a reactivated user a new id (rancher#55220).
	RotateIDOnReactivate bool
	// UnknownAttributes: "" stores them, "reject" answers 400, "ignore" drops them.
	UnknownAttributes string
	// RequiredUserSchemas must all be listed in a user's schemas on create
	// and replace (Hoppscotch-style extension requirement).
	RequiredUserSchemas []string
	// RequiredUserAttributes (paths such as "name.givenName") must be set
	// on create and replace (AWS IAM Identity Center, Entra's SCIM API).
	RequiredUserAttributes []string
	// SingleValuedAttributes hold at most one value, which must be
	// primary (AWS IAM Identity Center's emails and phoneNumbers).
	SingleValuedAttributes []string
	// GroupDelay hides group changes from reads for this long (Hyperproof
	// applies group changes asynchronously).
	GroupDelay time.Duration
	// CreateDelay makes a new resource answer 404 to reads, and stay out of
	// lists, for this long after its POST (apps that create asynchronously).
	CreateDelay time.Duration
	// DeriveNames sets name.formatted and displayName from the given and
	// family names whenever a write changes them (applied operation by
	// operation in a PATCH, so a displayName sent before the name parts is
	// overwritten). LowercaseEmails stores emails lower-cased.
	// CanonicalPhones stores phone numbers as "+" and digits only.
	DeriveNames, LowercaseEmails, CanonicalPhones bool
	// DeleteKeepsAccount makes DELETE of a user only unlink its SCIM
	// identity: the user disappears from SCIM, but its userName and emails
	// stay taken (409 on create) although no filter finds them.
	DeleteKeepsAccount bool
	// RedirectTo answers every request with a 307 to this base URL.
	RedirectTo string
	// NoDiscovery answers /ServiceProviderConfig and /Schemas with an HTML 404.
	NoDiscovery bool
	// PatchUnsupportedInSPC declares patch.supported=false in discovery.
	PatchUnsupportedInSPC bool
	// LowercasePaths routes only /users, /groups and
	// /serviceproviderconfig (Entra's SCIM API); /Users answers 404.
	LowercasePaths bool
	// CursorPagingUsers pages /Users by cursor only, as CursorPagingGroups
	// does for /Groups.
	CursorPagingUsers bool
	// TotalResultsPerPage states as totalResults the number of resources
	// on the page, not in the listing.
	TotalResultsPerPage bool
	// CursorTotalResults keeps totalResults in cursor answers (RFC 9865
	// allows it), where cursor paging otherwise drops it.
	CursorTotalResults bool
	// CursorTimeout expires a cursor this long after it was issued: a
	// request with an older one is answered 400 with scimType
	// "expiredCursor" (RFC 9865). /ServiceProviderConfig states it as
	// pagination.cursorTimeout, in whole seconds (at least 1).
	CursorTimeout time.Duration
	// MaxPageSize states pagination.maxPageSize in /ServiceProviderConfig
	// (RFC 9865) and answers 400 (scimType "invalidValue") to a listing
	// that asks for more.
	MaxPageSize int
	// MemberAddsPerOp and MemberRemovesPerRequest answer 400 to a group
	// PATCH that adds more members in one operation, or removes more in
	// one request; MemberOpsAlone answers 400 to one that mixes member
	// additions, removals and other changes (Entra's SCIM API: 20, 1, and
	// never mixed).
	MemberAddsPerOp, MemberRemovesPerRequest int
	MemberOpsAlone                           bool
	// MemberAddShape takes member additions only in one vendor's shape,
	// answering 400 to RFC 7644's: "object" (path members, value
	// {"members": [...]}, Salesforce) or "object_pathless" (no path,
	// Databricks).
	MemberAddShape string
	// PluralDiscovery serves /ServiceProviderConfigs (SCIM 1.1's name, as
	// Salesforce does) and answers 404 to /ServiceProviderConfig.
	PluralDiscovery bool
	// UserListNeedsFilter answers 400 tooMany to a /Users listing without
	// a filter (Google Cloud Identity).
	UserListNeedsFilter bool
}

// Preset returns the options of a named server preset that behaves like
// one vendor (or one class of sloppy server), for matrix tests.
func Preset(name string) (Options, bool) {
	opts, ok := presetOptions(name)
	opts.DocumentationURI = presetDocs[name]
	return opts, ok
}

// presetDocs are the documentationUri each vendor-like server states in
// /ServiceProviderConfig: its vendor's SCIM documentation, the evidence
// scim-probe needs before it names a preset.
var presetDocs = map[string]string{
	"hyperproof":            "https://docs.hyperproof.io/admin/en/integrations/scim",
	"secureframe":           "https://support.secureframe.com/hc/en-us/articles/scim-provisioning",
	"hoppscotch":            "https://docs.hoppscotch.io/documentation/self-host/enterprise-edition/scim",
	"aws":                   "https://docs.aws.amazon.com/singlesignon/latest/developerguide/provision-automatically.html",
	"entra":                 "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups",
	"github_emu":            "https://docs.github.com/en/enterprise-cloud@latest/admin/managing-iam/provisioning-user-accounts-with-scim",
	"slack":                 "https://api.slack.com/scim",
	"salesforce":            "https://help.salesforce.com/s/articleView?id=sf.identity_scim_overview.htm",
	"databricks":            "https://docs.databricks.com/en/admin/users-groups/scim/index.html",
	"miro":                  "https://developers.miro.com/docs/scim",
	"google_cloud_identity": "https://cloud.google.com/identity/docs/how-to/scim",
	"hcp_terraform":         "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/scim",
}

func presetOptions(name string) (Options, bool) {
	switch name {
	case "generic":
		return Options{}, true
	case "hyperproof":
		// Accepts the capitalized ops Entra sends; documents no DELETE.
		return Options{Quirks: Quirks{OpCase: "capitalized", NoDelete: true}}, true
	case "secureframe":
		return Options{Quirks: Quirks{NoGroups: true, NoDelete: true}}, true
	case "hoppscotch":
		return Options{Quirks: Quirks{NoGroups: true, DeactivateMode: "delete",
			RequiredUserSchemas: []string{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}}}, true
	case "aws":
		return Options{PageCap: 100, MaxMemberOps: 100, Quirks: Quirks{MembersNever: true, CursorPagingGroups: true, CursorPagingUsers: true,
			MissingMemberFilter404: true, FilterMode: "eq_only",
			RequiredUserAttributes: []string{"displayName", "name.givenName", "name.familyName"},
			SingleValuedAttributes: []string{"emails", "phoneNumbers"}}}, true
	case "entra":
		// Entra ID's SCIM API reference: lower-case paths, no PUT, group
		// reads never carry members (members.value is a filter only),
		// member PATCH limits, cursor paging, a lower-case "resources" key
		// and no totalResults, user PATCH answered 204.
		return Options{PageCap: 100, OmitTotalResults: true, Quirks: Quirks{
			LowercasePaths: true, NoPut: true, MembersNever: true, CursorPagingGroups: true, CursorPagingUsers: true,
			LowercaseResources: true, PatchResponse: "204", OpCase: "lower",
			MemberAddsPerOp: 20, MemberRemovesPerRequest: 1, MemberOpsAlone: true,
			RequiredUserAttributes: []string{"displayName", "name.givenName", "name.familyName"},
		}}, true
	case "github_emu":
		// GitHub Enterprise Managed Users: one filter expression only.
		return Options{Quirks: Quirks{FilterMode: "single"}}, true
	case "slack":
		// Slack: count capped at 1000; DELETE of a user deactivates it.
		return Options{PageCap: 1000, Quirks: Quirks{DeleteMode: "soft"}}, true
	case "salesforce":
		// Salesforce: /ServiceProviderConfigs, members added as an object,
		// users deactivated, never deleted.
		return Options{Quirks: Quirks{PluralDiscovery: true, MemberAddShape: "object", NoDelete: true}}, true
	case "databricks":
		// Databricks account SCIM: members added with a path-less object.
		return Options{Quirks: Quirks{MemberAddShape: "object_pathless"}}, true
	case "miro":
		// Miro: at most 8,000 member changes per group PATCH (413 beyond).
		return Options{MaxMemberOps: 8000}, true
	case "google_cloud_identity":
		// Google Cloud Identity: the user list needs a userName eq filter
		// and has no paging; no PUT (an HTML 404).
		return Options{Quirks: Quirks{UserListNeedsFilter: true, FilterMode: "username_only", NoPut: true}}, true
	case "hcp_terraform":
		// HCP Terraform: count capped at 200, eq filters only, team names
		// unique.
		return Options{PageCap: 200, Quirks: Quirks{FilterMode: "eq_only", UniqueGroupNames: true}}, true
	case "sloppy":
		return Options{Quirks: Quirks{
			PatchResponse: "204", ErrorBody: "int_status", LowercaseResources: true, StringifyInts: true,
			StringBools: true, UserNameCaseSensitive: true, ItemsPerPageRequested: true,
		}, OmitTotalResults: true}, true
	}
	return Options{}, false
}
