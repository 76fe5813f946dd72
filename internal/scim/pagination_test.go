package scim_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// Pagination as RFC 9865 has it: the pagination object of
// /ServiceProviderConfig is read, a listing never asks for more than
// maxPageSize, and a listing whose cursor expired starts again.

func putUsers(srv *scimtest.TestServer, n int) {
	for i := range n {
		srv.Put("Users", map[string]any{"userName": "u" + strconv.Itoa(i) + "@example.com", "active": true})
	}
}

// TestDiscoveryKeepsPagesWithinMaxPageSize: a server stating maxPageSize 7
// (and answering 400 to more) is listed whole, never asked for more than 7
// at once, even where the user set a larger page size.
func TestDiscoveryKeepsPagesWithinMaxPageSize(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MaxPageSize: 7}})
	putUsers(srv, 20)
	d, _ := scim.Preset("generic")
	d.PageSize = 100
	c := newClient(t, srv, &d)
	c.Discover(context.Background(), map[string]bool{"page_size": true})
	if got := c.Dialect().PageSize; got != 7 {
		t.Errorf("page size after discovery %d, want maxPageSize 7", got)
	}
	users, err := c.Users.List(context.Background(), scim.ListOptions{})
	if err != nil {
		t.Fatalf("listing: %v", err)
	}
	if len(users) != 20 {
		t.Errorf("listed %d users, want 20", len(users))
	}
	for _, r := range srv.Requests() {
		q, _ := url.ParseQuery(r.Query)
		if count, _ := strconv.Atoi(q.Get("count")); r.Method == "GET" && count > 7 {
			t.Errorf("%s %s?%s asked for more than maxPageSize", r.Method, r.Path, r.Query)
		}
	}
}

// TestExpiredCursorRestartsTheListing: a cursor listing that pauses past
// the server's cursorTimeout gets 400 expiredCursor for its next page; the
// listing starts again from the first page and yields each user once.
func TestExpiredCursorRestartsTheListing(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 3,
		Quirks: scimtest.Quirks{CursorPagingUsers: true, CursorTimeout: 50 * time.Millisecond}})
	putUsers(srv, 8)
	d, _ := scim.Preset("generic")
	d.CursorPaging, d.PageSize = true, 3
	c := newClient(t, srv, &d)
	seen := map[string]int{}
	paused := false
	err := c.Users.Walk(context.Background(), scim.Query{}, func(u *scim.User) bool {
		seen[u.UserName]++
		if !paused && len(seen) == 3 {
			paused = true
			time.Sleep(120 * time.Millisecond) // past the cursor's timeout
		}
		return true
	})
	if err != nil {
		t.Fatalf("listing: %v", err)
	}
	if len(seen) != 8 {
		t.Errorf("listed %d users, want 8", len(seen))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s yielded %d times", name, n)
		}
	}
	firstPages := 0
	for _, r := range srv.Requests() {
		if q, _ := url.ParseQuery(r.Query); r.Method == "GET" && strings.HasSuffix(r.Path, "/Users") && q.Has("cursor") && q.Get("cursor") == "" {
			firstPages++
		}
	}
	if firstPages != 2 {
		t.Errorf("the first page was asked for %d times, want 2 (the listing, and its restart after the cursor expired)", firstPages)
	}
}

// TestCursorListingWithTotalResultsEndsOnItsLastPage: a cursor listing
// whose answers also state totalResults ends on the page without
// nextCursor, instead of going on by startIndex (a cold review found it
// asking again from an index; the server then repeats or refuses).
func TestCursorListingWithTotalResultsEndsOnItsLastPage(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 3,
		Quirks: scimtest.Quirks{CursorPagingUsers: true, CursorTotalResults: true}})
	putUsers(srv, 8)
	d, _ := scim.Preset("generic")
	d.CursorPaging, d.PageSize = true, 3
	c := newClient(t, srv, &d)
	before := len(srv.Requests())
	users, err := c.Users.List(context.Background(), scim.ListOptions{})
	if err != nil || len(users) != 8 {
		t.Fatalf("listed %d users, %v; want 8", len(users), err)
	}
	if n := len(srv.Requests()) - before; n != 3 {
		t.Errorf("the listing sent %d requests, want 3 (three pages by cursor)", n)
	}
}
