package scim_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestGroupCreateNeverClaimsAnotherCreatesGroup: B looks up "Same" (none),
// then A creates "Same" and B's POST gets a 503 that never reached the app.
// B's lookup afterwards finds A's group, which did not exist before B's
// POST but was made by this client for A: B must not take it.
func TestGroupCreateNeverClaimsAnotherCreatesGroup(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	var first atomic.Bool
	var a *scim.Group
	srv.SetOptions(scimtest.Options{Token: srv.Token,
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			// The first POST is B's: A's create runs before it fails (A's own
			// POST, the second, goes through).
			hit := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Groups") && first.CompareAndSwap(false, true)
			if hit {
				var err error
				if a, err = c.Groups.Create(ctx, &scim.Group{DisplayName: "Same"}); err != nil {
					t.Error(err)
				}
			}
			if hit {
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			}
			return hit
		}})
	b, err := c.Groups.Create(ctx, &scim.Group{DisplayName: "Same"})
	if err != nil {
		t.Fatal(err)
	}
	if a == nil || b.ID == a.ID {
		t.Fatalf("B took A's group %v", b.ID)
	}
	if n := len(srv.All("Groups")); n != 2 {
		t.Fatalf("%d groups, want A's and B's", n)
	}
}

// TestGroupCreateWhereDisplayNameFiltersAreRefused: an app that answers a
// displayName filter with 400 still gets its groups created (the lookup is
// skipped, and nothing is claimed after a failed POST).
func TestGroupCreateWhereDisplayNameFiltersAreRefused(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{FilterMode: "username_only"}})
	if _, err := newClient(t, srv, nil).Groups.Create(context.Background(), &scim.Group{DisplayName: "G"}); err != nil {
		t.Fatal(err)
	}
}

// TestGroupCreateCheckedFromItsAnswer: when the POST answer shows every
// member sent, the create costs the lookup and the POST, no read.
func TestGroupCreateCheckedFromItsAnswer(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	u1 := srv.Put("Users", map[string]any{"userName": "a"})
	u2 := srv.Put("Users", map[string]any{"userName": "b"})
	srv.ResetCounts()
	g, err := newClient(t, srv, nil).Groups.Create(context.Background(), &scim.Group{DisplayName: "G", Members: scim.MembersOf([]string{u1, u2})})
	if err != nil || len(g.Members) != 2 {
		t.Fatalf("%v, %v", g, err)
	}
	var got []string
	for _, r := range srv.Requests() {
		if !strings.HasSuffix(r.Path, "/ServiceProviderConfig") {
			got = append(got, r.Method)
		}
	}
	if strings.Join(got, " ") != "GET POST" {
		t.Fatalf("requests %v, want the lookup and the POST", got)
	}
}

// TestUserCreateAfterAmbiguousFailureNeverClaimsHandMade: a hand-made
// active user exists and the first POST would fail without an answer; the
// create never reaches it: the lookup before the POST finds the user, which
// is refused as existing (adopt is false) and left as it was.
func TestUserCreateAfterAmbiguousFailureNeverClaimsHandMade(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	id := srv.Put("Users", map[string]any{"userName": "u@example.com", "active": true, "title": "Made by hand"})
	var posts atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token,
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method == http.MethodPost && posts.Add(1) == 1 {
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
				return true
			}
			return false
		}})
	_, _, err := newClient(t, srv, nil).Users.CreateOrTakeOver(context.Background(), &scim.User{UserName: "u@example.com", Title: "T"}, false)
	var existing *scim.ExistingUserError
	if !errors.As(err, &existing) || existing.ID != id {
		t.Fatalf("err %v, want ExistingUserError for %s", err, id)
	}
	if doc := srv.Get("Users", id); doc["title"] != "Made by hand" || doc["active"] != true {
		t.Fatalf("the hand-made user changed: %v", doc)
	}
}
