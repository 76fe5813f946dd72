package scim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A 404 to the deactivation is taken as it stands only when the dialect
// says the app deletes users on deactivation; otherwise a GET decides, so a
// user that is still there and active is never reported deactivated.
func TestDeactivateNotFound(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		mayDelete bool
		get       string // "404" or a user document
		wantErr   string
		wantGone  bool
		wantGets  int32
	}{
		"may delete: 404 trusted":        {mayDelete: true, get: `{"id":"1","userName":"a","active":true}`, wantGets: 0},
		"404 and gone":                   {get: "404", wantGone: true, wantGets: 1},
		"404 but still active":           {get: `{"id":"1","userName":"a","active":true}`, wantErr: "still there and active", wantGets: 1},
		"404 but inactive already":       {get: `{"id":"1","userName":"a","active":false}`, wantGets: 1},
		"may delete: 404 with any reads": {mayDelete: true, get: "404", wantGets: 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var gets atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					gets.Add(1)
				}
				if r.Method == http.MethodPatch || tc.get == "404" {
					writeBody(w, 404, "application/scim+json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"}`)
					return
				}
				writeBody(w, 200, "application/scim+json", tc.get)
			})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			d := Generic()
			d.Discover = false
			d.DeactivateMayDelete = tc.mayDelete
			c, err := New(Config{Endpoint: srv.URL + "/scim/v2", Token: testToken, Dialect: &d,
				MaxRetries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			gone, err := c.Users.Deactivate(context.Background(), "1")
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if gone != tc.wantGone {
				t.Errorf("gone = %v, want %v", gone, tc.wantGone)
			}
			if got := gets.Load(); got != tc.wantGets {
				t.Errorf("%d GETs, want %d", got, tc.wantGets)
			}
		})
	}
}

// A preset's documented rate paces the client when the caller sets no
// rate_limit of its own; the caller's setting wins.
func TestDialectRateLimitIsTheDefaultPace(t *testing.T) {
	t.Parallel()
	d, _ := Preset("slack")
	for _, tc := range []struct {
		set, want float64
	}{{0, 3}, {10, 10}} {
		c, err := New(Config{Endpoint: "https://slack.example/scim/v2", Token: testToken, Dialect: &d, RateLimit: tc.set})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.limiter.Pace(); got != tc.want {
			t.Errorf("rate_limit %v: paced at %v, want %v", tc.set, got, tc.want)
		}
	}
}
