package scimtest

import (
	"io"
	"net/http"
	"strings"
	"time"
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
	p := strings.ToLower(r.URL.Path) // lower-case routes (Entra) count too
	if strings.HasSuffix(p, "/serviceproviderconfig") || strings.HasSuffix(p, "/serviceproviderconfigs") || strings.HasSuffix(p, "/schemas") {
		s.counts["discovery"]++
	}
	if r.Method == http.MethodGet && (strings.HasSuffix(p, "/users") || strings.HasSuffix(p, "/groups")) {
		s.counts["list"]++ // a listing (or a search by filter)
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
	if opts.LowercasePaths {
		// Only the lower-case spelling is routed; map it to the RFC name.
		canonical := map[string]string{"users": "Users", "groups": "Groups", "serviceproviderconfig": "ServiceProviderConfig",
			"schemas": "Schemas", "resourcetypes": "ResourceTypes"}
		name, ok := canonical[parts[0]]
		if !ok {
			writeError(w, &scimError{status: 404, detail: "unknown endpoint " + parts[0]})
			return
		}
		parts[0] = name
	}
	if opts.PluralDiscovery {
		switch parts[0] {
		case "ServiceProviderConfig":
			writeError(w, &scimError{status: 404, detail: "unknown endpoint " + parts[0]})
			return
		case "ServiceProviderConfigs":
			parts[0] = "ServiceProviderConfig"
		}
	}
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
