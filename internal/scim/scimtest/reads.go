package scimtest

// Reads: GET of one resource and filtered, paged lists.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	filter "github.com/scim2/filter-parser/v2"
)

func (s *Server) handleList(w http.ResponseWriter, r *http.Request, resourceType string) error {
	q := r.URL.Query()
	opts := s.Options()
	var expr filter.Expression
	f := q.Get("filter")
	if f == "" && opts.UserListNeedsFilter && resourceType == "Users" {
		return badRequest("tooMany", "a filter is required to list users")
	}
	if f != "" && opts.FilterMode != "ignore" {
		e, err := filter.ParseFilter([]byte(f))
		if err != nil {
			return badRequest("invalidFilter", "cannot parse filter %q: %v", f, err)
		}
		if ae, ok := e.(*filter.AttributeExpression); opts.FilterMode == "username_only" &&
			(!ok || !strings.EqualFold(ae.AttributePath.AttributeName, "userName")) {
			return badRequest("invalidFilter", "only userName filters are supported")
		}
		if _, logical := e.(*filter.LogicalExpression); opts.FilterMode == "single" && logical {
			return badRequest("invalidFilter", "only one filter expression is supported")
		}
		if opts.FilterMode == "eq_only" && !onlyEqAndAnd(e) {
			return badRequest("invalidFilter", "only the eq operator, joined by and, is supported")
		}
		expr = e
	}
	base := 1
	if opts.ZeroBasedStartIndex {
		base = 0
	}
	startIndex := atoiDefault(q.Get("startIndex"), base) + 1 - base
	_, cursorAsked := q["cursor"]
	cursorPaging := opts.CursorPagingGroups && resourceType == "Groups" || opts.CursorPagingUsers && resourceType == "Users"
	if cursorPaging {
		// AWS IAM Identity Center: startIndex is ignored; the cursor is the
		// next position, and only a request with a cursor gets nextCursor.
		position, issued, _ := strings.Cut(q.Get("cursor"), "@")
		startIndex = atoiDefault(position, 1)
		if opts.CursorTimeout > 0 && issued != "" {
			if at, err := strconv.ParseInt(issued, 10, 64); err == nil && time.Since(time.Unix(0, at)) > opts.CursorTimeout {
				return badRequest("expiredCursor", "the cursor has expired")
			}
		}
	}
	if startIndex < 1 || opts.IgnoreStartIndex {
		startIndex = 1
	}
	count := atoiDefault(q.Get("count"), 100)
	if opts.MaxPageSize > 0 && count > opts.MaxPageSize {
		return badRequest("invalidValue", "count %d is above maxPageSize %d", count, opts.MaxPageSize)
	}
	if opts.PageCap > 0 && count > opts.PageCap {
		count = opts.PageCap
	}
	s.mu.Lock()
	matched, err := s.matching(resourceType, expr, opts)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	var page []any
	for i := startIndex - 1; i < len(matched) && len(page) < count; i++ {
		page = append(page, s.project(resourceType, matched[i], r, true))
	}
	s.mu.Unlock()
	resp := map[string]any{
		"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"Resources":    nonNil(page),
		"startIndex":   startIndex - 1 + base,
		"itemsPerPage": len(page),
	}
	if opts.ItemsPerPageRequested {
		resp["itemsPerPage"] = count
	}
	if !opts.OmitTotalResults {
		resp["totalResults"] = len(matched)
	}
	if opts.TotalResultsPerPage {
		resp["totalResults"] = len(page)
	}
	if cursorPaging && cursorAsked {
		if !opts.CursorTotalResults {
			delete(resp, "totalResults")
		}
		delete(resp, "startIndex")
		if next := startIndex + len(page); next <= len(matched) {
			resp["nextCursor"] = strconv.Itoa(next)
			if opts.CursorTimeout > 0 {
				resp["nextCursor"] = fmt.Sprintf("%d@%d", next, time.Now().UnixNano())
			}
		}
	}
	if opts.MissingMemberFilter404 && expr != nil && len(matched) == 0 && filtersOnMember(expr) && !s.anyUser(expr) {
		return &scimError{status: 404, detail: "ResourceNotFoundException: no such member"}
	}
	writeJSON(w, 200, resp)
	return nil
}

func nonNil(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// project copies a document for output, honouring attributes and
// excludedAttributes for members, and MembersNotInline. Callers hold mu.
// onlyEqAndAnd reports whether a filter uses nothing but eq and "and".
func onlyEqAndAnd(e filter.Expression) bool {
	switch e := e.(type) {
	case *filter.AttributeExpression:
		return strings.EqualFold(string(e.Operator), string(filter.EQ))
	case *filter.LogicalExpression:
		return strings.EqualFold(string(e.Operator), string(filter.AND)) && onlyEqAndAnd(e.Left) && onlyEqAndAnd(e.Right)
	}
	return false
}

func (s *Server) project(resourceType string, doc map[string]any, r *http.Request, listing bool) map[string]any {
	out := copyDoc(doc)
	if resourceType != "Groups" {
		return out
	}
	q := r.URL.Query()
	asked := strings.Contains(strings.ToLower(q.Get("attributes")), "members")
	excluded := strings.Contains(strings.ToLower(q.Get("excludedAttributes")), "members")
	if excluded || (s.opts.MembersNotInline && !asked) || s.opts.MembersNever {
		delete(out, "members")
	}
	if s.opts.MembersNull && !excluded {
		out["members"] = nil
	}
	if (s.opts.MembersWriteOnly || s.opts.MembersEmpty) && !excluded {
		out["members"] = []any{}
	}
	if q.Get("attributes") != "" && !listing {
		keep := map[string]bool{"id": true, "schemas": true, "meta": true}
		for _, a := range strings.Split(q.Get("attributes"), ",") {
			keep[strings.ToLower(strings.TrimSpace(a))] = true
		}
		for k := range out {
			if !keep[strings.ToLower(k)] {
				delete(out, k)
			}
		}
	}
	return out
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, resourceType, id string) error {
	s.mu.Lock()
	doc, ok := s.resources[resourceType][id]
	ok = ok && !s.hidden(id)
	if d, delayed := s.delayed[id]; delayed && time.Now().Before(d.until) {
		doc = d.doc
	}
	var out map[string]any
	if ok {
		out = s.project(resourceType, doc, r, false)
	}
	s.mu.Unlock()
	if !ok {
		return notFound(resourceType, id)
	}
	writeResource(w, 200, out)
	return nil
}

func notFound(resourceType, id string) *scimError {
	return &scimError{status: 404, detail: strings.TrimSuffix(resourceType, "s") + " " + id + " not found"}
}

// groupsByMember computes the read-only "groups" attribute of users (RFC
// 7643 section 4.1.2) from group memberships, so that users can be listed
// by group (filter groups.value eq "<group id>"). Callers hold mu.
func (s *Server) groupsByMember(resourceType string) map[string][]any {
	if resourceType != "Users" {
		return nil
	}
	out := map[string][]any{}
	for gid, g := range s.resources["Groups"] {
		for _, m := range asList(g["members"]) {
			if mm, ok := m.(map[string]any); ok {
				member := toString(mm["value"])
				out[member] = append(out[member], map[string]any{"value": gid, "display": g["displayName"]})
			}
		}
	}
	return out
}

// filtersOnMember reports whether a filter names members or members.value.
func filtersOnMember(expr filter.Expression) bool {
	switch e := expr.(type) {
	case *filter.AttributeExpression:
		return strings.EqualFold(e.AttributePath.AttributeName, "members")
	case *filter.LogicalExpression:
		return filtersOnMember(e.Left) || filtersOnMember(e.Right)
	}
	return false
}

// anyUser reports whether a member value the filter names is an existing
// user (or group). Callers must not hold mu.
func (s *Server) anyUser(expr filter.Expression) bool {
	switch e := expr.(type) {
	case *filter.AttributeExpression:
		if !strings.EqualFold(e.AttributePath.AttributeName, "members") {
			return true
		}
		id := toString(e.CompareValue)
		s.mu.Lock()
		defer s.mu.Unlock()
		_, user := s.resources["Users"][id]
		_, group := s.resources["Groups"][id]
		return user || group
	case *filter.LogicalExpression:
		return s.anyUser(e.Left) && s.anyUser(e.Right)
	}
	return true
}

// matching returns the resources of a type a filter selects (all without
// one), in creation order, users with their derived "groups". Callers hold mu.
func (s *Server) matching(resourceType string, expr filter.Expression, opts Options) ([]map[string]any, error) {
	var matched []map[string]any
	groupsOf := s.groupsByMember(resourceType)
	for _, id := range s.order[resourceType] {
		doc, ok := s.resources[resourceType][id]
		if !ok || s.hidden(id) {
			continue
		}
		if groups := groupsOf[id]; groups != nil {
			doc = copyDoc(doc)
			doc["groups"] = groups
		}
		if expr != nil {
			if active, ok := doc["active"].(bool); opts.InactiveHiddenFromFilter && ok && !active {
				continue
			}
			filtered := doc
			if opts.MembersWriteOnly {
				filtered = copyDoc(doc)
				delete(filtered, "members") // no read shows members, filters included
			}
			hit, err := matches(filtered, expr, opts.CaseSensitiveFilters || opts.UserNameCaseSensitive)
			if err != nil {
				return nil, badRequest("invalidFilter", "%v", err)
			}
			if !hit {
				continue
			}
		}
		matched = append(matched, doc)
	}
	return matched, nil
}
