package scim_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// Client behaviour on apps that depart from the local server's defaults;
// the acceptance tests in internal/provider cover the same through Terraform.

func TestPutWritesSendIfMatchAndKeepMembers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var ifMatch []string
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{NoPatch: true}})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: scimtest.Quirks{NoPatch: true},
		Fault: func(_ http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method == http.MethodPut {
				mu.Lock()
				ifMatch = append(ifMatch, r.Header.Get("If-Match"))
				mu.Unlock()
			}
			return false
		}})
	c := newClient(t, srv, nil)
	c.Discover(ctx, nil) // patch.supported = false, etag.supported = true
	if d := c.Dialect(); d.UpdateMethod != scim.UpdatePut || !d.SupportsETags {
		t.Fatalf("discovery gave %+v", d)
	}
	g := srv.Put("Groups", map[string]any{"displayName": "G", "members": []any{
		map[string]any{"value": "kept", "display": "Kept"}, map[string]any{"value": "gone"},
	}})
	err := c.Groups.Update(ctx, g, []scim.Operation{{Op: "replace", Path: "displayName", Value: "H"}}, []string{"new"}, []string{"gone"})
	if err != nil {
		t.Fatal(err)
	}
	doc := srv.Get("Groups", g)
	if doc["displayName"] != "H" || len(doc["members"].([]any)) != 2 {
		t.Errorf("group after PUT: %v", doc)
	}
	if srv.Count("PATCH") != 0 || len(ifMatch) != 1 || !strings.HasPrefix(ifMatch[0], `W/"`) {
		t.Errorf("%d PATCH, If-Match %q", srv.Count("PATCH"), ifMatch)
	}
}

func TestDeactivateWithoutPatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{NoPatch: true, NoDiscovery: true}})
	c := newClient(t, srv, nil)
	u, err := createUser(ctx, c, &scim.User{UserName: "d@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Deactivate(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if active, _ := srv.Get("Users", u.ID)["active"].(bool); active {
		t.Error("still active")
	}
	if n := srv.Count("PATCH"); n != 1 {
		t.Errorf("%d PATCH attempts, want the one that taught the client", n)
	}
}

func TestCreateOnHiddenAccountIsExplained(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{DeleteKeepsAccount: true}})
	c := newClient(t, srv, nil)
	u, err := createUser(ctx, c, &scim.User{UserName: "h@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Users.Delete(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = createUser(ctx, c, &scim.User{UserName: "h@example.com"})
	var hidden *scim.HiddenConflictError
	if !errors.As(err, &hidden) || !errors.Is(err, scim.ErrConflict) || hidden.UserName != "h@example.com" {
		t.Fatalf("got %v", err)
	}
}

func TestValueTheAppRewritesIsReported(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{CanonicalPhones: true}})
	c := newClient(t, srv, nil)
	_, err := createUser(ctx, c, &scim.User{UserName: "p@example.com", PhoneNumbers: []scim.MultiValue{{Value: "+1 555 0100"}}})
	var mismatch *scim.MismatchError
	if !errors.As(err, &mismatch) || mismatch.User == nil || len(mismatch.Mismatches) != 1 ||
		mismatch.Mismatches[0].Path != "phoneNumbers" {
		t.Fatalf("got %v", err)
	}
	if n := srv.Count("PATCH"); n != 1 {
		t.Errorf("%d PATCH requests, want one re-send", n)
	}
}

func TestReadAfterWriteWaitsOutTheLag(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{CreateDelay: 700 * time.Millisecond}})
	d := scim.Generic()
	d.ConsistencyWindow = 5 * time.Second
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: &d, RetryWaitMin: 50 * time.Millisecond,
		MaxRetries: scim.DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	written := time.Now()
	u, err := createUser(ctx, c, &scim.User{UserName: "lag@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(ctx, u.ID); !errors.Is(err, scim.ErrNotFound) {
		t.Fatalf("the lag quirk is off: %v", err)
	}
	err = c.ReadAfterWrite(ctx, written, func() (bool, error) {
		_, err := c.Users.Get(ctx, u.ID)
		return true, err
	})
	if err != nil {
		t.Fatalf("still not found within the window: %v", err)
	}
	// Outside the window, a 404 stands at once.
	start := time.Now()
	err = c.ReadAfterWrite(ctx, time.Now().Add(-time.Minute), func() (bool, error) {
		_, err := c.Users.Get(ctx, "missing")
		return true, err
	})
	if !errors.Is(err, scim.ErrNotFound) || time.Since(start) > time.Second {
		t.Errorf("got %v after %s", err, time.Since(start))
	}
}

func TestUpdateWithNothingToWriteSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	c := newClient(t, srv, nil)
	u, err := createUser(ctx, c, &scim.User{UserName: "same@example.com", Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCounts()
	want := *u
	want.UserName = "SAME@example.com" // userName compares case-insensitively
	got, err := c.Users.Update(ctx, u.ID, u, &want, scim.SetAttrs(&want))
	if err != nil || got.ID != u.ID {
		t.Fatalf("got %+v, %v", got, err)
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests for an update with nothing to write", n)
	}
}

func TestAdoptionKeepsWhatTheCallerDoesNotSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	id := srv.Put("Users", map[string]any{"userName": "adopt@example.com", "active": true, "title": "CTO",
		"name":         map[string]any{"givenName": "Ada", "familyName": "L", "formatted": "Ada L"},
		"phoneNumbers": []any{map[string]any{"value": "+15550100"}}, "addresses": []any{map[string]any{"locality": "Paris"}}})
	c := newClient(t, srv, nil)
	u, how, err := c.Users.CreateOrTakeOver(ctx, &scim.User{UserName: "adopt@example.com", DisplayName: "Ada"}, true)
	if err != nil || how != scim.Adopted || u.ID != id {
		t.Fatalf("got %v, %v, %v", u, how, err)
	}
	doc := srv.Get("Users", id)
	name, _ := doc["name"].(map[string]any)
	if doc["title"] != "CTO" || name["formatted"] != "Ada L" || doc["phoneNumbers"] == nil || doc["addresses"] == nil || doc["displayName"] != "Ada" {
		t.Errorf("adoption changed what it does not manage: %v", doc)
	}
}

// AWS IAM Identity Center pages groups only by cursor, never returns
// members, and answers 404 to a member filter on a user that does not
// exist: the preset lists every group and reads such a member as absent.
func TestAWSLikeGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts, _ := scimtest.Preset("aws")
	srv := scimtest.NewTestServer(t, opts)
	user := srv.Put("Users", map[string]any{"userName": "member@example.com"})
	var first string
	for i := range 130 {
		id := srv.Put("Groups", map[string]any{"displayName": "g" + strconv.Itoa(i), "members": []any{map[string]any{"value": user}}})
		if i == 0 {
			first = id
		}
	}
	aws, _ := scim.Preset("aws_identity_center")
	c := newClient(t, srv, &aws)
	groups, err := c.Groups.List(ctx, scim.ListOptions{})
	if err != nil || len(groups) != 130 {
		t.Fatalf("%d groups, %v; want all 130 through cursor paging", len(groups), err)
	}
	if generic, _ := newClient(t, srv, nil).Groups.List(ctx, scim.ListOptions{}); len(generic) != 100 {
		t.Errorf("without cursor paging the server gives %d groups; the quirk is off", len(generic))
	}
	g, err := c.Groups.GetWithMembers(ctx, first, []string{user, "deleted-user"})
	if err != nil || len(g.Members) != 1 || g.Members[0].Value != user {
		t.Fatalf("members %+v, %v", g, err)
	}
	all, err := c.Groups.List(ctx, scim.ListOptions{})
	if err == nil {
		err = c.Groups.FillMembers(ctx, all)
	}
	if err != nil || len(all) != 130 || len(all[129].Members) != 1 {
		t.Fatalf("%d groups with members, %v", len(all), err)
	}
}

// A dialect asking for cursor paging still lists everything from a
// server that answers with index paging.
func TestCursorDialectOnIndexServer(t *testing.T) {
	t.Parallel()
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 10})
	for i := range 25 {
		srv.Put("Users", map[string]any{"userName": "u" + strconv.Itoa(i) + "@example.com"})
	}
	d, _ := scim.Preset("aws_identity_center")
	users, err := newClient(t, srv, &d).Users.List(context.Background(), scim.ListOptions{})
	if err != nil || len(users) != 25 {
		t.Fatalf("%d users, %v", len(users), err)
	}
}
