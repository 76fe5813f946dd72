package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// GroupsService handles the /Groups endpoint (RFC 7644 section 3).
type GroupsService service

func groupPath(id string) string { return "Groups/" + url.PathEscape(id) }

func decodeGroupBody(method string, body []byte) (*Group, error) {
	obj, ok := parseObject(body)
	if !ok {
		return nil, fmt.Errorf("%s /Groups: the answer is not a JSON Group", method)
	}
	g := decodeGroup(obj)
	if g.ID == "" {
		return nil, fmt.Errorf("%s /Groups: the answer has no id", method)
	}
	return g, nil
}

// groupsUnsupported turns a 404/501 on the collection into a clear message:
// some apps have no /Groups at all.
func (s *GroupsService) groupsUnsupported(err error) error {
	var se *Error
	if errors.As(err, &se) && (se.StatusCode == http.StatusNotImplemented || (se.StatusCode == http.StatusNotFound && se.NonSCIM)) {
		return fmt.Errorf("%w (this app does not appear to support SCIM groups)", err)
	}
	return err
}

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
	if s.writeOnly() || s.client.dialect.MembersRead == MembersPaged {
		// Write-only apps never show members; paged apps may cut the list
		// short inside the group: either way, what it shows is not the list.
		g.Members, g.MembersKnown = nil, false
		return g, nil
	}
	if !g.MembersKnown && s.client.dialect.MembersRead != MembersFilter {
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
			if o, ok := s.client.groupPages.lookup(ctx, id, writtenAt); ok {
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
	return s.client.groupReads.get(ctx, id, writtenAt, read)
}

// GetWithMembers fetches a group and its members, read the way the dialect
// says. On servers that never return members (MembersFilter), each of
// candidates is checked with filter=id eq "g" and members eq "u", and only
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
		filter := And(Eq("id", id), Eq("members", member))
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

// ListWithMembers returns every group matching opts with its members, read
// the way the dialect says (see FillMembers).
func (s *GroupsService) ListWithMembers(ctx context.Context, opts ListOptions) ([]*Group, error) {
	groups, err := s.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	return groups, s.FillMembers(ctx, groups)
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
		case g.MembersKnown || s.client.dialect.MembersRead == MembersInline:
			g.MembersKnown = true
		case s.client.dialect.MembersRead == MembersFilter:
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
func (s *GroupsService) FindByDisplayName(ctx context.Context, name string) ([]*Group, error) {
	groups, err := s.List(ctx, ListOptions{Filter: Eq("displayName", name), ExcludedAttributes: []string{"members"}})
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

// Create posts a group. Members beyond one chunk are added afterwards with
// PatchMembers, so that no request carries more member changes than the
// server accepts. Like users, a POST is never retried blindly (see
// createClaimingNew); groups of the same name that existed before it are
// never taken for the new one.
func (s *GroupsService) Create(ctx context.Context, g *Group) (*Group, error) {
	members := g.MemberIDs()
	first := members
	if len(first) > s.client.dialect.MemberChunkSize || s.writeOnly() {
		first = nil // added afterwards with PATCH (write-only apps drop members sent in a POST)
	}
	doc := map[string]any{"schemas": []string{SchemaGroup}, "displayName": g.DisplayName, "members": memberValues(first)}
	if g.ExternalID != "" {
		doc["externalId"] = g.ExternalID
	}
	post := func() (*Group, error) {
		resp, err := s.client.do(ctx, request{Method: "POST", Path: "Groups", Body: doc})
		if err != nil {
			return nil, s.groupsUnsupported(err)
		}
		return decodeGroupBody("POST", resp.Body)
	}
	sameName := func() ([]*Group, error) {
		found, err := s.FindByDisplayName(ctx, g.DisplayName)
		var match []*Group
		for _, f := range found {
			if g.ExternalID == "" || f.ExternalID == g.ExternalID {
				match = append(match, f)
			}
		}
		return match, err
	}
	// Know which groups of this name exist before the POST: after an
	// ambiguous failure only a group that was not among them can be the one
	// the POST made. A group made by someone else is never claimed.
	before, err := sameName()
	unknownBefore := lookupRefused(err) // the app refuses the filter: post, and never claim after a failure
	if err != nil && !unknownBefore {
		return nil, s.groupsUnsupported(err)
	}
	existed := map[string]bool{}
	for _, b := range before {
		existed[b.ID] = true
	}
	writtenAt := time.Now()
	created, err := createClaimingNew(ctx, s.client, post, sameName, func(f *Group) bool {
		return unknownBefore || existed[f.ID] || s.client.claimed(f.ID)
	})
	if err != nil {
		return nil, err
	}
	s.client.claim(created.ID)
	if err := s.confirm(ctx, created.ID, writtenAt, "POST /Groups", nil, first, nil, created); err != nil {
		// The group exists: the caller keeps it, with the members it has.
		created.Members, created.MembersKnown = nil, true
		var notKept *NotKeptError
		if errors.As(err, &notKept) {
			created.Members = MembersOf(MissingIDs(first, notKept.NotAdded))
		}
		return created, err
	}
	created.Members, created.MembersKnown = MembersOf(first), true
	return created, nil
}

func (s *GroupsService) writeOnly() bool { return s.client.dialect.MembersRead == MembersWriteOnly }

func memberValues(ids []string) []any {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, map[string]any{"value": id})
	}
	return out
}

// Update changes displayName and externalId and adds and removes members.
// It is the one way groups are changed. With PATCH, member changes go in
// as few requests as the member chunk size allows, attribute changes riding
// along with the first chunk, and removal always names each member
// (members[value eq "id"]): a path "members" without a filter would remove
// every member (RFC 7644 section 3.5.2.2). On apps without PATCH (see
// UsersService.write), the group is read with its members, changed locally
// and replaced in one PUT.
//
// What the app acknowledged is then checked against what was meant (see
// confirm), except on apps whose groups never show members
// (MembersWriteOnly), where members are trusted from the state.
func (s *GroupsService) Update(ctx context.Context, id string, attrs []Operation, add, remove []string) error {
	if len(attrs) == 0 && len(add) == 0 && len(remove) == 0 {
		return nil
	}
	writtenAt := time.Now()
	answer, method, err := s.write(ctx, id, attrs, add, remove)
	if err != nil {
		return err
	}
	return s.confirm(ctx, id, writtenAt, method, attrs, add, remove, answer)
}

// write sends a group change: PATCH in chunks, or GET and PUT on apps
// without PATCH of groups. It returns the app's last answer as a group
// (nil when it carried none) and the method used.
func (s *GroupsService) write(ctx context.Context, id string, attrs []Operation, add, remove []string) (*Group, string, error) {
	if !s.usePut.Load() {
		answer, err := s.patchInChunks(ctx, id, attrs, add, remove)
		if !errors.Is(err, ErrUnsupported) {
			return answer, "PATCH /Groups/" + id, err
		}
		s.client.log.InfoContext(ctx, "the app does not support PATCH of groups; writing them with GET and PUT from now on", "error", err.Error())
		s.usePut.Store(true)
	}
	answer, err := s.replace(ctx, id, attrs, add, remove)
	return answer, "PUT /Groups/" + id, err
}

func (s *GroupsService) patchInChunks(ctx context.Context, id string, attrs []Operation, add, remove []string) (*Group, error) {
	type change struct {
		add bool
		id  string
	}
	var changes []change
	for _, m := range add {
		changes = append(changes, change{true, m})
	}
	for _, m := range remove {
		changes = append(changes, change{false, m})
	}
	chunk := s.client.dialect.MemberChunkSize
	var answer *Group
	for len(changes) > 0 || len(attrs) > 0 {
		n := min(chunk, len(changes))
		var adds []string
		ops := append([]Operation(nil), attrs...)
		for _, c := range changes[:n] {
			if c.add {
				adds = append(adds, c.id)
			} else {
				ops = append(ops, Operation{Op: "remove", Path: "members[value eq " + quote(c.id) + "]"})
			}
		}
		if len(adds) > 0 {
			ops = append(ops, Operation{Op: "add", Path: "members", Value: memberValues(adds)})
		}
		var err error
		answer, err = s.patch(ctx, id, ops)
		var se *Error
		if errors.As(err, &se) && se.StatusCode == http.StatusRequestEntityTooLarge && n > 1 {
			chunk = max(1, n/2) // the server caps member changes per request: halve and retry
			continue
		}
		if err != nil {
			return nil, err
		}
		changes, attrs = changes[n:], nil
	}
	return answer, nil
}

// patch sends one PATCH and returns the group the app answered with, or
// nil when the answer carries none (204, or a body that is not a group).
func (s *GroupsService) patch(ctx context.Context, id string, ops []Operation) (*Group, error) {
	resp, err := s.client.do(ctx, request{Method: "PATCH", Path: groupPath(id), Body: s.client.dialect.patchBody(ops), Idempotent: true})
	if err != nil {
		return nil, err
	}
	g, _ := decodeGroupBody("PATCH", resp.Body)
	return g, nil
}

// replace writes a group change as GET, local merge and PUT. The PUT must
// carry every member to keep, so the members are read the way the dialect
// says when the plain GET leaves them out; an app that never lists them
// cannot be written this way.
func (s *GroupsService) replace(ctx context.Context, id string, attrs []Operation, add, remove []string) (*Group, error) {
	body, err := s.client.readModifyWrite(ctx, groupPath(id), func(doc jsonObject) error {
		for _, o := range attrs {
			applyLocal(doc, o)
		}
		members, known := doc.list("members")
		if !known || s.writeOnly() {
			if s.client.dialect.MembersRead == MembersFilter || s.writeOnly() {
				return fmt.Errorf("%w: the app has no PATCH, and it never lists group members (members_read = %q), "+
					"so a full PUT of the group would lose members that cannot be read", ErrUnsupported, s.client.dialect.MembersRead)
			}
			g, err := s.GetWithMembers(ctx, id, nil)
			if err != nil {
				return err
			}
			members = memberValues(g.MemberIDs())
		}
		doc["members"] = mergeMembers(members, add, remove)
		return nil
	}, false)
	if err != nil {
		return nil, err
	}
	g, _ := decodeGroupBody("PUT", body)
	return g, nil
}

// mergeMembers applies member additions and removals to a members list as
// the app returned it, keeping what the app sent for the members that stay.
func mergeMembers(members []any, add, remove []string) []any {
	drop := map[string]bool{}
	for _, id := range remove {
		drop[id] = true
	}
	seen := map[string]bool{}
	out := make([]any, 0, len(members)+len(add))
	for _, m := range members {
		obj, _ := m.(map[string]any)
		value := jsonObject(obj).str("value")
		if value == "" || drop[value] || seen[value] {
			continue
		}
		seen[value] = true
		out = append(out, m)
	}
	for _, id := range add {
		if !seen[id] && !drop[id] {
			seen[id] = true
			out = append(out, map[string]any{"value": id})
		}
	}
	return out
}

// RemoveMember removes one member; a member or group already gone is success.
func (s *GroupsService) RemoveMember(ctx context.Context, groupID, memberID string) error {
	err := s.Update(ctx, groupID, nil, nil, []string{memberID})
	var se *Error
	if errors.Is(err, ErrNotFound) || (errors.As(err, &se) && se.ScimType == "noTarget") {
		return nil
	}
	return err
}

// Delete removes a group; a 404 counts as done.
func (s *GroupsService) Delete(ctx context.Context, id string) error {
	_, err := s.client.do(ctx, request{Method: "DELETE", Path: groupPath(id), Idempotent: true})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
