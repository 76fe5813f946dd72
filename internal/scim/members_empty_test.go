package scim_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// Apps whose group reads carry "members": [] whatever the group holds, as
// AWS IAM Identity Center documents its group reads (issue 43, items 5
// and 6): the empty list is not the truth where the dialect reads members
// some other way.

func storedMembers(srv *scimtest.TestServer, group string) []string {
	var out []string
	stored, _ := srv.Get("Groups", group)["members"].([]any)
	for _, m := range stored {
		out = append(out, m.(map[string]any)["value"].(string))
	}
	slices.Sort(out)
	return out
}

// TestFilterReadIgnoresAnEmptyMembersList: with members read by filter, a
// group created with two members is confirmed by the filter reads, not
// refuted by the "members": [] of the plain read, and no member is added
// twice.
func TestFilterReadIgnoresAnEmptyMembersList(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersEmpty: true}})
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com"})
	bob := srv.Put("Users", map[string]any{"userName": "bob@example.com"})
	d, _ := scim.Preset("generic")
	d.MembersRead = scim.MembersFilter
	c := newClient(t, srv, &d)
	created, err := c.Groups.Create(context.Background(), &scim.Group{DisplayName: "Filtered", Members: scim.MembersOf([]string{alice, bob})})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	want := []string{alice, bob}
	slices.Sort(want)
	if got := storedMembers(srv, created.ID); !slices.Equal(got, want) {
		t.Errorf("the app holds members %v, want each of %v once", got, want)
	}
	g, err := c.Groups.GetWithMembers(context.Background(), created.ID, []string{alice, bob})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.MemberIDs(); len(got) != 2 {
		t.Errorf("read members %v, want both", got)
	}
}

// TestPutKeepsMembersAnEmptyListHides: on an app without PATCH, a member
// added with GET, merge and PUT keeps the member added by hand that the
// plain GET does not show: read from the users' groups where members are
// paged, and refused where members cannot be read at all.
func TestPutKeepsMembersAnEmptyListHides(t *testing.T) {
	for _, mode := range []string{scim.MembersPaged, scim.MembersFilter} {
		t.Run(mode, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersEmpty: true, NoPatch: true}})
			hand := srv.Put("Users", map[string]any{"userName": "hand@example.com"})
			alice := srv.Put("Users", map[string]any{"userName": "alice@example.com"})
			group := srv.Put("Groups", map[string]any{"displayName": "Kept", "members": []any{map[string]any{"value": hand}}})
			d, _ := scim.Preset("generic")
			d.MembersRead = mode
			d.UpdateMethod = "put"
			c := newClient(t, srv, &d)
			err := c.Groups.Update(context.Background(), group, nil, []string{alice}, nil)
			got := storedMembers(srv, group)
			if !slices.Contains(got, hand) {
				t.Fatalf("the member added by hand was removed by the PUT (members now %v)", got)
			}
			switch mode {
			case scim.MembersPaged:
				if err != nil || !slices.Contains(got, alice) {
					t.Errorf("update: %v; members %v, want hand and alice", err, got)
				}
			case scim.MembersFilter:
				if !errors.Is(err, scim.ErrUnsupported) {
					t.Errorf("update: %v, want a refusal (members cannot be read for a full PUT)", err)
				}
			}
		})
	}
}
