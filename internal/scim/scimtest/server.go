package scimtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// BasePath is where the SCIM API is mounted; anything else answers with an
// HTML 404, as a real web server would.
const BasePath = "/scim/v2"

// DefaultToken is the bearer token NewTestServer uses.
const DefaultToken = "scimtest-token"

// Options configure the server: credentials, then quirks of real servers.
type Options struct {
	// Token is the accepted bearer token; empty disables bearer auth.
	Token string
	// DocumentationURI is the documentationUri of /ServiceProviderConfig
	// (this project's repository when empty).
	DocumentationURI string
	// Username and Password enable basic auth as an alternative.
	Username, Password string
	// PageCap is the most resources one list page returns, whatever count asks.
	PageCap int
	// OmitTotalResults leaves totalResults out of list answers.
	OmitTotalResults bool
	// CaseSensitiveFilters compares every filter value case-sensitively.
	CaseSensitiveFilters bool
	// PatchNoContent answers a successful PATCH with 204 and no body.
	PatchNoContent bool
	// MembersNotInline leaves members out of group reads unless asked for
	// with attributes=members.
	MembersNotInline bool
	// MaxMemberOps answers 413 to a group PATCH with more member changes.
	MaxMemberOps int
	// Quirks of real servers; the zero value conforms to RFC 7644.
	Quirks
	// OAuthClientID and OAuthClientSecret enable the client-credentials
	// token endpoint at TokenPath; issued tokens last OAuthTokenTTL.
	OAuthClientID, OAuthClientSecret string
	OAuthTokenTTL                    time.Duration
	// ExtraSchemas are more schema URNs listed at /Schemas.
	ExtraSchemas []string
	// Fault, when set, may answer a request itself instead of the server
	// (before the server acts), or call act (the server acts and returns
	// the response it would send) and then answer differently, such as
	// dropping the connection: a lost response. It returns true when it answered.
	Fault func(w http.ResponseWriter, r *http.Request, act func() *Response) bool
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Query  string
	Body   string
	At     time.Time // when the server received it
}

// Server is the in-memory SCIM service provider.
type Server struct {
	opts Options

	mu        sync.Mutex
	resources map[string]map[string]map[string]any // resource type → id → document
	order     map[string][]string                  // creation order, for stable paging
	passwords map[string]string
	requests  []Request
	counts    map[string]int
	versions  int
	// delayed holds group documents as readers still see them (GroupDelay).
	delayed map[string]delayedDoc
	// reserved holds lower-cased userNames and emails of accounts the app
	// kept after a DELETE (DeleteKeepsAccount).
	reserved map[string]bool
	// visibleAt says when a new resource becomes readable (CreateDelay).
	visibleAt map[string]time.Time
	// rateWindow and rateCount implement the RateLimit quirk.
	rateWindow time.Time
	rateCount  int
	// tokens are issued OAuth access tokens and their expiry.
	tokens map[string]time.Time
}

type delayedDoc struct {
	doc   map[string]any
	until time.Time
}

// New returns a server with the given options; serve it with Handler.
func New(opts Options) *Server {
	return &Server{
		opts:      opts,
		resources: map[string]map[string]map[string]any{"Users": {}, "Groups": {}},
		order:     map[string][]string{},
		passwords: map[string]string{},
		counts:    map[string]int{},
		delayed:   map[string]delayedDoc{},
		reserved:  map[string]bool{},
		visibleAt: map[string]time.Time{},
	}
}

// TestServer is a Server listening on 127.0.0.1 for one test.
type TestServer struct {
	*Server
	HTTP *httptest.Server
	// URL is the SCIM base URL, e.g. http://127.0.0.1:1234/scim/v2.
	URL   string
	Token string
}

// NewTestServer starts a server on 127.0.0.1 with DefaultToken, closed when
// the test ends. opts.Token, when empty, is set to DefaultToken.
func NewTestServer(t testing.TB, opts Options) *TestServer {
	t.Helper()
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	s := New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &TestServer{Server: s, HTTP: hs, URL: hs.URL + BasePath, Token: opts.Token}
}

// SetOptions changes the options of a running server, e.g. to start
// injecting faults after setup.
func (s *Server) SetOptions(opts Options) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts = opts
}

// Options returns the current options.
func (s *Server) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (s *Server) nextVersion() string {
	s.versions++
	return fmt.Sprintf(`W/"%d"`, s.versions)
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// Count returns how many requests with this method reached the SCIM API
// ("" counts all methods; "discovery" counts /ServiceProviderConfig and
// /Schemas reads; "list" counts GETs of /Users or /Groups, listings and
// searches alike).
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method == "" {
		return len(s.requests)
	}
	return s.counts[method]
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetCounts clears the request log and counters.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.counts = map[string]int{}
}

// Put stores a document as-is under a new id, bypassing HTTP and counts
// (for test setup and out-of-band changes). It returns the id.
func (s *Server) Put(resourceType string, doc map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc = copyDoc(doc)
	id := newID()
	s.store(resourceType, id, doc, true)
	return id
}

// PutWithID stores a document under a chosen id (ids with "/" or spaces
// exist in the wild).
func (s *Server) PutWithID(resourceType, id string, doc map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store(resourceType, id, copyDoc(doc), true)
}

// Get returns a copy of a stored document, or nil.
func (s *Server) Get(resourceType, id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.resources[resourceType][id]
	if !ok {
		return nil
	}
	return copyDoc(doc)
}

// All returns copies of every stored document of a type, in creation order.
func (s *Server) All(resourceType string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, id := range s.order[resourceType] {
		if doc, ok := s.resources[resourceType][id]; ok {
			out = append(out, copyDoc(doc))
		}
	}
	return out
}

// Modify changes a stored document out of band (no HTTP, no counts) and
// bumps its version, as an admin editing the app by hand would.
func (s *Server) Modify(resourceType, id string, change func(doc map[string]any)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.resources[resourceType][id]
	if !ok {
		return false
	}
	change(doc)
	s.touch(doc)
	return true
}

// Remove deletes a stored document out of band.
func (s *Server) Remove(resourceType, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.resources[resourceType][id]
	delete(s.resources[resourceType], id)
	return ok
}

// Password returns the last password set for a user (never served over HTTP).
func (s *Server) Password(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.passwords[id]
}

// store saves doc under id, setting id, schemas and meta. Callers hold mu.
func (s *Server) store(resourceType, id string, doc map[string]any, created bool) {
	doc["id"] = id
	schema := coreUserURN
	if resourceType == "Groups" {
		schema = coreGroupURN
	}
	addSchema(doc, schema)
	meta, _ := doc["meta"].(map[string]any)
	if meta == nil || created {
		meta = map[string]any{"created": now()}
	}
	meta["resourceType"] = strings.TrimSuffix(resourceType, "s")
	meta["location"] = BasePath + "/" + resourceType + "/" + id
	doc["meta"] = meta
	s.touch(doc)
	if created {
		s.order[resourceType] = append(s.order[resourceType], id)
	}
	s.resources[resourceType][id] = doc
}

func (s *Server) touch(doc map[string]any) {
	meta, _ := doc["meta"].(map[string]any)
	if meta == nil {
		meta = map[string]any{"created": now()}
		doc["meta"] = meta
	}
	meta["lastModified"] = now()
	meta["version"] = s.nextVersion()
}
