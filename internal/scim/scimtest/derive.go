package scimtest

import (
	"strconv"
	"strings"
	"time"
)

// Quirks of apps that compute or rewrite values themselves. They run after
// every write of a user, so that what a client reads back differs from
// what it sent in the ways real apps make it differ.

// nameParts are the name sub-attributes an app derives the others from.
var nameParts = []string{"givenName", "familyName"}

func nameOf(doc map[string]any) map[string]any {
	m, _ := getFold(doc, "name").(map[string]any)
	return m
}

func namePartsOf(doc map[string]any) string {
	n := nameOf(doc)
	parts := make([]string, 0, len(nameParts))
	for _, p := range nameParts {
		s, _ := getFold(n, p).(string)
		parts = append(parts, s)
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// deriveNames sets name.formatted and displayName from the name parts, as
// apps that compose the full name themselves do.
func deriveNames(doc map[string]any) {
	full := namePartsOf(doc)
	if full == "" {
		return
	}
	n := nameOf(doc)
	if n == nil {
		n = map[string]any{}
		doc[keyFold(doc, "name")] = n
	}
	n[keyFold(n, "formatted")] = full
	doc[keyFold(doc, "displayName")] = full
}

// touchesNameParts reports whether a PATCH path (or a path-less value)
// changes a name part.
func touchesNameParts(path string, value any) bool {
	p := strings.ToLower(path)
	switch {
	case p == "name":
		return true
	case strings.HasPrefix(p, "name."):
		return p != "name.formatted"
	case p == "":
		m, _ := value.(map[string]any)
		return getFold(m, "name") != nil
	}
	return false
}

// normalizeUser applies the value-rewriting quirks to a user document after
// a write; old is the document before it (nil on create).
func (s *Server) normalizeUser(old, doc map[string]any, q Quirks) {
	if q.DeriveNames && (old == nil || namePartsOf(old) != namePartsOf(doc)) {
		deriveNames(doc)
	}
	if q.LowercaseEmails {
		for _, item := range asList(getFold(doc, "emails")) {
			if m, ok := item.(map[string]any); ok {
				if v, ok := getFold(m, "value").(string); ok {
					m[keyFold(m, "value")] = strings.ToLower(v)
				}
			}
		}
	}
	if q.CanonicalPhones {
		for _, item := range asList(getFold(doc, "phoneNumbers")) {
			if m, ok := item.(map[string]any); ok {
				if v, ok := getFold(m, "value").(string); ok {
					m[keyFold(m, "value")] = canonicalPhone(v)
				}
			}
		}
	}
}

// canonicalPhone keeps a leading + and the digits, as apps that store
// E.164 numbers do.
func canonicalPhone(v string) string {
	var b strings.Builder
	for i, r := range v {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// reserve remembers the userName and emails of a user whose SCIM identity a
// DELETE unlinked while the app kept the account (DeleteKeepsAccount).
// Callers hold mu.
func (s *Server) reserve(doc map[string]any) {
	if name, ok := getFold(doc, "userName").(string); ok {
		s.reserved[strings.ToLower(name)] = true
	}
	for _, item := range asList(getFold(doc, "emails")) {
		if m, ok := item.(map[string]any); ok {
			if v, ok := getFold(m, "value").(string); ok {
				s.reserved[strings.ToLower(v)] = true
			}
		}
	}
}

// checkReserved answers 409 for a user whose userName or email belongs to
// an account the SCIM API no longer shows. Callers hold mu.
func (s *Server) checkReserved(doc map[string]any) error {
	values := []any{getFold(doc, "userName")}
	for _, item := range asList(getFold(doc, "emails")) {
		if m, ok := item.(map[string]any); ok {
			values = append(values, getFold(m, "value"))
		}
	}
	for _, v := range values {
		if str, ok := v.(string); ok && s.reserved[strings.ToLower(str)] {
			return &scimError{status: 409, scimType: "uniqueness", detail: strconv.Quote(str) + " is already used by an account"}
		}
	}
	return nil
}

// hidden reports whether a resource created less than CreateDelay ago is
// still invisible to reads. Callers hold mu.
func (s *Server) hidden(id string) bool {
	until, ok := s.visibleAt[id]
	return ok && time.Now().Before(until)
}
