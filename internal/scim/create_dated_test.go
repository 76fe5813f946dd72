package scim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// firstPost installs a fault on srv for the next POST to collection and
// lets every other request through; the check it returns fails t when the
// fault was not met.
func firstPost(t *testing.T, srv *scimtest.TestServer, collection string, fault func(http.ResponseWriter, func() *scimtest.Response)) (met func()) {
	var posts atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/"+collection) || posts.Add(1) != 1 {
			return false
		}
		fault(w, act)
		return true
	}})
	return func() {
		t.Helper()
		if posts.Load() == 0 {
			t.Fatalf("no POST to /%s met the fault", collection)
		}
	}
}

// lostAnswer carries the request out and drops the connection.
func lostAnswer(w http.ResponseWriter, act func() *scimtest.Response) {
	act()
	scimtest.DropConnection(w)
}

// TestCreatesCostOneRequestOnceTheAppDatesThem (issue 40): once the app
// has shown its clock (Date) and the creation time of an object it made,
// a create sends its POST alone, users and groups alike: 10 users and 5
// groups cost 15 POSTs and the one lookup of the first create. Every
// create looked its name up first before (15 lookups).
func TestCreatesCostOneRequestOnceTheAppDatesThem(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	for i := range 10 {
		if _, err := createUser(ctx, c, &scim.User{UserName: fmt.Sprintf("u%d@example.com", i), Title: "T"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		if _, err := c.Groups.Create(ctx, &scim.Group{DisplayName: fmt.Sprintf("g%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if posts, lookups := srv.Count(http.MethodPost), srv.Count("list"); posts != 15 || lookups > 1 {
		t.Fatalf("15 creates sent %d POSTs and %d lookups (%d requests in all); want 15 POSTs and at most the first create's lookup",
			posts, lookups, srv.Count(""))
	}
}

// TestCreateLooksUpFirstWhereTheAppShowsNoCreationTime: an app that shows
// no meta.created gives no proof of what existed before a POST, so every
// create looks its userName up first, as it did before.
func TestCreateLooksUpFirstWhereTheAppShowsNoCreationTime(t *testing.T) {
	q := scimtest.Quirks{NoCreatedTime: true}
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: q})
	c := newClient(t, srv, nil)
	for i := range 4 {
		if _, err := createUser(context.Background(), c, &scim.User{UserName: fmt.Sprintf("u%d@example.com", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if lookups := srv.Count("list"); lookups != 4 {
		t.Fatalf("%d lookups for 4 creates on an app that shows no creation time, want 4", lookups)
	}
}

// TestDatedCreateClaimsItsOwnObjectAfterALostAnswer: with no lookup before
// the POST, a user and a group the app made but whose answers were lost
// are claimed once each, from their creation time: no duplicate.
func TestDatedCreateClaimsItsOwnObjectAfterALostAnswer(t *testing.T) {
	for _, collection := range []string{"Users", "Groups"} {
		t.Run(collection, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			c := newClient(t, srv, nil)
			ctx := context.Background()
			if _, err := createUser(ctx, c, &scim.User{UserName: "first@example.com"}); err != nil {
				t.Fatal(err)
			}
			met := firstPost(t, srv, collection, lostAnswer)
			var id string
			if collection == "Users" {
				u, err := createUser(ctx, c, &scim.User{UserName: "lost@example.com", Title: "T"})
				if err != nil {
					t.Fatal(err)
				}
				id = u.ID
			} else {
				g, err := c.Groups.Create(ctx, &scim.Group{DisplayName: "lost"})
				if err != nil {
					t.Fatal(err)
				}
				id = g.ID
			}
			met()
			if all := srv.All(collection); len(all) != map[string]int{"Users": 2, "Groups": 1}[collection] || srv.Get(collection, id) == nil {
				t.Fatalf("after a lost answer: %d %s on the server, returned id %s", len(all), collection, id)
			}
		})
	}
}

// TestDatedCreateNeverClaimsAnOlderObject: a user and a group made by hand
// an hour ago, holding exactly what the create sends, and a POST that
// fails without the app acting. The lookup after the failure finds the
// hand-made object; its creation time shows it existed before the POST,
// so it is not claimed: the user is refused as existing, and a new group
// is made beside the old one.
func TestDatedCreateNeverClaimsAnOlderObject(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	hourAgo := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	backdate := func(collection, id string) {
		srv.Modify(collection, id, func(d map[string]any) { d["meta"].(map[string]any)["created"] = hourAgo })
	}
	oldUser := srv.Put("Users", map[string]any{"userName": "old@example.com", "title": "T", "active": true})
	backdate("Users", oldUser)
	oldGroup := srv.Put("Groups", map[string]any{"displayName": "old"})
	backdate("Groups", oldGroup)
	c := newClient(t, srv, nil)
	ctx := context.Background()
	if _, err := createUser(ctx, c, &scim.User{UserName: "first@example.com"}); err != nil {
		t.Fatal(err)
	}
	unavailable := func(w http.ResponseWriter, _ func() *scimtest.Response) {
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	}
	met := firstPost(t, srv, "Users", unavailable)
	_, err := createUser(ctx, c, &scim.User{UserName: "old@example.com", Title: "T"})
	met()
	var existing *scim.ExistingUserError
	if !errors.As(err, &existing) || existing.ID != oldUser {
		t.Fatalf("got %v; want ExistingUserError for the hand-made user %s", err, oldUser)
	}
	met = firstPost(t, srv, "Groups", unavailable)
	g, err := c.Groups.Create(ctx, &scim.Group{DisplayName: "old"})
	met()
	if err != nil || g.ID == oldGroup {
		t.Fatalf("got %+v, %v; want a new group beside the hand-made %s", g, err, oldGroup)
	}
	if doc := srv.Get("Users", oldUser); doc["title"] != "T" || doc["active"] != true || len(srv.All("Groups")) != 2 {
		t.Fatalf("the hand-made objects changed: %v, %d groups", doc, len(srv.All("Groups")))
	}
}

// TestDatedCreateRefusesAnAnswerMadeBeforeThePost: an app that answers a
// POST of a userName it holds with that user (201, as if made now) does
// not make it this create's: it is met as an existing user.
func TestDatedCreateRefusesAnAnswerMadeBeforeThePost(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	old := srv.Put("Users", map[string]any{"userName": "old@example.com", "active": true})
	srv.Modify("Users", old, func(d map[string]any) {
		d["meta"].(map[string]any)["created"] = time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	if _, err := createUser(ctx, c, &scim.User{UserName: "first@example.com"}); err != nil {
		t.Fatal(err)
	}
	met := firstPost(t, srv, "Users", func(w http.ResponseWriter, _ func() *scimtest.Response) {
		doc := srv.Get("Users", old)
		doc["schemas"] = []any{scim.SchemaUser}
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(doc)
	})
	_, err := createUser(ctx, c, &scim.User{UserName: "old@example.com"})
	met()
	var existing *scim.ExistingUserError
	if !errors.As(err, &existing) || existing.ID != old {
		t.Fatalf("got %v; want ExistingUserError for %s, which the app made an hour ago", err, old)
	}
}
