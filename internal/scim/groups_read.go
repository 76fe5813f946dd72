package scim

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Get fetches a group with its members, read the way the dialect says.
func (s *GroupsService) Get(ctx context.Context, id string) (*Group, error) {
	q := url.Values{}
	if s.client.dialect.MembersRead == MembersAttributes {
		q.Set("attributes", "displayName,externalId,members")
	}
	resp, err := s.client.do(ctx, request{Method: "GET", Path: groupPath(id), Query: q, Idempotent: true})
	if err != nil {
		return nil, err
	}
	g, err := decodeGroupBody("GET", resp.Body)
	if err != nil {
		return nil, err
	}
	switch s.client.dialect.MembersRead {
	case MembersWriteOnly, MembersPaged, MembersFilter:
		// Write-only apps never show members; paged apps may cut the list
		// short inside the group; apps read by filter show none or an empty
		// list (AWS IAM Identity Center documents "members": []): what the
		// read shows is not the list, whether or not the key is there.
		g.Members, g.MembersKnown = nil, false
		return g, nil
	}
	if !g.MembersKnown {
		g.MembersKnown = true // the dialect promised members: absent means none
	}
	return g, nil
}

// RefreshWithMembers reads one group with its members for a refresh: one
// read per group per run, shared by every reader of the run (see
// groupReads), taken from the listing pages this client fetched (see
// Config.Refresh) where the dialect says listings carry members, or else
// as GetWithMembers does. writtenAt is the caller's record of its last
// write of the group. Where members are read by filter, one per candidate,
// the answer depends on the candidates and is not shared.
func (s *GroupsService) RefreshWithMembers(ctx context.Context, id string, candidates []string, writtenAt time.Time) (*Group, error) {
	if s.client.dialect.MembersRead == MembersFilter {
		return s.GetWithMembers(ctx, id, candidates)
	}
	read := func(ctx context.Context) (*Group, error) {
		if s.client.dialect.MembersRead == MembersInline {
			if o, ok := s.client.run.groupPages.lookup(ctx, id, writtenAt); ok {
				g := decodeGroup(o)
				g.MembersKnown = true // listed the way GET answers: absent members means none
				return g, nil
			}
		}
		return s.GetWithMembers(ctx, id, candidates)
	}
	if s.client.Settling(writtenAt) {
		// Read again and again until the app shows a recent write: each
		// read must be a new one.
		return read(ctx)
	}
	return s.client.run.groupReads.get(ctx, id, writtenAt, read)
}

// GetWithMembers fetches a group and its members, read the way the dialect
// says. On servers that never return members (MembersFilter), each of
// candidates is checked with filter=id eq "g" and members eq "u" (or
// members.value eq "u", as the dialect's MemberFilterAttribute says), and only
// those found are returned; with no candidates, every user of the app is
// checked (one request per user), so that readers that expect nothing in
// particular, such as data sources, still see every member.
func (s *GroupsService) GetWithMembers(ctx context.Context, id string, candidates []string) (*Group, error) {
	g, err := s.Get(ctx, id)
	if err != nil || g.MembersKnown || s.writeOnly() {
		return g, err
	}
	g.Members, g.MembersKnown = nil, true
	if s.client.dialect.MembersRead == MembersPaged {
		ids, err := s.memberIDsFromUsers(ctx, id)
		g.Members = MembersOf(ids)
		return g, err
	}
	if candidates == nil {
		if candidates, err = s.client.Users.ListIDs(ctx); err != nil {
			return nil, err
		}
	}
	for _, member := range candidates {
		filter := And(Eq("id", id), Eq(s.client.dialect.MemberFilterAttribute, member))
		resp, err := s.client.do(ctx, request{Method: "GET", Path: "Groups", Idempotent: true,
			Query: ListOptions{Filter: filter, ExcludedAttributes: []string{"members"}}.query()})
		if errors.Is(err, ErrNotFound) {
			continue // AWS answers 404 when the member does not exist: not a member
		}
		if err != nil {
			return nil, err
		}
		obj, _ := parseObject(resp.Body)
		list, _ := obj.list("Resources")
		for _, item := range list {
			if m, ok := item.(map[string]any); ok && jsonObject(m).str("id") == id {
				g.Members = append(g.Members, Member{Value: member})
				break
			}
		}
	}
	return g, nil
}

// memberIDsFromUsers lists the users whose read-only "groups" contain the group.
func (s *GroupsService) memberIDsFromUsers(ctx context.Context, id string) ([]string, error) {
	var ids []string
	err := s.client.list(ctx, "Users", ListOptions{Filter: Eq("groups.value", id), Attributes: []string{"id"}},
		func(o jsonObject) error {
			ids = append(ids, o.str("id"))
			return nil
		})
	return ids, err
}

// FillMembers completes the members of groups listed with members asked
// for (not excluded), the way the dialect says. On servers that never
// return members, the users are listed once and each user's groups are
// asked for with filter=members.value eq "u" (one request per user,
// whatever the number of groups).
func (s *GroupsService) FillMembers(ctx context.Context, groups []*Group) error {
	var byFilter map[string][]string
	var err error
	for i, g := range groups {
		switch {
		case s.writeOnly():
			g.Members, g.MembersKnown = nil, false
		case s.client.dialect.MembersRead == MembersPaged:
			// A listing may cut a group's members short: read them by pages.
			full, err := s.GetWithMembers(ctx, g.ID, nil)
			if err != nil {
				return err
			}
			groups[i] = full
		case s.client.dialect.MembersRead != MembersFilter && (g.MembersKnown || s.client.dialect.MembersRead == MembersInline):
			g.MembersKnown = true
		case s.client.dialect.MembersRead == MembersFilter:
			// A listing's "members": [] (AWS) is not the list.
			if byFilter == nil {
				if byFilter, err = s.membersByUserScan(ctx); err != nil {
					return err
				}
			}
			g.Members, g.MembersKnown = MembersOf(byFilter[g.ID]), true
		default:
			full, err := s.GetWithMembers(ctx, g.ID, nil)
			if err != nil {
				return err
			}
			groups[i] = full
		}
	}
	return nil
}

// membersByUserScan maps group ids to member ids by asking, for each user,
// which groups have it as a member.
func (s *GroupsService) membersByUserScan(ctx context.Context) (map[string][]string, error) {
	users, err := s.client.Users.ListIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, user := range users {
		err := s.client.list(ctx, "Groups", ListOptions{Filter: Eq("members.value", user), Attributes: []string{"id"}},
			func(o jsonObject) error {
				out[o.str("id")] = append(out[o.str("id")], user)
				return nil
			})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return out, nil
}

// List returns every group matching opts, across all pages.
func (s *GroupsService) List(ctx context.Context, opts ListOptions) ([]*Group, error) {
	var groups []*Group
	err := s.client.list(ctx, "Groups", opts, func(o jsonObject) error {
		groups = append(groups, decodeGroup(o))
		return nil
	})
	return groups, s.groupsUnsupported(err)
}

// FindByDisplayName returns the groups whose displayName equals name
// (case-insensitively, as RFC 7643 defines displayName), without members.
//
// An app that refuses displayName filters (Google Cloud Identity takes
// userName filters only) is listed whole and matched here: without the
// lookup a create could not tell its own group from others after a failure.
func (s *GroupsService) FindByDisplayName(ctx context.Context, name string) ([]*Group, error) {
	groups, err := s.List(ctx, ListOptions{Filter: Eq("displayName", name), ExcludedAttributes: []string{"members"}})
	if lookupRefused(err) {
		if all, listErr := s.List(ctx, ListOptions{ExcludedAttributes: []string{"members"}}); listErr == nil {
			groups, err = all, nil
		}
	}
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var found []*Group
	for _, g := range groups {
		if strings.EqualFold(g.DisplayName, name) {
			found = append(found, g)
		}
	}
	return found, nil
}
