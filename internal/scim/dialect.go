package scim

import "strings"

// Ways a server returns group members.
const (
	// MembersInline: GET /Groups/{id} returns members with the group.
	MembersInline = "inline"
	// MembersAttributes: members only come with ?attributes=members.
	MembersAttributes = "attributes"
)

// Dialect captures how one SCIM server departs from RFC 7644. It is plain
// data: vendor presets are values of it and users may override any field.
type Dialect struct {
	// Name identifies the preset, for messages.
	Name string
	// PatchOpCase is "lower" (add, replace, remove) or "capitalized" (Add,
	// Replace, Remove, as Microsoft Entra ID sends them).
	PatchOpCase string
	// ContentType is the request body media type.
	ContentType string
	// PageSize is the count asked for per list page; servers may return fewer.
	PageSize int
	// MaxPages bounds how many pages one listing reads, against servers that
	// never return an empty page.
	MaxPages int
	// LookupBeforeCreate searches by userName before POST, for servers that
	// do not enforce userName uniqueness with a 409.
	LookupBeforeCreate bool
	// DeactivateMayDelete accepts a 404 after deactivation as success, for
	// servers that remove users when they are deactivated.
	DeactivateMayDelete bool
	// MemberChunkSize bounds member operations in one group PATCH.
	MemberChunkSize int
	// MembersRead says how group members are read (MembersInline or MembersAttributes).
	MembersRead string
	// SupportsGroups is false for servers without /Groups.
	SupportsGroups bool
	// SupportsDelete is false for servers that refuse DELETE.
	SupportsDelete bool
}

// Generic is the RFC 7644 dialect.
func Generic() Dialect {
	return Dialect{
		Name:            "generic",
		PatchOpCase:     "lower",
		ContentType:     mediaType,
		PageSize:        100,
		MaxPages:        10000,
		MemberChunkSize: 100,
		MembersRead:     MembersInline,
		SupportsGroups:  true,
		SupportsDelete:  true,
	}
}

func (d *Dialect) fillDefaults() {
	g := Generic()
	if d.Name == "" {
		d.Name = g.Name
	}
	if d.PatchOpCase == "" {
		d.PatchOpCase = g.PatchOpCase
	}
	if d.ContentType == "" {
		d.ContentType = g.ContentType
	}
	if d.PageSize <= 0 {
		d.PageSize = g.PageSize
	}
	if d.MaxPages <= 0 {
		d.MaxPages = g.MaxPages
	}
	if d.MemberChunkSize <= 0 {
		d.MemberChunkSize = g.MemberChunkSize
	}
	if d.MembersRead == "" {
		d.MembersRead = g.MembersRead
	}
}

// op spells a PATCH operation name the way the dialect wants it.
func (d Dialect) op(name string) string {
	if d.PatchOpCase == "capitalized" {
		return strings.ToUpper(name[:1]) + name[1:]
	}
	return name
}
