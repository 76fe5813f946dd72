package scim

import (
	"sort"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimjson"
)

// Schema URNs from RFC 7643 and RFC 7644.
const (
	SchemaUser           = scimjson.CoreUser
	SchemaGroup          = scimjson.CoreGroup
	SchemaEnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaPatchOp        = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaError          = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// Name is the complex "name" attribute of a User (RFC 7643 section 4.1.1).
type Name struct {
	Formatted       string
	FamilyName      string
	GivenName       string
	MiddleName      string
	HonorificPrefix string
	HonorificSuffix string
}

func (n Name) isZero() bool { return n == Name{} }

// MultiValue is one value of a multi-valued attribute such as emails,
// phoneNumbers, roles or entitlements (RFC 7643 section 2.4).
type MultiValue struct {
	Value   string
	Type    string
	Display string
	Primary bool
}

// Enterprise is the enterprise User extension (RFC 7643 section 4.3).
type Enterprise struct {
	EmployeeNumber string
	CostCenter     string
	Organization   string
	Division       string
	Department     string
	ManagerID      string
}

// Meta is the read-only resource metadata (RFC 7643 section 3.1).
type Meta struct {
	ResourceType string
	Created      string
	LastModified string
	Location     string
	Version      string
}

// User is a SCIM User resource. Attributes the type does not model are kept
// in Extensions (by schema URN) so they round-trip.
type User struct {
	ID                string
	ExternalID        string
	UserName          string
	Name              Name
	DisplayName       string
	NickName          string
	ProfileURL        string
	Title             string
	UserType          string
	PreferredLanguage string
	Locale            string
	Timezone          string
	// Active is nil when the server did not say; SCIM treats that as unknown.
	Active       *bool
	Password     string // write-only: sent, never decoded
	Emails       []MultiValue
	PhoneNumbers []MultiValue
	Roles        []MultiValue
	Entitlements []MultiValue
	Enterprise   Enterprise
	// Extensions holds schema extensions other than the enterprise one,
	// keyed by URN, as decoded JSON objects.
	Extensions map[string]map[string]any
	Meta       Meta
}

// IsActive reports whether the user is active; a server that omits "active"
// is taken to mean active, as RFC 7643 gives no other default.
func (u *User) IsActive() bool { return u.Active == nil || *u.Active }

// Bool returns a pointer to b, for optional boolean fields.
func Bool(b bool) *bool { return &b }

// userStringFields maps the simple string attributes of a User to their SCIM
// names; encoding, decoding and PATCH diffs share it so they cannot disagree.
func userStringFields(u *User) []struct {
	name string
	ptr  *string
} {
	return []struct {
		name string
		ptr  *string
	}{
		{"externalId", &u.ExternalID},
		{"userName", &u.UserName},
		{"displayName", &u.DisplayName},
		{"nickName", &u.NickName},
		{"profileUrl", &u.ProfileURL},
		{"title", &u.Title},
		{"userType", &u.UserType},
		{"preferredLanguage", &u.PreferredLanguage},
		{"locale", &u.Locale},
		{"timezone", &u.Timezone},
	}
}

func nameFields(n *Name) []struct {
	name string
	ptr  *string
} {
	return []struct {
		name string
		ptr  *string
	}{
		{"formatted", &n.Formatted},
		{"familyName", &n.FamilyName},
		{"givenName", &n.GivenName},
		{"middleName", &n.MiddleName},
		{"honorificPrefix", &n.HonorificPrefix},
		{"honorificSuffix", &n.HonorificSuffix},
	}
}

func enterpriseFields(e *Enterprise) []struct {
	name string
	ptr  *string
} {
	return []struct {
		name string
		ptr  *string
	}{
		{"employeeNumber", &e.EmployeeNumber},
		{"costCenter", &e.CostCenter},
		{"organization", &e.Organization},
		{"division", &e.Division},
		{"department", &e.Department},
	}
}

// multiValuedFields lists the multi-valued attributes of a User by SCIM name.
func multiValuedFields(u *User) []struct {
	name string
	ptr  *[]MultiValue
} {
	return []struct {
		name string
		ptr  *[]MultiValue
	}{
		{"emails", &u.Emails},
		{"phoneNumbers", &u.PhoneNumbers},
		{"roles", &u.Roles},
		{"entitlements", &u.Entitlements},
	}
}

// ToJSON renders the user as a SCIM document for POST or PUT. Empty values
// are left out: RFC 7643 section 2.5 treats unassigned and null alike, and
// several servers reject explicit nulls.
func (u *User) ToJSON() map[string]any {
	doc := map[string]any{}
	schemas := []string{SchemaUser}
	for _, f := range userStringFields(u) {
		if *f.ptr != "" {
			doc[f.name] = *f.ptr
		}
	}
	if !u.Name.isZero() {
		doc["name"] = stringMap(nameFields(&u.Name))
	}
	if u.Active != nil {
		doc["active"] = *u.Active
	}
	if u.Password != "" {
		doc["password"] = u.Password
	}
	for _, f := range multiValuedFields(u) {
		if len(*f.ptr) > 0 {
			doc[f.name] = multiValuesJSON(*f.ptr)
		}
	}
	ent := stringMap(enterpriseFields(&u.Enterprise))
	if u.Enterprise.ManagerID != "" {
		ent["manager"] = map[string]any{"value": u.Enterprise.ManagerID}
	}
	for _, urn := range sortedKeys(u.Extensions) {
		switch {
		case strings.EqualFold(urn, SchemaUser):
			// Custom attributes in the core namespace (Hoppscotch documents
			// this) are top-level keys, not a nested object.
			for k, v := range u.Extensions[urn] {
				doc[k] = v
			}
		case strings.EqualFold(urn, SchemaEnterpriseUser):
			for k, v := range u.Extensions[urn] {
				ent[k] = v
			}
		default:
			doc[urn] = u.Extensions[urn]
			schemas = append(schemas, urn)
		}
	}
	if len(ent) > 0 {
		doc[SchemaEnterpriseUser] = ent
		schemas = append(schemas, SchemaEnterpriseUser)
	}
	doc["schemas"] = schemas
	return doc
}

func stringMap(fields []struct {
	name string
	ptr  *string
}) map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		if *f.ptr != "" {
			m[f.name] = *f.ptr
		}
	}
	return m
}

func multiValuesJSON(values []MultiValue) []any {
	out := make([]any, 0, len(values))
	for _, v := range values {
		m := map[string]any{"value": v.Value}
		if v.Type != "" {
			m["type"] = v.Type
		}
		if v.Display != "" {
			m["display"] = v.Display
		}
		if v.Primary {
			m["primary"] = true
		}
		out = append(out, m)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// modeledCoreAttributes are the lower-cased top-level User attributes that
// have typed fields or are server-owned; anything else is kept as a core
// "extension" so custom attributes round-trip.
var modeledCoreAttributes = func() map[string]bool {
	modeled := map[string]bool{"schemas": true, "id": true, "meta": true, "groups": true, "name": true, "active": true,
		"password": true, "emails": true, "phonenumbers": true, "roles": true, "entitlements": true}
	for _, f := range userStringFields(&User{}) {
		modeled[strings.ToLower(f.name)] = true
	}
	return modeled
}()

// decodeUser reads a User from a decoded JSON object, tolerating any key
// case, string booleans and numeric ids.
func decodeUser(o jsonObject) *User {
	u := &User{ID: o.str("id")}
	for _, f := range userStringFields(u) {
		*f.ptr = o.str(f.name)
	}
	if n, ok := o.object("name"); ok {
		for _, f := range nameFields(&u.Name) {
			*f.ptr = n.str(f.name)
		}
	}
	if active, ok := o.boolean("active"); ok {
		u.Active = Bool(active)
	}
	for _, f := range multiValuedFields(u) {
		*f.ptr = decodeMultiValues(o, f.name)
	}
	if ent, ok := o.object(SchemaEnterpriseUser); ok {
		for _, f := range enterpriseFields(&u.Enterprise) {
			*f.ptr = ent.str(f.name)
		}
		if m, ok := ent.object("manager"); ok {
			u.Enterprise.ManagerID = m.str("value")
		} else {
			u.Enterprise.ManagerID = ent.str("manager")
		}
	}
	u.Extensions = map[string]map[string]any{}
	core := map[string]any{}
	for k, v := range o {
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			if m, ok := v.(map[string]any); ok {
				u.Extensions[k] = m
			}
			continue
		}
		if !modeledCoreAttributes[strings.ToLower(k)] {
			core[k] = v
		}
	}
	if len(core) > 0 {
		u.Extensions[SchemaUser] = core
	}
	u.Meta = decodeMeta(o)
	return u
}

func decodeMultiValues(o jsonObject, name string) []MultiValue {
	list, _ := o.list(name)
	var out []MultiValue
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			// A bare string is a value without sub-attributes.
			if s := scalarString(item); s != "" {
				out = append(out, MultiValue{Value: s})
			}
			continue
		}
		obj := jsonObject(m)
		primary, _ := obj.boolean("primary")
		out = append(out, MultiValue{
			Value:   obj.str("value"),
			Type:    obj.str("type"),
			Display: obj.str("display"),
			Primary: primary,
		})
	}
	return out
}

func decodeMeta(o jsonObject) Meta {
	m, _ := o.object("meta")
	return Meta{
		ResourceType: m.str("resourceType"),
		Created:      m.str("created"),
		LastModified: m.str("lastModified"),
		Location:     m.str("location"),
		Version:      m.str("version"),
	}
}
