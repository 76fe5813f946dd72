package scim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// onNextPost installs fault on srv for the next POST to /Users and lets
// every other request through; met fails t when the fault was not met.
func onNextPost(t *testing.T, srv *scimtest.TestServer, fault func(http.ResponseWriter, func() *scimtest.Response)) (met func()) {
	var posts atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Users") || posts.Add(1) != 1 {
			return false
		}
		fault(w, act)
		return true
	}})
	return func() {
		t.Helper()
		if posts.Load() == 0 {
			t.Fatal("no POST met the fault")
		}
	}
}

func createMany(t *testing.T, c *scim.Client, prefix string, n int) {
	t.Helper()
	for i := range n {
		if _, err := createUser(context.Background(), c, &scim.User{UserName: fmt.Sprintf("%s%d@example.com", prefix, i), Title: "T"}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestManyCreatesListTheUsersOnce (issue 40): a run that creates many
// users lists them once, when the listing costs no more than the lookups
// it saves, and then sends each create's POST alone. 20 creates into a
// tenant of 250 users (3 pages): 2 lookups, the first page, the listing's
// 3 pages and the empty page that ends it, 20 POSTs. Each create looked
// its name up before (20).
func TestManyCreatesListTheUsersOnce(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	for i := range 250 {
		srv.Put("Users", map[string]any{"userName": fmt.Sprintf("there%03d@example.com", i), "active": i%2 == 0})
	}
	c := newClient(t, srv, nil)
	createMany(t, c, "new", 20)
	if posts, reads := srv.Count(http.MethodPost), srv.Count("list"); posts != 20 || reads > 7 {
		t.Fatalf("20 creates sent %d POSTs and %d lookups and listing pages; want 20 POSTs and at most 7", posts, reads)
	}
}

// TestFewCreatesIntoALargeTenantLookUpEach: the listing of a tenant larger
// than the run's creates would cost more than their lookups: never taken.
func TestFewCreatesIntoALargeTenantLookUpEach(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	for i := range 2500 {
		srv.Put("Users", map[string]any{"userName": fmt.Sprintf("there%04d@example.com", i)})
	}
	c := newClient(t, srv, nil)
	createMany(t, c, "new", 12)
	if reads := srv.Count("list"); reads > 13 {
		t.Fatalf("12 creates into a tenant of 2,500 users read %d times; want their lookups and one first page", reads)
	}
}

// TestIncompleteListingIsNotTrusted: an app that ignores startIndex shows
// the first page again and again; the listing shows fewer users than the
// app counts, so it is given up and every create looks its name up.
func TestIncompleteListingIsNotTrusted(t *testing.T) {
	q := scimtest.Quirks{IgnoreStartIndex: true}
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: q})
	for i := range 150 {
		srv.Put("Users", map[string]any{"userName": fmt.Sprintf("there%03d@example.com", i)})
	}
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: q})
	c := newClient(t, srv, nil)
	createMany(t, c, "new", 15)
	lookups := 0
	for _, r := range srv.Requests() {
		if strings.Contains(r.Query, "filter=") {
			lookups++
		}
	}
	if lookups < 15 {
		t.Fatalf("%d of 15 creates looked their name up after an incomplete listing; want all", lookups)
	}
}

// TestListedCreateClaimsItsOwnUserAfterALostAnswer: with no lookup before
// its POST, a user the app made but whose answer was lost is claimed once:
// no duplicate, no orphan.
func TestListedCreateClaimsItsOwnUserAfterALostAnswer(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	c := newClient(t, srv, nil)
	createMany(t, c, "first", 10)
	lookups := srv.Count("list")
	met := onNextPost(t, srv, func(w http.ResponseWriter, act func() *scimtest.Response) {
		act()
		scimtest.DropConnection(w)
	})
	u, err := createUser(context.Background(), c, &scim.User{UserName: "lost@example.com", Title: "T"})
	met()
	if err != nil {
		t.Fatal(err)
	}
	if srv.Get("Users", u.ID) == nil || len(srv.All("Users")) != 11 {
		t.Fatalf("after a lost answer: %d users on the server, returned id %s", len(srv.All("Users")), u.ID)
	}
	if srv.Count("list") != lookups+1 {
		t.Fatalf("%d reads for the create; want the one lookup after the failure", srv.Count("list")-lookups)
	}
}

// TestListedCreateMeetsExistingUsersAsBefore: a name the run's listing
// holds is looked up and meets the documented rules (an inactive user is
// reactivated, an active one refused), never POSTed over; a user made by
// hand after the listing, holding other values, is not claimed after a
// failed POST but refused as existing.
func TestListedCreateMeetsExistingUsersAsBefore(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	gone := srv.Put("Users", map[string]any{"userName": "gone@example.com", "active": false})
	active := srv.Put("Users", map[string]any{"userName": "active@example.com", "title": "T", "active": true})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	createMany(t, c, "first", 10)
	posts := srv.Count(http.MethodPost)
	u, how, err := c.Users.CreateOrTakeOver(ctx, &scim.User{UserName: "gone@example.com", Title: "T"}, false)
	if err != nil || how != scim.Reactivated || u.ID != gone {
		t.Fatalf("got %v, %v, %v; want %s reactivated", u, how, err, gone)
	}
	_, err = createUser(ctx, c, &scim.User{UserName: "active@example.com", Title: "T"})
	var existing *scim.ExistingUserError
	if !errors.As(err, &existing) || existing.ID != active {
		t.Fatalf("got %v; want ExistingUserError for %s", err, active)
	}
	if n := srv.Count(http.MethodPost) - posts; n != 0 {
		t.Fatalf("%d POSTs for names the listing holds; want none", n)
	}
	var handMade atomic.Value
	met := onNextPost(t, srv, func(w http.ResponseWriter, _ func() *scimtest.Response) {
		handMade.Store(srv.Put("Users", map[string]any{"userName": "late@example.com", "title": "Made by hand", "active": true}))
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	})
	_, err = createUser(ctx, c, &scim.User{UserName: "late@example.com", Title: "T"})
	met()
	if !errors.As(err, &existing) || existing.ID != handMade.Load() {
		t.Fatalf("got %v; want ExistingUserError for the user made by hand after the listing", err)
	}
}

// TestListingPagesToTheEndWhateverTotalResultsSays: an app that states as
// totalResults the size of each page would end a listing after its first
// page; the run's listing goes on to an empty page, finds the totals
// disagree and is not used, so a user on a later page is looked up and met
// as existing (refused), never POSTed over.
func TestListingPagesToTheEndWhateverTotalResultsSays(t *testing.T) {
	q := scimtest.Quirks{TotalResultsPerPage: true}
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: q})
	for i := range 150 {
		srv.Put("Users", map[string]any{"userName": fmt.Sprintf("there%03d@example.com", i), "active": true})
	}
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: q})
	c := newClient(t, srv, nil)
	createMany(t, c, "new", 10)
	posts := srv.Count(http.MethodPost)
	_, err := createUser(context.Background(), c, &scim.User{UserName: "there149@example.com"})
	var existing *scim.ExistingUserError
	if !errors.As(err, &existing) || srv.Count(http.MethodPost) != posts {
		t.Fatalf("got %v after %d POSTs; want ExistingUserError and no POST", err, srv.Count(http.MethodPost)-posts)
	}
}

// TestListedCreateWithNothingToTellStops: after the run's listing, a POST
// fails ambiguously for a user whose configuration sets neither
// external_id nor title, and a user of its name is found: it may be one a
// sign-in made since the listing, so the create stops and says so instead
// of claiming it.
func TestListedCreateWithNothingToTellStops(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	c := newClient(t, srv, nil)
	createMany(t, c, "first", 10)
	met := onNextPost(t, srv, func(w http.ResponseWriter, act func() *scimtest.Response) {
		act()
		scimtest.DropConnection(w)
	})
	_, err := createUser(context.Background(), c, &scim.User{UserName: "bare@example.com"})
	met()
	var maybe *scim.MaybeCreatedError
	if !errors.As(err, &maybe) {
		t.Fatalf("got %v; want MaybeCreatedError", err)
	}
}
