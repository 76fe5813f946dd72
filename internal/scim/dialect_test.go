package scim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

func newClient(t *testing.T, srv *scimtest.TestServer, d *scim.Dialect) *scim.Client {
	t.Helper()
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: d, MaxRetries: scim.DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func createUser(ctx context.Context, c *scim.Client, u *scim.User) (*scim.User, error) {
	created, _, err := c.Users.CreateOrTakeOver(ctx, u, false)
	return created, err
}

func lastRequest(srv *scimtest.TestServer, method string) scimtest.Request {
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method {
			return reqs[i]
		}
	}
	return scimtest.Request{}
}

// Each server quirk is met by the client without settings, or by the dialect.
func TestClientCopesWithQuirks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	update := func(t *testing.T, c *scim.Client) *scim.User {
		t.Helper()
		u, err := createUser(ctx, c, &scim.User{UserName: "q@example.com", Title: "A", Active: scim.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		to := *u
		to.Title = "B"
		got, err := c.Users.Update(ctx, u.ID, u, &to, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "B" {
			t.Fatalf("title %q after update", got.Title)
		}
		return got
	}
	t.Run("no PATCH: falls back to PUT and keeps unmanaged attributes", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{NoPatch: true}})
		c := newClient(t, srv, nil)
		u := update(t, c)
		srv.Modify("Users", u.ID, func(doc map[string]any) { doc["nickName"] = "kept" })
		to := *u
		to.Title = "C"
		if _, err := c.Users.Update(ctx, u.ID, u, &to, scim.Attrs{"title": true}); err != nil {
			t.Fatal(err)
		}
		if doc := srv.Get("Users", u.ID); doc["nickName"] != "kept" || doc["title"] != "C" {
			t.Errorf("PUT lost or missed attributes: %v", doc)
		}
		if n := srv.Count("PATCH"); n != 1 {
			t.Errorf("%d PATCH attempts, want 1 before switching to PUT for good", n)
		}
	})
	t.Run("415 on scim+json: retries as application/json", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{AcceptOnly: "application/json"}})
		update(t, newClient(t, srv, nil))
	})
	t.Run("capitalized ops only", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{OpCase: "capitalized"}})
		d, _ := scim.Preset("hyperproof")
		update(t, newClient(t, srv, &d))
		if !strings.Contains(lastRequest(srv, "PATCH").Body, `"op":"Replace"`) {
			t.Errorf("PATCH body %s", lastRequest(srv, "PATCH").Body)
		}
	})
	t.Run("zero-based startIndex", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 3, Quirks: scimtest.Quirks{ZeroBasedStartIndex: true}})
		for i := 0; i < 8; i++ {
			srv.Put("Users", map[string]any{"userName": string(rune('a'+i)) + "@example.com"})
		}
		d := scim.Generic()
		d.StartIndexBase = 0
		users, err := newClient(t, srv, &d).Users.List(ctx, scim.ListOptions{})
		if err != nil || len(users) != 8 {
			t.Fatalf("%d users, %v", len(users), err)
		}
	})
	t.Run("ignored startIndex: dedupe stops the loop", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 3, Quirks: scimtest.Quirks{IgnoreStartIndex: true}})
		for i := 0; i < 8; i++ {
			srv.Put("Users", map[string]any{"userName": string(rune('a'+i)) + "@example.com"})
		}
		users, err := newClient(t, srv, nil).Users.List(ctx, scim.ListOptions{})
		if err != nil || len(users) != 3 {
			t.Fatalf("%d users, %v; want the 3 the server ever returns, without looping", len(users), err)
		}
	})
	t.Run("sloppy answers", func(t *testing.T) {
		opts, _ := scimtest.Preset("sloppy")
		srv := scimtest.NewTestServer(t, opts)
		c := newClient(t, srv, nil)
		u := update(t, c)
		if _, err := c.Users.Deactivate(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		// The 409 comes with a numeric status; the inactive user is found
		// and reactivated.
		again, how, err := c.Users.CreateOrTakeOver(ctx, &scim.User{UserName: "q@example.com"}, false)
		if err != nil || how != scim.Reactivated || again.ID != u.ID {
			t.Fatalf("re-create: %v, %v, %+v", how, err, again)
		}
	})
	t.Run("create answered 200 without body", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{PostStatus200: true, PostEmptyBody: true}})
		u, err := createUser(ctx, newClient(t, srv, nil), &scim.User{UserName: "empty@example.com"})
		if err != nil || u.UserName != "empty@example.com" || u.ID == "" {
			t.Fatalf("got %+v, %v", u, err)
		}
	})
	t.Run("deactivation ignored by the server is an error", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{DeactivateMode: "noop"}})
		c := newClient(t, srv, nil)
		u, _ := createUser(ctx, c, &scim.User{UserName: "noop@example.com"})
		if _, err := c.Users.Deactivate(ctx, u.ID); err == nil || !strings.Contains(err.Error(), "still reports it active") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("200 with an error body", func(t *testing.T) {
		srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{OKWithErrorBody: true}})
		_, err := newClient(t, srv, nil).Users.Get(ctx, "missing")
		if !errors.Is(err, scim.ErrNotFound) {
			t.Fatalf("got %v, want not found", err)
		}
	})
	t.Run("error bodies", func(t *testing.T) {
		for _, shape := range []string{"plain", "nested", "int_status", "none"} {
			srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{ErrorBody: shape}})
			_, err := newClient(t, srv, nil).Users.Get(ctx, "missing")
			var se *scim.Error
			if !errors.As(err, &se) || se.StatusCode != 404 {
				t.Errorf("%s: got %v", shape, err)
			}
		}
	})
	t.Run("members never returned: checked per member", func(t *testing.T) {
		opts, _ := scimtest.Preset("aws")
		srv := scimtest.NewTestServer(t, opts)
		d, _ := scim.Preset("aws_identity_center")
		c := newClient(t, srv, &d)
		id := srv.Put("Groups", map[string]any{"displayName": "G", "members": []any{map[string]any{"value": "u1"}, map[string]any{"value": "u2"}}})
		g, err := c.Groups.GetWithMembers(ctx, id, []string{"u1", "u3"})
		if err != nil || len(g.Members) != 1 || g.Members[0].Value != "u1" {
			t.Fatalf("got %+v, %v", g, err)
		}
	})
	t.Run("members paged through users' groups", func(t *testing.T) {
		opts, _ := scimtest.Preset("aws") // members never returned with the group
		opts.PageCap = 40
		srv := scimtest.NewTestServer(t, opts)
		var members []any
		for i := 0; i < 95; i++ {
			members = append(members, map[string]any{"value": srv.Put("Users", map[string]any{"userName": strings.Repeat("u", 1) + string(rune('A'+i%26)) + strings.Repeat("x", i) + "@example.com"})})
		}
		id := srv.Put("Groups", map[string]any{"displayName": "Paged", "members": members})
		srv.Put("Groups", map[string]any{"displayName": "Other", "members": members[:3]})
		d := scim.Generic()
		d.MembersRead = scim.MembersPaged
		d.CursorPaging = true // the AWS model pages users by cursor only, as AWS does
		srv.ResetCounts()
		g, err := newClient(t, srv, &d).Groups.GetWithMembers(ctx, id, nil)
		if err != nil || len(g.Members) != 95 {
			t.Fatalf("%d members, %v; want all 95", len(g.Members), err)
		}
		if n := srv.Count("GET") - srv.Count("discovery"); n != 1+3 {
			t.Errorf("%d GETs, want 1 group read + ceil(95/40) = 3 pages", n)
		}
	})
}
