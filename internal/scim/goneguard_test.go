package scim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestManagedReadCountsEachObjectOnce: a deleted group read four times in
// one run (the group and three memberships of it) is one missing object,
// not four: with other groups listed, every read takes it as gone.
func TestManagedReadCountsEachObjectOnce(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.Put("Groups", map[string]any{"displayName": "Another"})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	for i := range 4 {
		done := c.ManagedRead("Groups", "deleted-group")
		_, err := c.Groups.Get(ctx, "deleted-group")
		if err = done(ctx, err); !errors.Is(err, scim.ErrNotFound) {
			t.Fatalf("read %d: %v, want not found", i+1, err)
		}
	}
}

// TestManagedReadWeighsWitnesses: a member that still answers proves the
// endpoint is the group's tenant, even where /Groups lists nothing; a
// member that answers 404 too stops the refresh, naming what it saw.
func TestManagedReadWeighsWitnesses(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	member := srv.Put("Users", map[string]any{"userName": "ann@example.com"})
	ctx := context.Background()
	c := newClient(t, srv, nil)
	done := c.ManagedRead("Groups", "deleted-group", member)
	_, err := c.Groups.Get(ctx, "deleted-group")
	if err = done(ctx, err); !errors.Is(err, scim.ErrNotFound) {
		t.Fatalf("with a member that answers: %v, want not found", err)
	}
	c = newClient(t, srv, nil)
	done = c.ManagedRead("Groups", "deleted-group", "someone-elses-member")
	_, err = c.Groups.Get(ctx, "deleted-group")
	var mismatch *scim.TenantMismatchError
	if err = done(ctx, err); !errors.As(err, &mismatch) {
		t.Fatalf("with a member that answers 404: %v, want a tenant mismatch", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "Groups/deleted-group") || !strings.Contains(msg, "someone-elses-member") || strings.Contains(msg, "all ") {
		t.Errorf("the message does not say what it saw: %s", msg)
	}
}

// TestManagedReadDoesNotTrustCountedIDs: where ids are small numbers
// counted per tenant, "Users/7" answers in any tenant, so a member found
// under such an id is no proof that the endpoint is the group's tenant:
// the only managed group missing from an empty /Groups still stops the
// refresh. A member with an id no other tenant holds still proves it.
func TestManagedReadDoesNotTrustCountedIDs(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.PutWithID("Users", "7", map[string]any{"userName": "someone-in-another-tenant@example.com"})
	ctx := context.Background()
	c := newClient(t, srv, nil)
	done := c.ManagedRead("Groups", "12", "7")
	_, err := c.Groups.Get(ctx, "12")
	var mismatch *scim.TenantMismatchError
	if err = done(ctx, err); !errors.As(err, &mismatch) {
		t.Fatalf("with a member under a counted id: %v, want a tenant mismatch", err)
	}
	member := srv.Put("Users", map[string]any{"userName": "ann@example.com"})
	c = newClient(t, srv, nil)
	done = c.ManagedRead("Groups", "12", member)
	_, err = c.Groups.Get(ctx, "12")
	if err = done(ctx, err); !errors.Is(err, scim.ErrNotFound) {
		t.Fatalf("with a member under an id of its own: %v, want not found", err)
	}
}

// TestManagedReadDoesNotTrustCountedManagedObjects: a managed user found
// under a counted id ("7", which another tenant may hold too) is no proof
// either: the only managed group missing from an empty /Groups still stops
// the refresh (a cold review found the found-user path trusted).
func TestManagedReadDoesNotTrustCountedManagedObjects(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.PutWithID("Users", "7", map[string]any{"userName": "someone-in-another-tenant@example.com"})
	ctx := context.Background()
	c := newClient(t, srv, nil)
	userDone := c.ManagedRead("Users", "7")
	_, err := c.Users.Get(ctx, "7")
	if err = userDone(ctx, err); err != nil {
		t.Fatalf("reading user 7: %v", err)
	}
	groupDone := c.ManagedRead("Groups", "12")
	_, err = c.Groups.Get(ctx, "12")
	var mismatch *scim.TenantMismatchError
	if err = groupDone(ctx, err); !errors.As(err, &mismatch) {
		t.Fatalf("with only a counted id found: %v, want a tenant mismatch", err)
	}
}
