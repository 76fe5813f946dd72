package scim_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// createAtOnce creates n users (c0..c(n-1)@example.com) concurrently, as
// Terraform does, and returns each create's error.
func createAtOnce(c *scim.Client, n int) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, _, errs[i] = c.Users.CreateOrTakeOver(context.Background(), &scim.User{UserName: fmt.Sprintf("c%d@example.com", i)}, false)
		})
	}
	wg.Wait()
	return errs
}

// TestLookupsBeforeCreateAreCoalesced: 20 creates at once behind a rate
// limit share their lookups (`userName eq "a" or ...`) instead of sending
// one each, and a hand-made active user among them is still found.
func TestLookupsBeforeCreateAreCoalesced(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	handMade := srv.Put("Users", map[string]any{"userName": "C7@example.com", "active": true})
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, MaxRetries: 2, RateLimit: 20})
	if err != nil {
		t.Fatal(err)
	}
	errs := createAtOnce(c, 20)
	for i, err := range errs {
		var existing *scim.ExistingUserError
		switch {
		case i == 7 && (!errors.As(err, &existing) || existing.ID != handMade):
			t.Errorf("create 7: %v, want the hand-made user refused as existing", err)
		case i != 7 && err != nil:
			t.Errorf("create %d: %v", i, err)
		}
	}
	lookups := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.HasSuffix(r.Path, "/Users") {
			lookups++
		}
	}
	if lookups >= 10 {
		t.Errorf("%d lookups for 20 creates, want them coalesced", lookups)
	}
	if n := srv.Count("POST"); n != 19 {
		t.Errorf("%d POSTs, want 19", n)
	}
}

// TestLookupsFallBackWhereOrIsRefused: an app that accepts only eq joined
// by and (400 to "or") still gets every user created, looked up one by one.
func TestLookupsFallBackWhereOrIsRefused(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{FilterMode: "eq_only"}})
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, MaxRetries: 2, RateLimit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range createAtOnce(c, 12) {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
	}
	if n := len(srv.All("Users")); n != 12 {
		t.Errorf("%d users, want 12", n)
	}
}
