package scim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// usersIgnoringFilters answers every /Users listing with all of users (an
// app that ignores filters), or with a 400 invalidFilter when the filter
// contains reject; it records each filter it was sent.
func usersIgnoringFilters(t *testing.T, mux *http.ServeMux, reject string, users ...string) *[]string {
	t.Helper()
	var mu sync.Mutex
	var filters []string
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		f := r.URL.Query().Get("filter")
		mu.Lock()
		filters = append(filters, f)
		mu.Unlock()
		if reject != "" && strings.Contains(f, reject) {
			writeBody(w, 400, "application/scim+json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidFilter","detail":"operator not supported"}`)
			return
		}
		start := atoi(r.URL.Query().Get("startIndex"))
		count := atoi(r.URL.Query().Get("count"))
		var items []string
		for i := start; i < start+count && i <= len(users); i++ {
			name, active, _ := strings.Cut(users[i-1], ":")
			items = append(items, fmt.Sprintf(`{"id":"%d","userName":%q,"active":%s}`, i, name, active))
		}
		writeBody(w, 200, "application/scim+json", fmt.Sprintf(`{"totalResults":%d,"Resources":[%s]}`, len(users), strings.Join(items, ",")))
	})
	return &filters
}

func walkUserNames(t *testing.T, c *Client, q Query) []string {
	t.Helper()
	var names []string
	err := c.Users.Walk(context.Background(), q, func(u *User) bool {
		names = append(names, u.UserName)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestWalkNarrowsWhatTheAppIgnores(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	filters := usersIgnoringFilters(t, mux, "", "alice:true", "Alfred:true", "albert:false", "bob:true")
	active := true
	got := walkUserNames(t, c, Query{Filter: `userName pr`, NamePrefix: "AL", Active: &active})
	if strings.Join(got, ",") != "alice,Alfred" {
		t.Errorf("got %v, want alice and Alfred (prefix compared case-insensitively, inactive albert left out)", got)
	}
	want := `(userName pr) and userName sw "AL" and active eq true`
	if len(*filters) != 1 || (*filters)[0] != want {
		t.Errorf("filters sent %q, want one request with %q", *filters, want)
	}
}

// The caller's own filter is checked too: an app that ignores it returns
// everyone, and only the users it describes are yielded. What the client
// cannot judge from a listing (groups it leaves out) is kept.
func TestWalkChecksTheCallersFilter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	usersIgnoringFilters(t, mux, "", "alice@a.com:true", "bob@b.com:true", "carol@a.com:false", "dave@a.com:true")
	cases := map[string]string{
		`userName ew "@A.COM" and not (active eq false)`: "alice@a.com,dave@a.com",
		`userName eq "bob@b.com" or userName sw "car"`:   "bob@b.com,carol@a.com",
		`title eq "Engineer"`:                            "",
		`groups.value eq "g1"`:                           "alice@a.com,bob@b.com,carol@a.com,dave@a.com",
		`groups.value eq "g1" and active eq false`:       "carol@a.com",
	}
	for filter, want := range cases {
		if got := strings.Join(walkUserNames(t, c, Query{Filter: filter}), ","); got != want {
			t.Errorf("filter %s: got %q, want %q", filter, got, want)
		}
	}
}

func TestWalkFallsBackWhenTheAppRejectsConveniences(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	filters := usersIgnoringFilters(t, mux, " sw ", "alice:true", "bob:true")
	got := walkUserNames(t, c, Query{NamePrefix: "b"})
	if strings.Join(got, ",") != "bob" {
		t.Errorf("got %v, want bob", got)
	}
	if len(*filters) != 2 || (*filters)[1] != "" {
		t.Errorf("filters sent %q, want the sw filter, then none", *filters)
	}
}

func TestWalkReportsARejectedCallerFilter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	filters := usersIgnoringFilters(t, mux, "title", "alice:true")
	err := c.Users.Walk(context.Background(), Query{Filter: `title co "x"`}, func(*User) bool { return true })
	if err == nil || !strings.Contains(err.Error(), "invalidFilter") {
		t.Fatalf("got %v, want the app's invalidFilter error", err)
	}
	if len(*filters) != 1 {
		t.Errorf("%d requests, want 1: the caller's own filter is never dropped", len(*filters))
	}
}

func TestWalkWithoutRichFiltersSendsOnlyTheCallersFilter(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	d := c.Dialect()
	d.RichFilters = false
	if err := c.SetDialect(d); err != nil {
		t.Fatal(err)
	}
	filters := usersIgnoringFilters(t, mux, "", "alice:true", "bob:false")
	inactive := false
	got := walkUserNames(t, c, Query{Filter: `userName eq "bob"`, Active: &inactive})
	if strings.Join(got, ",") != "bob" {
		t.Errorf("got %v, want bob", got)
	}
	if len(*filters) != 1 || (*filters)[0] != `userName eq "bob"` { // as written: no parentheses for an app that parses little
		t.Errorf("filters sent %q, want only the caller's", *filters)
	}
}

func TestWalkStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	d := c.Dialect()
	d.PageSize = 10
	if err := c.SetDialect(d); err != nil {
		t.Fatal(err)
	}
	var users []string
	for i := range 35 {
		users = append(users, fmt.Sprintf("u%02d:true", i))
	}
	filters := usersIgnoringFilters(t, mux, "", users...)
	got := walkUserNames(t, c, Query{Limit: 12})
	if len(got) != 12 || len(*filters) != 2 {
		t.Errorf("got %d users in %d requests, want 12 in 2 (pages of 10)", len(got), len(*filters))
	}
	var first []string
	err := c.Users.Walk(context.Background(), Query{}, func(u *User) bool {
		first = append(first, u.UserName)
		return len(first) < 3
	})
	if err != nil || len(first) != 3 {
		t.Errorf("stopping from yield: got %v, %v; want 3 users and no error", first, err)
	}
}

// The filter is checked on the resource as the app sent it, before the
// client renames the app's roles attribute to roles.
func TestWalkChecksTheFilterBeforeRenamingRoles(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	d := c.Dialect()
	d.RolesAttribute = "appRoles"
	if err := c.SetDialect(d); err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/scim+json", `{"totalResults":2,"Resources":[
			{"id":"1","userName":"alice","appRoles":[{"value":"admin"}]},
			{"id":"2","userName":"bob","appRoles":[{"value":"viewer"}]}]}`)
	})
	if got := walkUserNames(t, c, Query{Filter: `appRoles.value eq "admin"`}); strings.Join(got, ",") != "alice" {
		t.Errorf("got %v, want alice", got)
	}
}
