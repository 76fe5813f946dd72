package scimtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	filter "github.com/scim2/filter-parser/v2"
)

const maxRequestBody = 4 << 20

// ServeHTTP routes SCIM requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == TokenPath {
		s.serveToken(w, r)
		return
	}
	if !strings.HasPrefix(r.URL.Path, BasePath+"/") {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<html><body><h1>404 Not Found</h1></body></html>")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	rel := strings.TrimPrefix(r.URL.EscapedPath(), BasePath+"/")
	s.record(r, body)
	opts := s.Options()
	if opts.RedirectTo != "" {
		http.Redirect(w, r, opts.RedirectTo+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		return
	}
	if s.rateLimited(w, opts) {
		return
	}
	act := func() *Response {
		buf := newBufferedWriter()
		s.handle(buf, r, rel, body, opts)
		return buf.finish(opts.Quirks)
	}
	if opts.Fault != nil && opts.Fault(w, r, act) {
		return
	}
	act().WriteTo(w)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, rel string, body []byte, opts Options) {
	if !s.authorized(r) {
		writeError(w, &scimError{status: 401, detail: "missing or invalid credentials"})
		return
	}
	if opts.AcceptOnly != "" && len(body) > 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), opts.AcceptOnly) {
		writeError(w, &scimError{status: 415, detail: "only " + opts.AcceptOnly + " is accepted"})
		return
	}
	s.route(w, r, rel, body)
}

func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(body), At: time.Now()})
	s.counts[r.Method]++
	if strings.HasSuffix(r.URL.Path, "/ServiceProviderConfig") || strings.HasSuffix(r.URL.Path, "/Schemas") {
		s.counts["discovery"]++
	}
}

func (s *Server) authorized(r *http.Request) bool {
	opts := s.Options()
	if opts.Username != "" {
		if u, p, ok := r.BasicAuth(); ok && u == opts.Username && p == opts.Password {
			return true
		}
	}
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if opts.OAuthClientID != "" && hasBearer && s.validToken(bearer) {
		return true
	}
	if opts.Token == "" {
		return opts.Username == "" && opts.OAuthClientID == ""
	}
	return hasBearer && bearer == opts.Token
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, rel string, body []byte) {
	parts := strings.Split(strings.Trim(rel, "/"), "/")
	opts := s.Options()
	if opts.NoDiscovery && (parts[0] == "ServiceProviderConfig" || parts[0] == "Schemas") {
		writeHTML404(w)
		return
	}
	if opts.NoGroups && parts[0] == "Groups" {
		writeError(w, &scimError{status: 404, detail: "unknown endpoint Groups"})
		return
	}
	switch parts[0] {
	case "ServiceProviderConfig":
		writeJSON(w, 200, s.serviceProviderConfig())
		return
	case "Schemas":
		writeJSON(w, 200, listOf(schemasDocs(opts.ExtraSchemas)))
		return
	case "ResourceTypes":
		writeJSON(w, 200, listOf(resourceTypeDocs()))
		return
	case "Users", "Groups":
	default:
		writeError(w, &scimError{status: 404, detail: "unknown endpoint " + parts[0]})
		return
	}
	resourceType := parts[0]
	var id string
	if len(parts) > 1 {
		var err error
		if id, err = unescape(parts[1]); err != nil || len(parts) > 2 {
			writeError(w, &scimError{status: 404, detail: "unknown path"})
			return
		}
	}
	switch {
	case r.Method == http.MethodPatch && opts.NoPatch,
		r.Method == http.MethodDelete && opts.NoDelete && resourceType == "Users":
		writeError(w, &scimError{status: 405, detail: r.Method + " is not supported"})
		return
	case r.Method == http.MethodPut && opts.NoPut:
		writeHTML404(w)
		return
	}
	var err error
	switch {
	case id == "" && r.Method == http.MethodGet:
		err = s.handleList(w, r, resourceType)
	case id == "" && r.Method == http.MethodPost:
		err = s.handleCreate(w, resourceType, body)
	case id != "" && r.Method == http.MethodGet:
		err = s.handleGet(w, r, resourceType, id)
	case id != "" && r.Method == http.MethodPut:
		err = s.handleReplace(w, r, resourceType, id, body)
	case id != "" && r.Method == http.MethodPatch:
		err = s.handlePatch(w, r, resourceType, id, body)
	case id != "" && r.Method == http.MethodDelete:
		err = s.handleDelete(w, r, resourceType, id)
	default:
		err = &scimError{status: 405, detail: r.Method + " is not allowed here"}
	}
	if err != nil {
		writeError(w, err)
	}
}

func unescape(segment string) (string, error) {
	return urlPathUnescape(segment)
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request, resourceType string) error {
	q := r.URL.Query()
	opts := s.Options()
	var expr filter.Expression
	f := q.Get("filter")
	if f != "" && opts.FilterMode != "ignore" {
		e, err := filter.ParseFilter([]byte(f))
		if err != nil {
			return badRequest("invalidFilter", "cannot parse filter %q: %v", f, err)
		}
		if ae, ok := e.(*filter.AttributeExpression); opts.FilterMode == "username_only" &&
			(!ok || !strings.EqualFold(ae.AttributePath.AttributeName, "userName")) {
			return badRequest("invalidFilter", "only userName filters are supported")
		}
		expr = e
	}
	base := 1
	if opts.ZeroBasedStartIndex {
		base = 0
	}
	startIndex := atoiDefault(q.Get("startIndex"), base) + 1 - base
	if startIndex < 1 || opts.IgnoreStartIndex {
		startIndex = 1
	}
	count := atoiDefault(q.Get("count"), 100)
	if opts.PageCap > 0 && count > opts.PageCap {
		count = opts.PageCap
	}
	var matched []map[string]any
	s.mu.Lock()
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
			hit, err := matches(doc, expr, opts.CaseSensitiveFilters || opts.UserNameCaseSensitive)
			if err != nil {
				s.mu.Unlock()
				return badRequest("invalidFilter", "%v", err)
			}
			if !hit {
				continue
			}
		}
		matched = append(matched, doc)
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

func decodeBody(body []byte) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return nil, badRequest("invalidSyntax", "the body is not a JSON object")
	}
	return doc, nil
}

// validate checks required attributes and uniqueness. Callers hold mu.
func (s *Server) validate(resourceType, id string, doc map[string]any) error {
	key := "userName"
	if resourceType == "Groups" {
		key = "displayName"
	}
	name, _ := getFold(doc, key).(string)
	if strings.TrimSpace(name) == "" {
		return badRequest("invalidValue", "%s is required", key)
	}
	if resourceType != "Users" {
		return nil
	}
	for otherID, other := range s.resources[resourceType] {
		if otherID == id {
			continue
		}
		otherName, _ := getFold(other, key).(string)
		if otherName == name || (!s.opts.UserNameCaseSensitive && strings.EqualFold(otherName, name)) {
			return &scimError{status: 409, scimType: "uniqueness", detail: "userName " + strconv.Quote(name) + " is already taken"}
		}
	}
	return nil
}

func (s *Server) handleCreate(w http.ResponseWriter, resourceType string, body []byte) error {
	doc, err := decodeBody(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkDocument(resourceType, doc); err != nil {
		return err
	}
	if resourceType == "Users" {
		s.normalizeUser(nil, doc, s.opts.Quirks)
		if err := s.checkReserved(doc); err != nil {
			return err
		}
	}
	if err := s.validate(resourceType, "", doc); err != nil {
		return err
	}
	password, _ := getFold(doc, "password").(string)
	delete(doc, keyFold(doc, "password"))
	delete(doc, "id")
	if resourceType == "Users" {
		if _, ok := doc[keyFold(doc, "active")]; !ok {
			doc["active"] = true
		}
	}
	id := newID()
	s.store(resourceType, id, doc, true)
	if s.opts.CreateDelay > 0 {
		s.visibleAt[id] = time.Now().Add(s.opts.CreateDelay)
	}
	if password != "" {
		s.passwords[id] = password
	}
	w.Header().Set("Location", BasePath+"/"+resourceType+"/"+id)
	status := 201
	if s.opts.PostStatus200 {
		status = 200
	}
	if s.opts.PostEmptyBody {
		w.WriteHeader(status)
		return nil
	}
	writeResource(w, status, copyDoc(doc))
	return nil
}

// checkVersion enforces If-Match (RFC 7644 section 3.14).
func checkVersion(r *http.Request, doc map[string]any) error {
	want := r.Header.Get("If-Match")
	if want == "" || want == "*" {
		return nil
	}
	meta, _ := doc["meta"].(map[string]any)
	if have, _ := meta["version"].(string); have != want {
		return &scimError{status: 412, detail: "version mismatch: resource is at " + have}
	}
	return nil
}

func (s *Server) handleReplace(w http.ResponseWriter, r *http.Request, resourceType, id string, body []byte) error {
	doc, err := decodeBody(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.resources[resourceType][id]
	if !ok {
		return notFound(resourceType, id)
	}
	if err := checkVersion(r, old); err != nil {
		return err
	}
	if err := s.checkDocument(resourceType, doc); err != nil {
		return err
	}
	if resourceType == "Users" {
		s.normalizeUser(old, doc, s.opts.Quirks)
	}
	if err := s.validate(resourceType, id, doc); err != nil {
		return err
	}
	if resourceType == "Groups" && s.opts.GroupDelay > 0 {
		s.delayed[id] = delayedDoc{doc: copyDoc(old), until: time.Now().Add(s.opts.GroupDelay)}
	}
	if password, _ := getFold(doc, "password").(string); password != "" {
		s.passwords[id] = password
	}
	delete(doc, keyFold(doc, "password"))
	doc["meta"] = old["meta"]
	s.store(resourceType, id, doc, false)
	writeResource(w, 200, s.project(resourceType, doc, r, false))
	return nil
}

func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request, resourceType, id string, body []byte) error {
	req, err := decodeBody(body)
	if err != nil {
		return err
	}
	ops, _ := getFold(req, "Operations").([]any)
	if len(ops) == 0 {
		return badRequest("invalidSyntax", "PATCH needs Operations")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.MaxMemberOps > 0 && resourceType == "Groups" && memberChanges(ops) > s.opts.MaxMemberOps {
		return &scimError{status: 413, detail: "too many member changes in one request"}
	}
	old, ok := s.resources[resourceType][id]
	if !ok {
		return notFound(resourceType, id)
	}
	if err := checkVersion(r, old); err != nil {
		return err
	}
	// Work on a copy: PATCH is atomic (RFC 7644 section 3.5.2).
	doc := copyDoc(old)
	password := ""
	for _, raw := range ops {
		op, _ := raw.(map[string]any)
		name, _ := getFold(op, "op").(string)
		path, _ := getFold(op, "path").(string)
		value := getFold(op, "value")
		if err := s.checkOpCase(name); err != nil {
			return err
		}
		if strings.EqualFold(path, "password") {
			password, _ = value.(string)
			continue
		}
		if path == "" && strings.EqualFold(name, "replace") && s.opts.PathlessReplaceWipes {
			if m, ok := value.(map[string]any); ok {
				doc = map[string]any{"schemas": doc["schemas"], "meta": doc["meta"]}
				for k, v := range m {
					doc[k] = v
				}
			}
			continue
		}
		if err := applyPatch(doc, name, path, value); err != nil {
			return err
		}
		if resourceType == "Users" && s.opts.DeriveNames && touchesNameParts(path, value) {
			deriveNames(doc) // operation by operation, as apps that derive on each change do
		}
	}
	if resourceType == "Users" {
		q := s.opts.Quirks
		q.DeriveNames = false // done above, per operation
		s.normalizeUser(old, doc, q)
	}
	if resourceType == "Users" && s.opts.UnknownAttributes == "reject" {
		if err := s.checkDocument(resourceType, doc); err != nil {
			return err
		}
	}
	if err := s.validate(resourceType, id, doc); err != nil {
		return err
	}
	if password != "" {
		s.passwords[id] = password
	}
	wasActive, _ := old["active"].(bool)
	nowActive, _ := doc["active"].(bool)
	if resourceType == "Users" && wasActive && !nowActive {
		switch s.opts.DeactivateMode {
		case "delete":
			delete(s.resources[resourceType], id)
			w.WriteHeader(http.StatusNoContent)
			return nil
		case "noop":
			doc["active"] = true
		}
	}
	if resourceType == "Users" && !wasActive && nowActive && s.opts.RotateIDOnReactivate {
		delete(s.resources[resourceType], id)
		id = newID()
		delete(doc, "meta")
		s.store(resourceType, id, doc, true)
		writeResource(w, 200, copyDoc(doc))
		return nil
	}
	if resourceType == "Groups" && s.opts.GroupDelay > 0 {
		s.delayed[id] = delayedDoc{doc: copyDoc(old), until: time.Now().Add(s.opts.GroupDelay)}
	}
	s.store(resourceType, id, doc, false)
	switch {
	case s.opts.PatchNoContent || s.opts.PatchResponse == "204":
		w.WriteHeader(http.StatusNoContent)
	case s.opts.PatchResponse == "200_stale":
		writeResource(w, 200, s.project(resourceType, old, r, false))
	default:
		writeResource(w, 200, s.project(resourceType, doc, r, false))
	}
	return nil
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, resourceType, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.resources[resourceType][id]
	if !ok {
		return notFound(resourceType, id)
	}
	if err := checkVersion(r, old); err != nil {
		return err
	}
	if resourceType == "Users" && s.opts.DeleteMode == "soft" {
		old["active"] = false
		s.touch(old)
	} else {
		if resourceType == "Users" && s.opts.DeleteKeepsAccount {
			s.reserve(old)
		}
		delete(s.resources[resourceType], id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

func writeResource(w http.ResponseWriter, status int, doc map[string]any) {
	if meta, ok := doc["meta"].(map[string]any); ok {
		if v, ok := meta["version"].(string); ok {
			w.Header().Set("ETag", v)
		}
	}
	writeJSON(w, status, doc)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, err error) {
	se, ok := err.(*scimError)
	if !ok {
		se = &scimError{status: 500, detail: err.Error()}
	}
	doc := map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":  strconv.Itoa(se.status),
		"detail":  se.detail,
	}
	if se.scimType != "" {
		doc["scimType"] = se.scimType
	}
	writeJSON(w, se.status, doc)
}

func listOf(docs []map[string]any) map[string]any {
	resources := make([]any, len(docs))
	for i, d := range docs {
		resources[i] = d
	}
	return map[string]any{
		"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": len(docs),
		"Resources":    resources,
	}
}

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

// checkDocument enforces RequiredUserSchemas and UnknownAttributes. Callers hold mu.
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
