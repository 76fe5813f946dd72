package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// NotKeptError reports a group write the app acknowledged but did not
// keep, even when sent a second time: members it did not add or remove,
// attributes it did not store.
type NotKeptError struct {
	GroupID string
	// Requests names what was sent, such as "POST /Groups, then PATCH /Groups/1".
	Requests   string
	NotAdded   []string
	NotRemoved []string
	// Attributes are the SCIM paths (displayName, externalId) not stored.
	Attributes []string
	// Shown is what the app's read of the group showed last.
	Shown *Group
}

func (e *NotKeptError) Error() string {
	var parts []string
	if len(e.NotAdded) > 0 {
		parts = append(parts, fmt.Sprintf("members %s were not added", strings.Join(e.NotAdded, ", ")))
	}
	if len(e.NotRemoved) > 0 {
		parts = append(parts, fmt.Sprintf("members %s were not removed", strings.Join(e.NotRemoved, ", ")))
	}
	if len(e.Attributes) > 0 {
		parts = append(parts, fmt.Sprintf("%s kept other values", strings.Join(e.Attributes, ", ")))
	}
	shown := "no members"
	if e.Shown != nil && len(e.Shown.Members) > 0 {
		shown = fmt.Sprintf("%d members", len(e.Shown.Members))
	}
	if e.Shown != nil {
		shown = fmt.Sprintf("displayName %q, externalId %q and %s", e.Shown.DisplayName, e.Shown.ExternalID, shown)
	}
	msg := fmt.Sprintf("group %q: the app acknowledged %s, sent twice, but %s; a read of the group shows %s",
		e.GroupID, e.Requests, strings.Join(parts, "; "), shown)
	if e.NeverShowsMembers() {
		msg += ". Some apps take member changes but never show members on reads"
	}
	return msg
}

// NeverShowsMembers is true when members were added and the group shows
// none at all: the mark of an app whose reads never carry members.
func (e *NotKeptError) NeverShowsMembers() bool {
	return len(e.NotAdded) > 0 && e.Shown != nil && len(e.Shown.Members) == 0
}

// confirm checks that the app kept a group write it acknowledged: the
// members added and removed, and the displayName and externalId set.
// answer is the group the write's answer carried, when it did; if it shows
// the write kept, nothing is read. Otherwise the group is read (within the
// dialect's consistency window, for apps that apply writes late); what is
// missing is sent once more (a member dropped from a POST then goes as a
// PATCH add), and what is still missing is a *NotKeptError.
func (s *GroupsService) confirm(ctx context.Context, id string, writtenAt time.Time, sent string,
	attrs []Operation, add, remove []string, answer *Group) error {
	if s.writeOnly() || (len(attrs) == 0 && len(add) == 0 && len(remove) == 0) {
		return nil
	}
	if s.answerShowsMembers(answer) && !unkept(answer, attrs, add, remove).any() {
		return nil
	}
	if len(add) == 0 && len(remove) == 0 && answer != nil && !unkept(answer, attrs, nil, nil).any() {
		return nil // no member changed: the answer shows the attributes kept
	}
	shown, err := s.readSettled(outsideRetryBudget(ctx), id, writtenAt, attrs, add, remove)
	if errors.Is(err, ErrNotFound) {
		// The app does not show the object yet (it creates asynchronously):
		// nothing to compare with; the next refresh reads it.
		s.client.log.WarnContext(ctx, "the app does not show the group right after the write; not checked", "scim_id", id)
		return nil
	}
	if err != nil {
		return err
	}
	left := unkept(shown, attrs, add, remove)
	if !left.any() {
		return nil
	}
	if s.client.HasConsistencyWindow() {
		// The app applies writes late and did not show this one within the
		// window: a lost write and a slow one look alike, and sending it
		// again cannot tell them apart. The next refresh shows what it kept.
		s.client.log.WarnContext(ctx, "the app does not show an acknowledged group write within consistency_window",
			"scim_id", id, "not_added", len(left.add), "not_removed", len(left.remove), "attributes", opPaths(left.attrs))
		return nil
	}
	s.client.log.DebugContext(ctx, "the app did not keep all of an acknowledged group write; sending it once more",
		"scim_id", id, "not_added", len(left.add), "not_removed", len(left.remove), "attributes", opPaths(left.attrs))
	_, method, err := s.write(ctx, id, left.attrs, left.add, left.remove)
	if err != nil && !alreadyDone(err, len(left.add), len(left.remove)) {
		return err
	}
	sent += ", then " + method
	if shown, err = s.readSettled(outsideRetryBudget(ctx), id, time.Time{}, attrs, add, remove); err != nil {
		return err
	}
	if left = unkept(shown, attrs, add, remove); !left.any() {
		return nil
	}
	return &NotKeptError{GroupID: id, Requests: sent, NotAdded: left.add, NotRemoved: left.remove,
		Attributes: opPaths(left.attrs), Shown: shown}
}

// answerShowsMembers is true when a write's answer carries the group's
// whole member list: never where members are paged or never shown.
func (s *GroupsService) answerShowsMembers(answer *Group) bool {
	mode := s.client.dialect.MembersRead
	return answer != nil && answer.MembersKnown && (mode == MembersInline || mode == MembersAttributes)
}

// alreadyDone is true for the answers an app may give to a member change
// it already holds, sent again: a removal of a member that is not there
// (noTarget), when the request removed some, or an add of one that is
// (409), when it added some. A 409 to a removal is another conflict (a
// name another object holds, a version), never "already done".
func alreadyDone(err error, adds, removes int) bool {
	var se *Error
	return errors.As(err, &se) && ((se.ScimType == "noTarget" && removes > 0) || (se.StatusCode == http.StatusConflict && adds > 0))
}

// readSettled reads the group as confirm needs it: with the members that
// changed (only those are looked up where members are read by filter).
func (s *GroupsService) readSettled(ctx context.Context, id string, writtenAt time.Time, attrs []Operation, add, remove []string) (*Group, error) {
	var g *Group
	err := s.client.ReadAfterWrite(ctx, writtenAt, func() (bool, error) {
		var err error
		if len(add) == 0 && len(remove) == 0 {
			g, err = s.Get(ctx, id)
		} else {
			g, err = s.GetWithMembers(ctx, id, slices.Concat(add, remove))
		}
		return err == nil && !unkept(g, attrs, add, remove).any(), err
	})
	return g, err
}

// pendingGroupWrite is what a read shows was not kept of a write.
type pendingGroupWrite struct {
	attrs       []Operation
	add, remove []string
}

func (p pendingGroupWrite) any() bool {
	return len(p.attrs) > 0 || len(p.add) > 0 || len(p.remove) > 0
}

func unkept(g *Group, attrs []Operation, add, remove []string) pendingGroupWrite {
	var p pendingGroupWrite
	if len(add) > 0 || len(remove) > 0 {
		members := g.MemberIDs()
		p.add = MissingIDs(add, members)
		p.remove = MissingIDs(remove, MissingIDs(remove, members)) // removed ones still shown
	}
	for _, o := range attrs {
		want, _ := o.Value.(string) // "" for a remove
		kept := true
		switch {
		case strings.EqualFold(o.Path, "displayName"):
			kept = strings.EqualFold(g.DisplayName, want) // case-insensitive, as RFC 7643 defines it
		case strings.EqualFold(o.Path, "externalId"):
			kept = g.ExternalID == want
		}
		if !kept {
			p.attrs = append(p.attrs, o)
		}
	}
	return p
}

// MissingIDs returns the ids of want that are not in have, in want's order.
func MissingIDs(want, have []string) []string {
	present := make(map[string]bool, len(have))
	for _, id := range have {
		present[id] = true
	}
	var out []string
	for _, id := range want {
		if !present[id] {
			out = append(out, id)
		}
	}
	return out
}
