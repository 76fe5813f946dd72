package scim_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestUnsupportedMediaTypeInFlight: five PATCHes sent at once as
// application/scim+json all meet a 415; each is sent again as
// application/json, not only the first one to learn the fallback.
func TestUnsupportedMediaTypeInFlight(t *testing.T) {
	const n = 5
	var arrived sync.WaitGroup
	arrived.Add(n)
	var once sync.Map
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{AcceptOnly: "application/json"}})
	var ids []string
	for i := range n {
		ids = append(ids, srv.Put("Users", map[string]any{"userName": string(rune('a'+i)) + "@example.com"}))
	}
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: scimtest.Quirks{AcceptOnly: "application/json"},
		Fault: func(_ http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			// Hold the first PATCH of each user until all five are in flight.
			if _, seen := once.LoadOrStore(r.URL.Path, true); r.Method == http.MethodPatch && !seen {
				arrived.Done()
				done := make(chan struct{})
				go func() { arrived.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(3 * time.Second):
				}
			}
			return false
		}})
	c := newClient(t, srv, nil)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, id := range ids {
		wg.Go(func() {
			from := &scim.User{ID: id, UserName: string(rune('a'+i)) + "@example.com"}
			to := *from
			to.Title = "T"
			_, errs[i] = c.Users.Update(context.Background(), id, from, &to, scim.Attrs{"title": true})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
}

// TestPutFallbackIsPerResourceType: an app that refuses PATCH of users (405)
// but takes it for groups: users move to GET and PUT, groups keep PATCH.
func TestPutFallbackIsPerResourceType(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	uid := srv.Put("Users", map[string]any{"userName": "a@example.com"})
	gid := srv.Put("Groups", map[string]any{"displayName": "G"})
	srv.SetOptions(scimtest.Options{Token: srv.Token,
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method == http.MethodPatch && strings.Contains(r.URL.Path, "/Users/") {
				http.Error(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"405"}`, http.StatusMethodNotAllowed)
				return true
			}
			return false
		}})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	from := &scim.User{ID: uid, UserName: "a@example.com"}
	to := *from
	to.Title = "T"
	if _, err := c.Users.Update(ctx, uid, from, &to, scim.Attrs{"title": true}); err != nil {
		t.Fatal(err)
	}
	if err := c.Groups.Update(ctx, gid, nil, []string{uid}, nil); err != nil {
		t.Fatal(err)
	}
	if srv.Count("PUT") != 1 {
		t.Errorf("%d PUTs, want 1 (the user)", srv.Count("PUT"))
	}
	if last := lastRequest(srv, "PATCH"); !strings.Contains(last.Path, "/Groups/") {
		t.Errorf("the group was not written with PATCH; last PATCH %s", last.Path)
	}
}
