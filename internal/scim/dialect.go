package scim

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Ways a server returns group members.
const (
	// MembersInline: GET /Groups/{id} returns members with the group.
	MembersInline = "inline"
	// MembersAttributes: members only come with ?attributes=members.
	MembersAttributes = "attributes"
	// MembersFilter: the server never returns members (AWS IAM Identity
	// Center); each expected member is checked with
	// GET /Groups?filter=id eq "g" and members eq "u". Members added in the
	// app cannot be seen this way.
	MembersFilter = "filter"
	// MembersPaged: members are listed page by page as the users whose
	// read-only "groups" contain the group: GET /Users?filter=groups.value
	// eq "g". Suits servers that cap or omit members on group reads but
	// keep users' groups.
	MembersPaged = "paged"
	// MembersWriteOnly: the app takes member changes as PATCH add/remove
	// but drops members sent in a POST or PUT body and never shows them on
	// reads (directory-sync receivers embedded in SaaS products). Members
	// are sent as deltas and trusted from the state; membership drift made
	// in the app cannot be detected.
	MembersWriteOnly = "write_only"
)

// Update methods.
const (
	UpdatePatch = "patch"
	UpdatePut   = "put"
)

// Dialect captures how one SCIM server departs from RFC 7644. It is plain
// data: vendor presets are values of it and users may override any field.
// Start from Generic() (or a preset) rather than the zero value, whose
// booleans mean "unsupported".
type Dialect struct {
	// Name identifies the preset, for messages.
	Name string
	// App is the product name used in messages, such as "Hyperproof".
	App string
	// PatchOpCase is "lower" (add, replace, remove) or "capitalized" (Add,
	// Replace, Remove, as Microsoft Entra ID sends them).
	PatchOpCase string
	// UpdateMethod is "patch" (one operation per changed attribute) or
	// "put" (GET, merge, full replace). With "patch", a 405 or 501 answer
	// switches the client to "put" for the rest of the run.
	UpdateMethod string
	// ContentType is the request body media type. A 415 answer switches
	// the client to application/json once.
	ContentType string
	// PageSize is the count asked for per list page; servers may return fewer.
	PageSize int
	// StartIndexBase is 1 (RFC 7644) or 0 for servers that count from zero.
	StartIndexBase int
	// CursorPaging asks for cursor paging (RFC 9865) from the first page,
	// with an empty cursor, for servers that page only that way (AWS IAM
	// Identity Center lists groups so); nextCursor is followed either way.
	CursorPaging bool
	// MaxPages bounds how many pages one listing reads.
	MaxPages int
	// DeactivateMayDelete takes a 404 to a deactivation as success without
	// reading the user back, for servers that remove users when they are
	// deactivated (UsersService.Deactivate).
	DeactivateMayDelete bool
	// MemberChunkSize bounds member changes in one group PATCH.
	MemberChunkSize int
	// MemberAddsPerRequest and MemberRemovesPerRequest bound members added
	// and removed by one PATCH (0: MemberChunkSize). MemberChangesAlone
	// sends additions, removals and other changes in requests of their own
	// (Entra's SCIM API: at most 20 added, one removed, never mixed).
	// Additions go first, so no member is left out longer than necessary.
	MemberAddsPerRequest    int
	MemberRemovesPerRequest int
	MemberChangesAlone      bool
	// MemberAddShape is how a PATCH adds members: "" (RFC 7644: path
	// "members", value an array of {"value": id}), "object" (value
	// {"members": [...]} under path "members", as Salesforce documents) or
	// "object_pathless" (no path, value {"members": [...]}, as Databricks
	// documents).
	MemberAddShape string
	// DeleteIrreversible marks apps where DELETE of a user cannot be
	// undone (GitHub Enterprise Managed Users): destroy_mode = "delete"
	// then warns at plan time.
	DeleteIrreversible bool
	// RateLimit is the app's documented request rate (requests a second),
	// the pace used when the provider sets no rate_limit (0: learned).
	RateLimit float64
	// ListNeedsFilter marks apps whose user listing refuses requests
	// without a filter and has no paging (Google Cloud Identity: only
	// userName eq): refresh reads users one by one, and listings without
	// a filter fail with a clear error instead of asking.
	ListNeedsFilter bool
	// RequiredOnCreate lists user attributes (SCIM paths such as
	// "name.givenName") the app refuses a create without; a plan that
	// leaves one unset fails and names it.
	RequiredOnCreate []string
	// SingleValued lists multi-valued user attributes (such as "emails")
	// the app takes one value of, which must be primary.
	SingleValued []string
	// MemberFilterAttribute is the attribute MembersFilter checks a member
	// with: "members" (id eq "g" and members eq "u", AWS IAM Identity
	// Center) or "members.value" (Entra's SCIM API).
	MemberFilterAttribute string
	// PathCase is "" (RFC 7644 names: /Users, /Groups) or "lower" (/users,
	// /groups, /serviceproviderconfig, as Entra's SCIM API routes them).
	PathCase string
	// DiscoveryPath names the service provider configuration endpoint:
	// "ServiceProviderConfig" (RFC 7644) or "ServiceProviderConfigs"
	// (SCIM 1.1's name, which Salesforce keeps).
	DiscoveryPath string
	// MembersRead says how group members are read: MembersInline,
	// MembersAttributes, MembersFilter, MembersPaged or MembersWriteOnly.
	MembersRead string
	// SupportsGroups is false for servers without /Groups.
	SupportsGroups bool
	// SupportsDelete is false for servers that refuse DELETE of users.
	SupportsDelete bool
	// SupportsPassword is false for apps that sign users in only through SSO.
	SupportsPassword bool
	// SupportsETags sends If-Match with the last seen version on updates.
	SupportsETags bool
	// FilterOnEmails is true when emails[...] filters work (used for lookups).
	FilterOnEmails bool
	// RichFilters is true when the app evaluates filters beyond the eq
	// lookups every app supports: "sw" on userName and displayName, and
	// "active eq". When false, listings narrowed that way read every page
	// and narrow here (AWS IAM Identity Center filters only with eq on a
	// few attributes).
	RichFilters bool
	// RolesAttribute is the SCIM attribute holding roles ("roles" by default).
	RolesAttribute string
	// UserSchemas are extension URNs always listed in a user's "schemas"
	// (some apps reject users without their extension).
	UserSchemas []string
	// ConsistencyWindow is how long after this provider's own write of an
	// object a read that disagrees with the write (404, or other members
	// than written) is taken as the app lagging and retried with backoff,
	// rather than reported as gone or as drift. Zero for apps that apply
	// writes at once.
	ConsistencyWindow time.Duration
	// Discover reads /ServiceProviderConfig once to fill in what the preset leaves open.
	Discover bool
	// AuthHint says which credential the app expects, for 401 messages.
	AuthHint string
	// Unsupported, when set, explains why the app cannot be managed through
	// SCIM at all; configuring the provider then fails with it.
	Unsupported string
	// GuideURL points to the provider's guide for the app.
	GuideURL string
}

// maxConsistencyWindow bounds ConsistencyWindow: a read never waits longer.
const maxConsistencyWindow = 10 * time.Minute

// Generic is the RFC 7644 dialect, refined by discovery.
func Generic() Dialect {
	return Dialect{
		Name:                  "generic",
		App:                   "the app",
		PatchOpCase:           "lower",
		UpdateMethod:          UpdatePatch,
		ContentType:           mediaType,
		PageSize:              100,
		StartIndexBase:        1,
		MaxPages:              10000,
		MemberChunkSize:       100,
		MembersRead:           MembersInline,
		MemberFilterAttribute: "members",
		DiscoveryPath:         "ServiceProviderConfig",
		SupportsGroups:        true,
		SupportsDelete:        true,
		SupportsPassword:      true,
		FilterOnEmails:        true,
		RichFilters:           true,
		RolesAttribute:        "roles",
		Discover:              true,
		AuthHint:              "Use the app's SCIM provisioning token (from its SCIM or provisioning settings); general REST API tokens are usually not accepted on the SCIM endpoint.",
	}
}

// fillDefaults gives every setting a dialect leaves empty (or, for
// counts, not positive) the generic dialect's value.
func (d *Dialect) fillDefaults() {
	g := Generic()
	d.Name, d.App = cmp.Or(d.Name, g.Name), cmp.Or(d.App, g.App)
	d.PatchOpCase, d.UpdateMethod = cmp.Or(d.PatchOpCase, g.PatchOpCase), cmp.Or(d.UpdateMethod, g.UpdateMethod)
	d.ContentType, d.DiscoveryPath = cmp.Or(d.ContentType, g.ContentType), cmp.Or(d.DiscoveryPath, g.DiscoveryPath)
	d.MembersRead = cmp.Or(d.MembersRead, g.MembersRead)
	d.MemberFilterAttribute = cmp.Or(d.MemberFilterAttribute, g.MemberFilterAttribute)
	d.RolesAttribute, d.AuthHint = cmp.Or(d.RolesAttribute, g.RolesAttribute), cmp.Or(d.AuthHint, g.AuthHint)
	d.PageSize = positiveOr(d.PageSize, g.PageSize)
	d.MaxPages = positiveOr(d.MaxPages, g.MaxPages)
	d.MemberChunkSize = positiveOr(d.MemberChunkSize, g.MemberChunkSize)
}

func positiveOr(n, otherwise int) int {
	if n > 0 {
		return n
	}
	return otherwise
}

// Validate reports settings that cannot work, naming the Dialect's fields
// (callers check their users' input first, in their own terms).
func (d Dialect) Validate() error {
	var problems []string
	if d.PatchOpCase != "lower" && d.PatchOpCase != "capitalized" {
		problems = append(problems, fmt.Sprintf("PatchOpCase %q must be lower or capitalized", d.PatchOpCase))
	}
	if d.UpdateMethod != UpdatePatch && d.UpdateMethod != UpdatePut {
		problems = append(problems, fmt.Sprintf("UpdateMethod %q must be patch or put", d.UpdateMethod))
	}
	switch d.MembersRead {
	case MembersInline, MembersAttributes, MembersFilter, MembersPaged, MembersWriteOnly:
	default:
		problems = append(problems, fmt.Sprintf("MembersRead %q must be inline, attributes, filter, paged or write_only", d.MembersRead))
	}
	if d.ConsistencyWindow < 0 || d.ConsistencyWindow > maxConsistencyWindow {
		problems = append(problems, fmt.Sprintf("ConsistencyWindow %s must be between 0s and %s", d.ConsistencyWindow, maxConsistencyWindow))
	}
	if d.MemberFilterAttribute != "members" && d.MemberFilterAttribute != "members.value" {
		problems = append(problems, fmt.Sprintf("MemberFilterAttribute %q must be members or members.value", d.MemberFilterAttribute))
	}
	switch d.MemberAddShape {
	case "", "object", "object_pathless":
	default:
		problems = append(problems, fmt.Sprintf("MemberAddShape %q must be object, object_pathless or unset", d.MemberAddShape))
	}
	if d.PathCase != "" && d.PathCase != "lower" {
		problems = append(problems, fmt.Sprintf("PathCase %q must be lower or unset", d.PathCase))
	}
	if d.MemberAddsPerRequest < 0 || d.MemberRemovesPerRequest < 0 {
		problems = append(problems, "MemberAddsPerRequest and MemberRemovesPerRequest must not be negative")
	}
	if d.StartIndexBase != 0 && d.StartIndexBase != 1 {
		problems = append(problems, fmt.Sprintf("StartIndexBase %d must be 0 or 1", d.StartIndexBase))
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid dialect: %s", strings.Join(problems, "; "))
	}
	return nil
}

// appPath turns a path relative to the base URL ("Users/123",
// "ServiceProviderConfig") into the app's spelling of it.
func (d Dialect) appPath(rel string) string {
	collection, rest, _ := strings.Cut(strings.TrimPrefix(rel, "/"), "/")
	if collection == "ServiceProviderConfig" && d.DiscoveryPath != "" {
		collection = d.DiscoveryPath
	}
	if d.PathCase == "lower" {
		collection = strings.ToLower(collection)
	}
	if rest == "" && !strings.HasSuffix(rel, "/") {
		return collection
	}
	return collection + "/" + rest
}

// memberLimits returns how many members one PATCH may add and remove.
func (d Dialect) memberLimits() (adds, removes int) {
	adds, removes = d.MemberChunkSize, d.MemberChunkSize
	if d.MemberAddsPerRequest > 0 {
		adds = min(adds, d.MemberAddsPerRequest)
	}
	if d.MemberRemovesPerRequest > 0 {
		removes = min(removes, d.MemberRemovesPerRequest)
	}
	return max(adds, 1), max(removes, 1)
}

// op spells a PATCH operation name the way the dialect wants it.
func (d Dialect) op(name string) string {
	if d.PatchOpCase == "capitalized" {
		return strings.ToUpper(name[:1]) + name[1:]
	}
	return name
}

// Preset returns the named vendor preset.
func Preset(name string) (Dialect, bool) {
	build, ok := presets[strings.ToLower(name)]
	if !ok {
		return Dialect{}, false
	}
	d := build()
	d.fillDefaults()
	return d, true
}

// PresetNames lists the vendor presets.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
