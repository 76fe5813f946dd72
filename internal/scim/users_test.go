package scim

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// A POST is never retried blindly after a 5xx: the user is looked up first,
// and the POST is repeated only when the lookup shows it was not created.
func TestNoBlindPostRetryAfter5xx(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var log []string
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		log = append(log, r.Method)
		if r.Method == "POST" {
			writeBody(w, 502, "text/html", "<h1>Bad Gateway</h1>")
			return
		}
		writeBody(w, 200, "application/scim+json", `{"totalResults":0,"Resources":[]}`)
	})
	_, err := c.Users.create(context.Background(), &User{UserName: "a"}, priorUsers{})
	var se *Error
	if !errors.As(err, &se) || se.StatusCode != 502 {
		t.Fatalf("got %v, want the 502", err)
	}
	for i, m := range log {
		if m == "POST" && i > 0 && log[i-1] != "GET" {
			t.Fatalf("requests %v: a POST followed a failed POST without a lookup", log)
		}
	}
	if want := 1 + c.cfg.MaxRetries; strings.Count(strings.Join(log, " "), "POST") != want {
		t.Errorf("requests %v: want %d POSTs, each after a lookup", log, want)
	}
}

// When the lookup after a 5xx finds the user, no second POST is sent.
func TestNoPostRetryWhenLookupFindsUser(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var posts atomic.Int32
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts.Add(1)
			writeBody(w, 500, "application/json", `{"status":"500","detail":"timeout after commit"}`)
			return
		}
		writeBody(w, 200, "application/scim+json", `{"totalResults":1,"Resources":[{"id":"9","userName":"a"}]}`)
	})
	u, err := c.Users.create(context.Background(), &User{UserName: "a"}, priorUsers{})
	if err != nil || u.ID != "9" || posts.Load() != 1 {
		t.Fatalf("got %+v, %v after %d POSTs; want the existing user after 1 POST", u, err, posts.Load())
	}
}

func TestCreateLostResponseFindsUser(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var posts atomic.Int32
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts.Add(1)
			// The server acts, then the connection drops before the answer.
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
			return
		}
		writeBody(w, 200, "application/scim+json", `{"totalResults":1,"Resources":[{"id":"42","userName":"A"}]}`)
	})
	u, err := c.Users.create(context.Background(), &User{UserName: "a"}, priorUsers{})
	if err != nil || u.ID != "42" {
		t.Fatalf("got %+v, %v; want the user the lost POST created", u, err)
	}
	if posts.Load() != 1 {
		t.Errorf("%d POSTs, want 1", posts.Load())
	}
}

func TestFindRechecksResults(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	// A server that ignores the filter and returns everyone.
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"totalResults":2,"Resources":[{"id":"1","userName":"other"},{"id":"2","userName":"ALICE"}]}`)
	})
	u, err := c.Users.FindByUserName(context.Background(), "alice")
	if err != nil || u == nil || u.ID != "2" {
		t.Fatalf("got %+v, %v", u, err)
	}
	if u, err := c.Users.FindByUserName(context.Background(), `x" or userName pr or userName eq "y`); err != nil || u != nil {
		t.Fatalf("an injection-shaped name selected %+v (%v)", u, err)
	}
}

func TestDeactivateVerifies(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		patch   func(w http.ResponseWriter)
		get     string
		wantErr bool
	}{
		"200 inactive": {func(w http.ResponseWriter) {
			writeBody(w, 200, "application/json", `{"id":"1","userName":"a","active":false}`)
		}, "", false},
		"string boolean": {func(w http.ResponseWriter) {
			writeBody(w, 200, "application/json", `{"id":"1","userName":"a","active":"False"}`)
		}, "", false},
		"204 then inactive": {func(w http.ResponseWriter) { w.WriteHeader(204) }, `{"id":"1","userName":"a","active":false}`, false},
		"204 then gone":     {func(w http.ResponseWriter) { w.WriteHeader(204) }, "404", false},
		"ignored": {func(w http.ResponseWriter) {
			writeBody(w, 200, "application/json", `{"id":"1","userName":"a","active":true}`)
		}, "", true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == "PATCH":
					tc.patch(w)
				case tc.get == "404":
					writeBody(w, 404, "application/json", `{"status":"404"}`)
				default:
					writeBody(w, 200, "application/json", tc.get)
				}
			})
			if _, err := c.Users.Deactivate(context.Background(), "1"); (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}

func TestPatchOpCase(t *testing.T) {
	t.Parallel()
	d := Generic()
	d.PatchOpCase = "capitalized"
	body := d.patchBody([]Operation{{Op: "replace", Path: "active", Value: false}})
	if got := body["Operations"].([]any)[0].(map[string]any)["op"]; got != "Replace" {
		t.Errorf("op %v, want Replace", got)
	}
}
