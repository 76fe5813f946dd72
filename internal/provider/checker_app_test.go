package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// chkApp is the app under the checker: read directly (never through the
// provider) to judge what Terraform did, and edited by hand.
type chkApp struct {
	name     string
	endpoint string // the app's own SCIM base URL
	token    string
	settings string // provider settings beyond endpoint and token
	groups   bool   // the app has groups
	// uniqueGroupNames: the app refuses a second group of a name, so a
	// group made by hand with the name of a configured one is a conflict
	// the user must resolve (the provider stops, naming it), not a case to
	// check.
	uniqueGroupNames bool
	users            func(t *testing.T) []map[string]any
	groupsList       func(t *testing.T) []map[string]any
	// hand edits, as an admin in the app's console would make them;
	// create returns "" where the app refuses the object.
	modify func(t *testing.T, resourceType, id string, change func(map[string]any))
	remove func(t *testing.T, resourceType, id string)
	create func(t *testing.T, resourceType string, doc map[string]any) string
	// fresh returns the app for a new run of the same sequence (a new
	// local server; the same third-party server).
	fresh func(t *testing.T) *chkApp
}

// localChkApp is a local server with one preset's model; it is read and
// edited in its store, so members are seen even where the app's API
// never shows them.
func localChkApp(t *testing.T, dc dialectCase) *chkApp {
	srv := newPresetServer(t, dc.server)
	return &chkApp{
		name: dc.server, endpoint: srv.URL, token: srv.Token,
		settings: fmt.Sprintf("vendor = %q", dc.vendor), groups: dc.groups, uniqueGroupNames: srv.Options().UniqueGroupNames,
		users:      func(*testing.T) []map[string]any { return srv.All("Users") },
		groupsList: func(*testing.T) []map[string]any { return srv.All("Groups") },
		modify: func(t *testing.T, rt, id string, change func(map[string]any)) {
			if !srv.Modify(rt, id, change) {
				t.Fatalf("hand edit: no %s %s", rt, id)
			}
		},
		remove: func(_ *testing.T, rt, id string) { srv.Remove(rt, id) },
		create: func(_ *testing.T, rt string, doc map[string]any) string {
			// An admin cannot make by hand what the app refuses: a second
			// group of a name where names are unique (HCP Terraform's teams).
			if rt == "Groups" && srv.Options().UniqueGroupNames && len(groupsNamed(srv.All("Groups"), fmt.Sprint(doc["displayName"]))) > 0 {
				return ""
			}
			return srv.Put(rt, doc)
		},
		fresh: func(t *testing.T) *chkApp { return localChkApp(t, dc) },
	}
}

// remoteChkApp is a SCIM server this project did not write, read and
// edited through its API.
func remoteChkApp(name, endpoint string) *chkApp {
	a := &chkApp{name: name, endpoint: endpoint, token: "interop", groups: true}
	a.users = func(t *testing.T) []map[string]any { return listAll(t, endpoint+"/Users") }
	a.groupsList = func(t *testing.T) []map[string]any { return listAll(t, endpoint+"/Groups") }
	a.modify = func(t *testing.T, rt, id string, change func(map[string]any)) {
		doc := scimCall(t, "GET", endpoint+"/"+rt+"/"+id, nil)
		delete(doc, "meta")
		change(doc)
		scimCall(t, "PUT", endpoint+"/"+rt+"/"+id, doc)
	}
	a.remove = func(t *testing.T, rt, id string) { scimCall(t, "DELETE", endpoint+"/"+rt+"/"+id, nil) }
	a.create = func(t *testing.T, rt string, doc map[string]any) string {
		return fmt.Sprint(scimCall(t, "POST", endpoint+"/"+rt, doc)["id"])
	}
	a.fresh = func(*testing.T) *chkApp { return a }
	return a
}

// listAll reads a whole collection page by page.
func listAll(t *testing.T, collection string) []map[string]any {
	var out []map[string]any
	for start := 1; ; {
		page := scimCall(t, "GET", fmt.Sprintf("%s?startIndex=%d&count=100", collection, start), nil)
		items := asSlice(page["Resources"])
		for _, item := range items {
			if m, ok := item.(map[string]any); ok {
				out = append(out, m)
			}
		}
		total, _ := page["totalResults"].(float64)
		start += len(items)
		if len(items) == 0 || float64(start-1) >= total {
			return out
		}
	}
}

// chkProxy stands between the provider and the app and answers one armed
// fault: before the app acts (503, 429, a reset), or after it acted (the
// answer lost as a 502 or a reset, or sent after the provider's
// request_timeout). It is the checker's own, so it works in front of any
// server.
type chkProxy struct {
	mu      sync.Mutex
	armed   *chkFault
	seen    int
	fired   []string
	timeout time.Duration
	URL     string
}

func newChkProxy(t *testing.T, endpoint string, timeout time.Duration) *chkProxy {
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	origin := &url.URL{Scheme: target.Scheme, Host: target.Host}
	rp := httputil.NewSingleHostReverseProxy(origin)
	p := &chkProxy{timeout: timeout}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := p.take(r)
		switch kind {
		case "":
			rp.ServeHTTP(w, r)
		case "503-before":
			w.Header().Set("Retry-After", "0")
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		case "429":
			w.Header().Set("Retry-After", "1")
			http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
		default:
			// The app acts; its answer is lost or late.
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r)
			switch kind {
			case "502-after":
				http.Error(w, "Bad Gateway", http.StatusBadGateway)
			case "reset-after":
				scimtest.DropConnection(w)
			case "slow-after":
				time.Sleep(p.timeout + time.Second)
				for k, v := range rec.Header() {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.Code)
				_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
			}
		}
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL + target.Path
	return p
}

// arm sets the fault of the next apply and forgets what fired before.
func (p *chkProxy) arm(f *chkFault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed, p.seen, p.fired = f, 0, nil
}

// disarm drops a fault that has not fired, keeping the record of those that did.
func (p *chkProxy) disarm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed = nil
}

// take returns the fault to answer r with, or "".
func (p *chkProxy) take(r *http.Request) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.armed
	if f == nil || r.Method == http.MethodGet {
		return ""
	}
	if f.method != "" && f.method != r.Method {
		return ""
	}
	p.seen++
	if p.seen != f.nth {
		return ""
	}
	p.armed = nil
	p.fired = append(p.fired, fmt.Sprintf("%s %s %s", f.kind, r.Method, r.URL.Path))
	return f.kind
}

func (p *chkProxy) firedFaults() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.fired...)
}

// userByName returns the app's users with this userName (case-insensitive).
func usersNamed(users []map[string]any, userName string) []map[string]any {
	var out []map[string]any
	for _, u := range users {
		if strings.EqualFold(fmt.Sprint(u["userName"]), userName) {
			out = append(out, u)
		}
	}
	return out
}

func groupsNamed(groups []map[string]any, displayName string) []map[string]any {
	var out []map[string]any
	for _, g := range groups {
		if strings.EqualFold(fmt.Sprint(g["displayName"]), displayName) {
			out = append(out, g)
		}
	}
	return out
}

func chkMemberIDs(g map[string]any) []string {
	var out []string
	for _, m := range asSlice(g["members"]) {
		if obj, ok := m.(map[string]any); ok {
			out = append(out, fmt.Sprint(obj["value"]))
		}
	}
	return out
}

func isActive(u map[string]any) bool {
	v, ok := u["active"]
	return !ok || strings.EqualFold(fmt.Sprint(v), "true")
}

// fingerprint is what a hand-made object must keep: its JSON without meta.
func fingerprint(doc map[string]any) string {
	c := map[string]any{}
	for k, v := range doc {
		if k != "meta" {
			c[k] = v
		}
	}
	b, _ := json.Marshal(c)
	return string(b)
}
