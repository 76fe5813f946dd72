package scim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// seedUsers stores n users on the server and returns their ids.
func seedUsers(srv *scimtest.TestServer, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		name := fmt.Sprintf("user%05d@example.com", i)
		ids[i] = srv.Put("Users", map[string]any{"userName": name, "displayName": fmt.Sprintf("User %d", i), "active": true,
			"emails": []any{map[string]any{"value": name, "type": "work", "primary": true}}})
	}
	return ids
}

func refreshClient(t *testing.T, srv *scimtest.TestServer, mode scim.RefreshMode, d *scim.Dialect) *scim.Client {
	t.Helper()
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: d, MaxRetries: 2, Refresh: mode,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tenAtOnce calls fn for every id with ten callers at once, as Terraform
// runs ten operations in parallel.
func tenAtOnce(ids []string, fn func(id string)) {
	work := make(chan string)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				fn(id)
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

// refreshAll reads ids with ten readers at once, as Terraform's refresh
// does, and returns what each read gave.
func refreshAll(t *testing.T, c *scim.Client, ids []string) map[string]*scim.User {
	t.Helper()
	var mu sync.Mutex
	out := map[string]*scim.User{}
	tenAtOnce(ids, func(id string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		u, err := c.Users.Refresh(ctx, id, time.Time{})
		cancel()
		if errors.Is(err, scim.ErrNotFound) {
			return
		}
		if err != nil {
			t.Errorf("refresh %s: %v", id, err)
			return
		}
		mu.Lock()
		out[id] = u
		mu.Unlock()
	})
	return out
}

// checkSameAsGet compares each refreshed user with a GET of it.
func checkSameAsGet(t *testing.T, srv *scimtest.TestServer, got map[string]*scim.User, ids []string) {
	t.Helper()
	plain := refreshClient(t, srv, scim.RefreshGet, nil)
	for _, id := range ids {
		want, err := plain.Users.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[id], want) {
			t.Fatalf("user %s read from a page:\n%+v\nby GET:\n%+v", id, got[id], want)
		}
	}
}

func TestPagedRefreshCostsPagesPlusWarmup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		users, read int
		mode        scim.RefreshMode
		opts        scimtest.Options
		dialect     *scim.Dialect
		wantMax     int
		wantLists   bool
	}{
		// Most of the tenant: ceil(N/page) + 10 at most.
		{name: "auto, whole tenant", users: 1000, read: 1000, mode: scim.RefreshAuto, wantMax: 10 + 10, wantLists: true},
		{name: "auto, 90% of the tenant", users: 1000, read: 900, mode: scim.RefreshAuto, wantMax: 10 + 10, wantLists: true},
		// A few users in a large tenant: one GET each, no listing.
		{name: "auto, 10 of 3000", users: 3000, read: 10, mode: scim.RefreshAuto, wantMax: 10},
		// Past the warm-up but far from a tenth of the walk: the first page
		// is fetched, the rest is not; readers that waited for it go on.
		{name: "auto, 15 of 20000", users: 20000, read: 15, mode: scim.RefreshAuto, wantMax: 16, wantLists: true},
		{name: "always", users: 250, read: 250, mode: scim.RefreshPages, wantMax: 3, wantLists: true},
		{name: "never", users: 250, read: 250, mode: scim.RefreshGet, wantMax: 250},
		// An app that caps pages at 50 whatever the count asked.
		{name: "page cap", users: 500, read: 500, mode: scim.RefreshAuto, opts: scimtest.Options{PageCap: 50},
			wantMax: 10 + 10, wantLists: true},
		{name: "zero-based index", users: 300, read: 300, mode: scim.RefreshPages,
			opts: scimtest.Options{Quirks: scimtest.Quirks{ZeroBasedStartIndex: true}}, dialect: zeroBased(), wantMax: 3, wantLists: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := scimtest.NewTestServer(t, tc.opts)
			ids := seedUsers(srv, tc.users)[:tc.read]
			c := refreshClient(t, srv, tc.mode, tc.dialect)
			srv.ResetCounts()
			got := refreshAll(t, c, ids)
			if len(got) != len(ids) {
				t.Fatalf("%d users read, want %d", len(got), len(ids))
			}
			if n := srv.Count(""); n > tc.wantMax {
				t.Errorf("%d requests (%d listings) for %d reads, want at most %d", n, srv.Count("list"), len(ids), tc.wantMax)
			}
			if lists := srv.Count("list"); (lists > 0) != tc.wantLists {
				t.Errorf("%d listing requests; want listings: %v", lists, tc.wantLists)
			}
			checkSameAsGet(t, srv, got, ids)
		})
	}
}

func zeroBased() *scim.Dialect {
	d := scim.Generic()
	d.StartIndexBase = 0
	return &d
}

// Pages are fetched anew by each client (each Terraform run), and never
// used once this client has written: a write to one object can change
// others, and pages older than it would hide the change.
func TestPagedRefreshNeverServesStaleData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	ids := seedUsers(srv, 30)
	c := refreshClient(t, srv, scim.RefreshPages, nil)
	if _, err := c.Users.Refresh(ctx, ids[0], time.Time{}); err != nil {
		t.Fatal(err)
	}
	// Out of band, after the pages were fetched: a later run sees it.
	srv.Modify("Users", ids[1], func(doc map[string]any) { doc["title"] = "changed" })
	next := refreshClient(t, srv, scim.RefreshPages, nil)
	if u, err := next.Users.Refresh(ctx, ids[1], time.Time{}); err != nil || u.Title != "changed" {
		t.Fatalf("a new run read %+v, %v; want the change made after the last run", u, err)
	}
	// This client's own write: every later read is a GET.
	if _, err := c.Users.Deactivate(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	for _, id := range ids[2:6] {
		u, err := c.Users.Refresh(ctx, id, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if id == ids[2] && (u.Active == nil || *u.Active) {
			t.Errorf("user read after this client deactivated it: %+v", u)
		}
	}
	if srv.Count("GET") != 4 || srv.Count("list") != 0 {
		t.Errorf("%d GETs, %d listings after a write; want 4 GETs", srv.Count("GET"), srv.Count("list"))
	}
	// The caller's record of a later write (an earlier run's, say) wins too.
	fresh := refreshClient(t, srv, scim.RefreshPages, nil)
	if _, err := fresh.Users.Refresh(ctx, ids[7], time.Time{}); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	if _, err := fresh.Users.Refresh(ctx, ids[8], time.Now().Add(time.Hour)); err != nil || srv.Count("GET") != 1 {
		t.Errorf("read with a later write time: %v, %d GETs, want 1", err, srv.Count("GET"))
	}
}

// An object the listing did not contain is read by GET: deleted ones are
// then reported gone, and the listing's failure costs nothing but GETs.
func TestPagedRefreshFallsBackToGet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("not listed", func(t *testing.T) {
		t.Parallel()
		srv := scimtest.NewTestServer(t, scimtest.Options{})
		ids := seedUsers(srv, 20)
		c := refreshClient(t, srv, scim.RefreshPages, nil)
		if _, err := c.Users.Refresh(ctx, ids[0], time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Users.Refresh(ctx, "no-such-user", time.Time{}); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("a user in no page: %v, want not found", err)
		}
	})
	t.Run("listing fails", func(t *testing.T) {
		t.Parallel()
		srv := scimtest.NewTestServer(t, scimtest.Options{})
		ids := seedUsers(srv, 40)
		srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method == http.MethodGet && r.URL.Query().Has("count") {
				w.WriteHeader(http.StatusInternalServerError)
				return true
			}
			return false
		}})
		c := refreshClient(t, srv, scim.RefreshAuto, nil)
		got := refreshAll(t, c, ids)
		if len(got) != len(ids) {
			t.Fatalf("%d of %d users read after the listing failed", len(got), len(ids))
		}
	})
}

// Groups come from pages where the dialect says listings carry members,
// and by GET (with members read the dialect's way) elsewhere.
func TestPagedRefreshGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		opts      scimtest.Options
		dialect   func() scim.Dialect
		wantLists bool
	}{
		{name: "members inline", dialect: scim.Generic, wantLists: true},
		{name: "members on request", opts: scimtest.Options{Quirks: scimtest.Quirks{MembersNever: true}},
			dialect: func() scim.Dialect {
				d := scim.Generic()
				d.MembersRead = scim.MembersFilter
				return d
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := scimtest.NewTestServer(t, tc.opts)
			users := seedUsers(srv, 3)
			var groups []string
			for i := range 30 {
				groups = append(groups, srv.Put("Groups", map[string]any{"displayName": fmt.Sprintf("G%d", i),
					"members": []any{map[string]any{"value": users[i%3]}}}))
			}
			d := tc.dialect()
			c := refreshClient(t, srv, scim.RefreshPages, &d)
			srv.ResetCounts()
			for i, id := range groups {
				g, err := c.Groups.RefreshWithMembers(ctx, id, users, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				if ids := g.MemberIDs(); len(ids) != 1 || ids[0] != users[i%3] {
					t.Fatalf("group %d members %v, want [%s]", i, ids, users[i%3])
				}
			}
			lists := srv.Count("list")
			if tc.wantLists && (lists != 1 || srv.Count("GET") != 1) {
				t.Errorf("%d requests, %d listings; want one page for 30 groups", srv.Count("GET"), lists)
			}
			if !tc.wantLists && srv.Count("GET")-lists < len(groups) {
				t.Errorf("%d GETs of single groups, want one per group", srv.Count("GET")-lists)
			}
		})
	}
}
