package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"
)

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
	ctx = withRetryBudget(ctx)
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
	if err != nil {
		err = memberWriteFailed(nil, add, err)
	}
	return answer, "PUT /Groups/" + id, err
}

// MemberWriteError reports a failed group write with the members it may
// have added: those of the requests the app took, and those of the failed
// one when its failure leaves open whether the app acted. Additions never
// sent, or refused, are not among them.
type MemberWriteError struct {
	MayHaveAdded []string
	Err          error
}

func (e *MemberWriteError) Error() string { return e.Err.Error() }
func (e *MemberWriteError) Unwrap() error { return e.Err }

func memberWriteFailed(added, failed []string, err error) error {
	may := slices.Clone(added)
	if ambiguousWriteFailure(err) {
		may = append(may, failed...)
	}
	return &MemberWriteError{MayHaveAdded: may, Err: err}
}

// patchInChunks sends attrs and the member changes in as few PATCHes as
// the dialect allows: at most memberLimits() additions and removals each,
// MemberChunkSize changes in all, and, where MemberChangesAlone says so,
// additions, removals and other changes never in one request. Additions
// go before removals, so a member being replaced is never out of the
// group while the change is under way. A 413 answer halves the chunk.
func (s *GroupsService) patchInChunks(ctx context.Context, id string, attrs []Operation, add, remove []string) (*Group, error) {
	d := s.client.dialect
	maxAdds, maxRemoves := d.memberLimits()
	chunk := d.MemberChunkSize
	var answer *Group
	var added []string // the additions of the chunks the app took
	for len(add) > 0 || len(remove) > 0 || len(attrs) > 0 {
		ops := append([]Operation(nil), attrs...)
		room := chunk
		if d.MemberChangesAlone && len(attrs) > 0 {
			room = 0 // the other changes go alone
		}
		nAdd := min(len(add), maxAdds, room)
		room -= nAdd
		nRemove := min(len(remove), maxRemoves, room)
		if d.MemberChangesAlone && nAdd > 0 {
			nRemove = 0
		}
		for _, m := range remove[:nRemove] {
			ops = append(ops, Operation{Op: "remove", Path: "members[value eq " + quote(m) + "]"})
		}
		if nAdd > 0 {
			ops = append(ops, d.memberAdd(add[:nAdd]))
		}
		var err error
		answer, err = s.patch(ctx, id, ops)
		var se *Error
		if errors.As(err, &se) && se.StatusCode == http.StatusRequestEntityTooLarge && nAdd+nRemove > 1 {
			// The server caps member changes per request: halve and retry.
			chunk = max(1, (nAdd+nRemove)/2)
			maxAdds, maxRemoves = min(maxAdds, chunk), min(maxRemoves, chunk)
			continue
		}
		if err != nil && (len(attrs) > 0 || !alreadyDone(err, nAdd, nRemove)) {
			return nil, memberWriteFailed(added, add[:nAdd], err)
		}
		if err != nil && nAdd+nRemove > 1 {
			// PATCH is atomic: "not there" (noTarget) or "already there"
			// (409) for one member of several means none of them was
			// changed. Such an answer speaks for one member only.
			if answer, err = s.patchOneByOne(ctx, id, add[:nAdd], remove[:nRemove]); err != nil {
				return nil, memberWriteFailed(added, add[:nAdd], err)
			}
		}
		added = append(added, add[:nAdd]...)
		// A chunk of one member answered noTarget or 409, as the retry of a
		// request whose answer was lost is: that change holds.
		add, remove, attrs = add[nAdd:], remove[nRemove:], nil
	}
	return answer, nil
}

// patchOneByOne sends each member change in a PATCH of its own, additions
// first; a member already as wanted (noTarget, 409) is done.
func (s *GroupsService) patchOneByOne(ctx context.Context, id string, add, remove []string) (*Group, error) {
	var answer *Group
	send := func(op Operation, adds, removes int) error {
		g, err := s.patch(ctx, id, []Operation{op})
		if err != nil && !alreadyDone(err, adds, removes) {
			return err
		}
		answer = g
		return nil
	}
	for _, m := range add {
		if err := send(s.client.dialect.memberAdd([]string{m}), 1, 0); err != nil {
			return nil, err
		}
	}
	for _, m := range remove {
		if err := send(Operation{Op: "remove", Path: "members[value eq " + quote(m) + "]"}, 0, 1); err != nil {
			return nil, err
		}
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
		members, err := s.membersToKeep(ctx, id, doc)
		if err != nil {
			return err
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

// membersToKeep is the member list a full PUT of the group must carry,
// read the way the dialect says, never taken from whether the plain GET
// has a members key: only where that GET shows every member (inline) is
// its list the truth (absent meaning none). Elsewhere it may be empty or
// cut short (AWS documents "members": []; paged apps cap the list), and a
// PUT of it would remove the members it does not show.
// membersReadWays says how each way of reading members reads them, for messages.
var membersReadWays = map[string]string{MembersFilter: "one by one by filter", MembersWriteOnly: "nowhere (write-only)"}

func (s *GroupsService) membersToKeep(ctx context.Context, id string, doc jsonObject) ([]any, error) {
	switch mode := s.client.dialect.MembersRead; mode {
	case MembersInline:
		members, _ := doc.list("members")
		return members, nil
	case MembersFilter, MembersWriteOnly:
		return nil, fmt.Errorf("%w: the app has no PATCH, and its group members are read %s, never listed, "+
			"so a full PUT of the group would lose members that cannot be read", ErrUnsupported, membersReadWays[mode])
	}
	g, err := s.GetWithMembers(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	return memberValues(g.MemberIDs()), nil
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
