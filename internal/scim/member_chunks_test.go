package scim_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestLostAnswerToAMemberChunkIsNotAFailure: a member swap on an app that
// takes one change per request (add, then remove) whose removal is kept
// but its answer lost. The retry is answered noTarget (the member is no
// longer there), which is the change holding, not a failure: the update
// completes and the group ends with the new member only.
func TestLostAnswerToAMemberChunkIsNotAFailure(t *testing.T) {
	opts, _ := scimtest.Preset("entra")
	opts.RemoveAbsentNoTarget = true
	var lost atomic.Bool
	var srv *scimtest.TestServer
	opts.Fault = func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		requests := srv.Requests()
		if r.Method != http.MethodPatch || !strings.Contains(requests[len(requests)-1].Body, `"remove"`) || lost.Swap(true) {
			return false
		}
		act() // the app removes the member; the answer never arrives
		scimtest.DropConnection(w)
		return true
	}
	srv = scimtest.NewTestServer(t, opts)
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com"})
	bob := srv.Put("Users", map[string]any{"userName": "bob@example.com"})
	group := srv.Put("Groups", map[string]any{"displayName": "Swap", "members": []any{map[string]any{"value": alice}}})
	d, _ := scim.Preset("entra")
	c := newClient(t, srv, &d)
	if err := c.Groups.Update(context.Background(), group, nil, []string{bob}, []string{alice}); err != nil {
		t.Fatalf("update after a lost answer: %v", err)
	}
	if !lost.Load() {
		t.Fatal("no answer was lost: the test did not walk its path")
	}
	var members []string
	stored, _ := srv.Get("Groups", group)["members"].([]any)
	for _, m := range stored {
		members = append(members, m.(map[string]any)["value"].(string))
	}
	if !slices.Equal(members, []string{bob}) {
		t.Errorf("members %v, want only bob", members)
	}
}

// TestChunkAnsweredNoTargetIsResentMemberByMember (issue 43, item 3): on
// an app whose groups never show members (write_only), three removals in
// one PATCH, one of them of a member the group does not have, are refused
// whole (noTarget; PATCH is atomic). The answer speaks for one member
// only, so the removals are sent again one by one: the two members the
// group had are gone afterwards.
func TestChunkAnsweredNoTargetIsResentMemberByMember(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersWriteOnly: true, RemoveAbsentNoTarget: true}})
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com"})
	bob := srv.Put("Users", map[string]any{"userName": "bob@example.com"})
	carol := srv.Put("Users", map[string]any{"userName": "carol@example.com"})
	group := srv.Put("Groups", map[string]any{"displayName": "Atomic", "members": []any{
		map[string]any{"value": alice}, map[string]any{"value": bob}}})
	d, _ := scim.Preset("generic")
	d.MembersRead = scim.MembersWriteOnly
	c := newClient(t, srv, &d)
	if err := c.Groups.Update(context.Background(), group, nil, nil, []string{carol, alice, bob}); err != nil {
		t.Fatalf("update: %v", err)
	}
	if stored, _ := srv.Get("Groups", group)["members"].([]any); len(stored) != 0 {
		t.Errorf("members %v left in the group, want none: an atomic refusal was taken as done", stored)
	}
	if patches := srv.Count("PATCH"); patches != 4 {
		t.Errorf("%d PATCHes, want 4 (the chunk, then one per member)", patches)
	}
}

// TestFailedMemberWriteSaysWhatItMayHaveAdded: three additions sent one per
// request, the second refused (400): the error names only the first as
// possibly added, so a caller that trusts its state (write-only apps) does
// not record additions that were refused or never sent.
func TestFailedMemberWriteSaysWhatItMayHaveAdded(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersWriteOnly: true}})
	var patches atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: scimtest.Quirks{MembersWriteOnly: true},
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method != http.MethodPatch || patches.Add(1) != 2 {
				return false
			}
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","detail":"refused"}`))
			return true
		}})
	a := srv.Put("Users", map[string]any{"userName": "a@example.com"})
	b := srv.Put("Users", map[string]any{"userName": "b@example.com"})
	c := srv.Put("Users", map[string]any{"userName": "c@example.com"})
	group := srv.Put("Groups", map[string]any{"displayName": "G"})
	d, _ := scim.Preset("generic")
	d.MembersRead = scim.MembersWriteOnly
	d.MemberChunkSize = 1
	err := newClient(t, srv, &d).Groups.Update(context.Background(), group, nil, []string{a, b, c}, nil)
	var partial *scim.MemberWriteError
	if !errors.As(err, &partial) || !slices.Equal(partial.MayHaveAdded, []string{a}) {
		t.Fatalf("update: %v; want a MemberWriteError naming only %s as possibly added", err, a)
	}
}

// TestRemovalAnswered409IsNotDone: a 409 to a member removal is another
// conflict (here a name another group holds, on an app with unique group
// names), not "already done" as it is for an addition: on an app whose
// groups never show members the removal must fail, not pass unseen while
// the member keeps the group's access. (Found by the lifecycle checker on
// the HCP Terraform model.)
func TestRemovalAnswered409IsNotDone(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	member := srv.Put("Users", map[string]any{"userName": "m@example.com"})
	group := srv.Put("Groups", map[string]any{"displayName": "G", "members": []any{map[string]any{"value": member}}})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: scimtest.Quirks{MembersWriteOnly: true},
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method != http.MethodPatch {
				return false
			}
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"displayName is already taken"}`))
			return true
		}})
	d, _ := scim.Preset("generic")
	d.MembersRead = scim.MembersWriteOnly
	if err := newClient(t, srv, &d).Groups.Update(context.Background(), group, nil, nil, []string{member}); err == nil {
		t.Fatal("a removal answered 409 was taken as done; the member is still in the group")
	}
}
