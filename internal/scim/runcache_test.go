package scim_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestGroupRefreshReadsOncePerRun: refresh reads of one group in a run,
// ten at once and more after, share one GET; a write by this client, or a
// caller whose own last write is newer than that GET, reads again; a group
// the app answered 404 for is gone for every later reader of the run.
func TestGroupRefreshReadsOncePerRun(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	user := srv.Put("Users", map[string]any{"userName": "a@example.com", "active": true})
	group := srv.Put("Groups", map[string]any{"displayName": "Everyone", "members": []any{map[string]any{"value": user}}})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	gets := func() int {
		n := 0
		for _, r := range srv.Requests() {
			if r.Method == "GET" && r.Path == "/scim/v2/Groups/"+group {
				n++
			}
		}
		return n
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			g, err := c.Groups.RefreshWithMembers(ctx, group, []string{user}, time.Time{})
			if err != nil || len(g.MemberIDs()) != 1 {
				t.Errorf("read %+v, %v", g, err)
			}
		})
	}
	wg.Wait()
	for range 5 {
		g, _ := c.Groups.RefreshWithMembers(ctx, group, nil, time.Time{})
		g.Members = nil // a reader's changes stay its own
	}
	if n := gets(); n != 1 {
		t.Fatalf("15 refresh reads of one group sent %d GETs, want 1", n)
	}
	if _, err := c.Groups.RefreshWithMembers(ctx, group, nil, time.Now()); err != nil || gets() != 2 {
		t.Fatalf("a caller that wrote after the shared read was answered from it (%d GETs, %v)", gets(), err)
	}
	if err := c.Groups.Update(ctx, group, nil, nil, []string{user}); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	g, err := c.Groups.RefreshWithMembers(ctx, group, nil, time.Time{})
	if err != nil || len(g.MemberIDs()) != 0 || gets() != 1 {
		t.Fatalf("after this client removed the member: %+v, %v, %d GETs; want a new read without it", g, err, gets())
	}
	if err := c.Groups.Delete(ctx, group); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	for range 3 {
		if _, err := c.Groups.RefreshWithMembers(ctx, group, nil, time.Time{}); !errors.Is(err, scim.ErrNotFound) {
			t.Fatalf("read of a deleted group: %v", err)
		}
	}
	if n := gets(); n != 1 {
		t.Fatalf("three reads of a deleted group sent %d GETs, want 1", n)
	}
}
