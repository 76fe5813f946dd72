package scimtest

import (
	"strings"
)

// memberChanges counts member changes in PATCH operations: each value of an
// add to members, and each other operation on members.
func memberChanges(ops []any) int {
	n := 0
	for _, raw := range ops {
		op, _ := raw.(map[string]any)
		path, _ := getFold(op, "path").(string)
		if !strings.HasPrefix(strings.ToLower(path), "members") {
			continue
		}
		if values, ok := getFold(op, "value").([]any); ok {
			n += len(values)
		} else {
			n++
		}
	}
	return n
}

// checkMemberOpLimits enforces MemberAddsPerOp, MemberRemovesPerRequest
// and MemberOpsAlone with Entra's answers: a 400 for the whole request.
func (s *Server) checkMemberOpLimits(ops []any) error {
	q := s.opts.Quirks
	var adds, removes, others int
	for _, raw := range ops {
		op, _ := raw.(map[string]any)
		name, _ := getFold(op, "op").(string)
		path, _ := getFold(op, "path").(string)
		if !strings.HasPrefix(strings.ToLower(path), "members") {
			others++
			continue
		}
		switch n := memberChanges([]any{raw}); strings.ToLower(name) {
		case "add":
			adds++
			if q.MemberAddsPerOp > 0 && n > q.MemberAddsPerOp {
				return badRequest("invalidValue", "at most %d members can be added in one operation", q.MemberAddsPerOp)
			}
		case "remove":
			removes += n
		default:
			others++
		}
	}
	if q.MemberRemovesPerRequest > 0 && removes > q.MemberRemovesPerRequest {
		return badRequest("invalidValue", "at most %d members can be removed in one request", q.MemberRemovesPerRequest)
	}
	kinds := 0
	for _, n := range []int{adds, removes, others} {
		if n > 0 {
			kinds++
		}
	}
	if q.MemberOpsAlone && (kinds > 1 || adds > 1) {
		return badRequest("invalidValue", "member additions, member removals and other changes must be sent in separate requests")
	}
	return nil
}

// checkOpCase enforces the OpCase quirk.
func (s *Server) checkOpCase(op string) error {
	switch {
	case s.opts.OpCase == "lower" && op != strings.ToLower(op):
		return badRequest("invalidSyntax", "op %q must be lower-case", op)
	case s.opts.OpCase == "capitalized" && op == strings.ToLower(op):
		return badRequest("invalidSyntax", "op %q must be capitalized (Add, Replace, Remove)", op)
	}
	return nil
}

// knownUserAttributes are the lower-cased core User attributes (RFC 7643).
var knownUserAttributes = map[string]bool{
	"schemas": true, "id": true, "externalid": true, "meta": true, "username": true, "name": true, "displayname": true,
	"nickname": true, "profileurl": true, "title": true, "usertype": true, "preferredlanguage": true, "locale": true,
	"timezone": true, "active": true, "password": true, "emails": true, "phonenumbers": true, "ims": true, "photos": true,
	"addresses": true, "groups": true, "entitlements": true, "roles": true, "x509certificates": true,
}

// checkDocument enforces RequiredUserSchemas, RequiredUserAttributes,
// SingleValuedAttributes and UnknownAttributes. Callers hold mu.
func (s *Server) checkDocument(resourceType string, doc map[string]any) error {
	if resourceType != "Users" {
		return nil
	}
	for _, urn := range s.opts.RequiredUserSchemas {
		found := false
		for _, sc := range asList(doc["schemas"]) {
			found = found || strings.EqualFold(toString(sc), urn)
		}
		if !found {
			return badRequest("invalidValue", "schemas must include %s", urn)
		}
	}
	for _, required := range s.opts.RequiredUserAttributes {
		if v := dottedFold(doc, required); v == nil || v == "" {
			return badRequest("invalidValue", "%s is required", required)
		}
	}
	for _, attr := range s.opts.SingleValuedAttributes {
		values := asList(getFold(doc, attr))
		if len(values) > 1 {
			return badRequest("invalidValue", "%s takes one value", attr)
		}
		if len(values) == 1 {
			if m, _ := values[0].(map[string]any); m == nil || m["primary"] != true {
				return badRequest("invalidValue", "the value of %s must be primary", attr)
			}
		}
	}
	for k := range doc {
		if knownUserAttributes[strings.ToLower(k)] || strings.HasPrefix(strings.ToLower(k), "urn:") {
			continue
		}
		switch s.opts.UnknownAttributes {
		case "reject":
			return badRequest("invalidSyntax", "unknown attribute %q", k)
		case "ignore":
			delete(doc, k)
		}
	}
	return nil
}

// patchRefuses returns the attribute of a PATCH operation (its path, or a
// key of a path-less value) that PatchRefusesPaths names, or "".
func (s *Server) patchRefuses(path string, value any) string {
	for _, refused := range s.opts.PatchRefusesPaths {
		if strings.EqualFold(path, refused) {
			return refused
		}
		if m, ok := value.(map[string]any); ok && path == "" && getFold(m, refused) != nil {
			return refused
		}
	}
	return ""
}
