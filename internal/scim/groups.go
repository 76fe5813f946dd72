package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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

// Create posts a group. Members beyond one chunk are added afterwards with
// PatchMembers, so that no request carries more member changes than the
// server accepts. Like users, a POST is never retried blindly (see
// createClaimingNew); groups of the same name that existed before it are
// never taken for the new one.
func (s *GroupsService) Create(ctx context.Context, g *Group) (*Group, error) {
	members := g.MemberIDs()
	first := members
	maxAdds, _ := s.client.dialect.memberLimits() // a POST adds no more members than a PATCH may
	if len(first) > maxAdds || s.writeOnly() {
		first = nil // added afterwards with PATCH (write-only apps drop members sent in a POST)
	}
	doc := map[string]any{"schemas": []string{SchemaGroup}, "displayName": g.DisplayName, "members": memberValues(first)}
	if g.ExternalID != "" {
		doc["externalId"] = g.ExternalID
	}
	post := func(ctx context.Context) (*Group, error) {
		resp, err := s.client.do(ctx, request{Method: "POST", Path: "Groups", Body: doc})
		if err != nil {
			return nil, s.groupsUnsupported(err)
		}
		return decodeGroupBody("POST", resp.Body)
	}
	// sameName lists the groups of this name that may be the one this
	// create makes: with the externalId sent, or, in dropped, without one
	// (an app may drop externalId; so may an admin making one by hand).
	var dropped []*Group
	sameName := func(ctx context.Context) ([]*Group, error) {
		found, err := s.FindByDisplayName(ctx, g.DisplayName)
		var match []*Group
		dropped = nil
		for _, f := range found {
			switch {
			case g.ExternalID == "" || f.ExternalID == g.ExternalID:
				match = append(match, f)
			case f.ExternalID == "":
				dropped = append(dropped, f)
			}
		}
		return match, err
	}
	// Know which groups of this name exist before the POST: after an
	// ambiguous failure only a group that was not among them can be the one
	// the POST made. A group made by someone else is never claimed.
	before, err := sameName(ctx)
	unknownBefore := lookupRefused(err) // the app refuses the filter: post, and never claim after a failure
	if err != nil && !unknownBefore {
		return nil, s.groupsUnsupported(err)
	}
	existed := map[string]bool{}
	for _, b := range before {
		existed[b.ID] = true
	}
	ctx = withRetryBudget(ctx) // after the lookup, a read before any write
	writtenAt := time.Now()
	existedBefore := func(f *Group) bool { return unknownBefore || existed[f.ID] || s.client.claimed(f.ID) }
	// Where a lookup cannot see the group the POST may have made, a failed
	// POST is not sent again: a duplicate would carry members unmanaged.
	untrusted := ""
	if unknownBefore {
		untrusted = "the app refuses displayName filters, so a lookup cannot find it"
	}
	// Counted as under way until claimed: a create that fails may have
	// left a group that a later create of the name must not take.
	others, end := s.client.startCreate("Groups\x00" + strings.ToLower(g.DisplayName))
	// An app that shows new groups late is looked up for as long as its
	// consistency window lasts before "not found" is believed.
	lookup := func(ctx context.Context) ([]*Group, error) {
		if others() > 0 {
			// Another group of this name is being created at the same time:
			// a new group found could be either one's.
			return nil, &MaybeCreatedError{Reason: "another group of the same name was being created at the same time, so a lookup cannot tell them apart"}
		}
		var found []*Group
		err := s.client.ReadAfterWrite(ctx, time.Now(), func() (bool, error) {
			var err error
			found, err = sameName(ctx)
			return err == nil && slices.ContainsFunc(found, func(f *Group) bool { return !existedBefore(f) }), err
		})
		if errors.Is(err, ErrNotFound) {
			err = nil
		}
		fresh := slices.ContainsFunc(found, func(f *Group) bool { return !existedBefore(f) })
		if err == nil && !fresh && slices.ContainsFunc(dropped, func(f *Group) bool { return !existedBefore(f) }) {
			// A new group of this name without the externalId sent: the
			// app may have dropped it, or someone made the group by hand.
			return nil, &MaybeCreatedError{Reason: "a new group of this name has no externalId, so it cannot be told from one made by hand"}
		}
		return found, err
	}
	created, err := createClaimingNew(ctx, s.client, post, lookup, existedBefore, untrusted)
	if err != nil {
		return nil, err
	}
	s.client.claim(created.ID)
	end()
	// The name and externalId sent are checked too, from the answer where
	// it carries them: an app may drop what it does not keep.
	sentAttrs := []Operation{{Op: "replace", Path: "displayName", Value: g.DisplayName}}
	if g.ExternalID != "" {
		sentAttrs = append(sentAttrs, Operation{Op: "replace", Path: "externalId", Value: g.ExternalID})
	}
	if err := s.confirm(ctx, created.ID, writtenAt, "POST /Groups", sentAttrs, first, nil, created); err != nil {
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

// memberAdd is the PATCH operation that adds members, in the shape the
// app documents (Dialect.MemberAddShape).
func (d Dialect) memberAdd(ids []string) Operation {
	switch d.MemberAddShape {
	case "object":
		return Operation{Op: "add", Path: "members", Value: map[string]any{"members": memberValues(ids)}}
	case "object_pathless":
		return Operation{Op: "add", Value: map[string]any{"members": memberValues(ids)}}
	}
	return Operation{Op: "add", Path: "members", Value: memberValues(ids)}
}

func memberValues(ids []string) []any {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, map[string]any{"value": id})
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
