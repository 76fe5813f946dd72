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
// displayName filter with 400 still gets its groups created (the lookup
// lists every group instead): one group, the one returned. After a POST
// that fails there, a group of the same name made by hand is never
// claimed: a new group is made, and the hand-made one is left as it was.
func TestGroupCreateWhereDisplayNameFiltersAreRefused(t *testing.T) {
	opts := scimtest.Options{Quirks: scimtest.Quirks{FilterMode: "username_only"}}
	ctx := context.Background()
	t.Run("created", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, opts)
		g, err := newClient(t, srv, nil).Groups.Create(ctx, &scim.Group{DisplayName: "G"})
		if err != nil {
			t.Fatal(err)
		}
		if all := srv.All("Groups"); len(all) != 1 || all[0]["id"] != g.ID || all[0]["displayName"] != "G" {
			t.Fatalf("groups %v, want only %s", all, g.ID)
		}
		if posts := srv.Count("POST"); posts != 1 {
			t.Fatalf("%d POSTs, want 1", posts)
		}
	})
	t.Run("failed_post_claims_nothing", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, opts)
		handMade := srv.Put("Groups", map[string]any{"displayName": "G"})
		var posts atomic.Int32
		srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: opts.Quirks,
			Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
				if r.Method == http.MethodPost && posts.Add(1) == 1 {
					http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
					return true
				}
				return false
			}})
		g, err := newClient(t, srv, nil).Groups.Create(ctx, &scim.Group{DisplayName: "G"})
		if err != nil || g == nil || g.ID == handMade || posts.Load() != 2 || len(srv.All("Groups")) != 2 || srv.Get("Groups", handMade) == nil {
			t.Fatalf("got %v, %v, %d POSTs, %d groups; want a new group beside the hand-made one", g, err, posts.Load(), len(srv.All("Groups")))
		}
	})
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

// TestUserCreateAfterAmbiguousFailureNeverClaimsHandMade: an admin makes
// an active user of the same name by hand after the lookup that precedes
// the POST found none, and the POST then fails (503, the app never acted).
// The lookup after the failure finds the hand-made user, which holds other
// values than the POST sent: it is not claimed as created but refused as
// existing (adopt is false), and left as it was.
func TestUserCreateAfterAmbiguousFailureNeverClaimsHandMade(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	var posts atomic.Int32
	var handMade atomic.Value
	srv.SetOptions(scimtest.Options{Token: srv.Token,
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Users") || posts.Add(1) != 1 {
				return false
			}
			handMade.Store(srv.Put("Users", map[string]any{"userName": "u@example.com", "active": true, "title": "Made by hand"}))
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return true
		}})
	got, _, err := newClient(t, srv, nil).Users.CreateOrTakeOver(context.Background(), &scim.User{UserName: "u@example.com", Title: "T"}, false)
	id, _ := handMade.Load().(string)
	if id == "" {
		t.Fatal("the faulted POST never ran")
	}
	var existing *scim.ExistingUserError
	if !errors.As(err, &existing) || existing.ID != id {
		t.Fatalf("got %v, %v; want ExistingUserError for the hand-made %s", got, err, id)
	}
	if doc := srv.Get("Users", id); doc["title"] != "Made by hand" || doc["active"] != true || len(srv.All("Users")) != 1 {
		t.Fatalf("the hand-made user changed, or another was made: %v", srv.All("Users"))
	}
}

// The first POST of a group is carried out but its answer lost, where a
// lookup afterwards may not see the group (issue 43, item 8): an app that
// shows new groups late, one that drops externalId, one that refuses the
// displayName filter. No second group is ever made.
func TestGroupCreateAfterLostAnswerMakesNoDuplicate(t *testing.T) {
	lostFirstPost := func(change func(srv *scimtest.TestServer, id string)) func(*scimtest.TestServer) func(http.ResponseWriter, *http.Request, func() *scimtest.Response) bool {
		return func(srv *scimtest.TestServer) func(http.ResponseWriter, *http.Request, func() *scimtest.Response) bool {
			var posts atomic.Int32
			return func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
				if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Groups") || posts.Add(1) != 1 {
					return false
				}
				resp := act()
				var doc map[string]any
				_ = json.Unmarshal(resp.Body, &doc)
				if change != nil {
					change(srv, fmt.Sprint(doc["id"]))
				}
				scimtest.DropConnection(w)
				return true
			}
		}
	}
	cases := []struct {
		name    string
		quirks  scimtest.Quirks
		window  time.Duration
		fault   func(*scimtest.TestServer) func(http.ResponseWriter, *http.Request, func() *scimtest.Response) bool
		refused bool // the create must stop with MaybeCreatedError
	}{
		{name: "shown_late", quirks: scimtest.Quirks{CreateDelay: 1500 * time.Millisecond}, window: 5 * time.Second, fault: lostFirstPost(nil)},
		// A new group without the externalId sent may be the POST's (the
		// app dropped it) or one made by hand: neither claimed nor posted again.
		{name: "external_id_dropped", fault: lostFirstPost(func(srv *scimtest.TestServer, id string) {
			srv.Modify("Groups", id, func(d map[string]any) { delete(d, "externalId") })
		}), refused: true},
		// The app refuses displayName filters: it is listed whole instead.
		{name: "filter_refused", quirks: scimtest.Quirks{FilterMode: "username_only"}, fault: lostFirstPost(nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: tc.quirks})
			srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: tc.quirks, Fault: tc.fault(srv)})
			d, _ := scim.Preset("generic")
			d.ConsistencyWindow = tc.window
			c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: &d, MaxRetries: 2})
			if err != nil {
				t.Fatal(err)
			}
			g, err := c.Groups.Create(context.Background(), &scim.Group{DisplayName: "Late", ExternalID: "ext-1"})
			var maybe *scim.MaybeCreatedError
			switch {
			case tc.refused && !errors.As(err, &maybe):
				t.Fatalf("create: %v, %v; want MaybeCreatedError", g, err)
			case !tc.refused && (err != nil || g == nil):
				t.Fatalf("create: %v, %v; want the group the lost POST made", g, err)
			}
			if n := len(srv.All("Groups")); n != 1 {
				t.Fatalf("%d groups in the app, want 1", n)
			}
		})
	}
}

// TestGroupCreateChecksExternalIDKept (issue 43, item 9): an app that
// drops the externalId of a group POST (and answers without it) gets it
// sent again by PATCH: the create checks the name and externalId it sent,
// not only the members.
func TestGroupCreateChecksExternalIDKept(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	var posts atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost || posts.Add(1) != 1 {
			return false
		}
		resp := act()
		var doc map[string]any
		_ = json.Unmarshal(resp.Body, &doc)
		delete(doc, "externalId")
		srv.Modify("Groups", fmt.Sprint(doc["id"]), func(d map[string]any) { delete(d, "externalId") })
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(doc)
		return true
	}})
	g, err := newClient(t, srv, nil).Groups.Create(context.Background(), &scim.Group{DisplayName: "Kept", ExternalID: "ext-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Get("Groups", g.ID)["externalId"]; got != "ext-1" {
		t.Fatalf("the app holds externalId %v, want ext-1 sent again", got)
	}
}

// TestSameNameGroupsCreatedTogetherNeverSwap (issue 43, item 9): two groups
// of one name are created in one run. A's POST is carried out but not yet
// answered when B's POST fails before the app acted: B's lookup would find
// A's new group, unclaimed yet. B never takes it: it stops, saying the
// group may have been created, and no duplicate is made.
func TestSameNameGroupsCreatedTogetherNeverSwap(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	aArrived, bArrived, aActed, bDone := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
	var posts atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost {
			return false
		}
		switch posts.Add(1) {
		case 1: // A
			close(aArrived)
			<-bArrived
			resp := act()
			close(aActed)
			select {
			case <-bDone:
			case <-time.After(5 * time.Second):
			}
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.Status)
			_, _ = w.Write(resp.Body)
		case 2: // B
			close(bArrived)
			<-aActed
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		default:
			return false
		}
		return true
	}})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	var a *scim.Group
	var aErr error
	aDone := make(chan struct{})
	go func() {
		defer close(aDone)
		a, aErr = c.Groups.Create(ctx, &scim.Group{DisplayName: "Same"})
	}()
	<-aArrived
	b, err := c.Groups.Create(ctx, &scim.Group{DisplayName: "Same"})
	close(bDone)
	<-aDone
	if aErr != nil {
		t.Fatalf("A: %v", aErr)
	}
	var maybe *scim.MaybeCreatedError
	if !errors.As(err, &maybe) {
		t.Fatalf("B: %v, %v (A made %s); want MaybeCreatedError", b, err, a.ID)
	}
	if n := len(srv.All("Groups")); n != 1 {
		t.Fatalf("%d groups, want A's only", n)
	}
}
