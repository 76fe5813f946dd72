package scim

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// priorUsers is what a create knows, before its POST, of the users that
// may hold its userName.
type priorUsers struct {
	// existing is the user a lookup just before found, if any.
	existing *User
	// unknown: the app refused that lookup, so nothing found after a failed
	// POST can be told from a user that was there before.
	unknown bool
	// listed, when set, is the run's listing, which does not hold the
	// name: no lookup was made.
	listed *listedUsers
}

// priorTo learns what a create of a user named name must know before its
// POST: from the run's listing where one was taken and does not hold the
// name, otherwise from a lookup of the name. Without either, a user made
// by hand would be claimed as created after a failed POST, and destroyed
// with the resource.
func (s *UsersService) priorTo(ctx context.Context, name string) (priorUsers, error) {
	if listed := s.listedBefore(ctx); listed != nil && !listed.holds(name) {
		return priorUsers{listed: listed}, nil
	}
	existing, err := s.FindByUserName(ctx, name)
	unknown := lookupRefused(err) // the app refuses the filter: post, and never claim after a failure
	if err != nil && !unknown {
		return priorUsers{}, err
	}
	return priorUsers{existing: existing, unknown: unknown}, nil
}

// create posts a new user that the lookup or listing before did not find. A POST is
// never retried blindly: after a 5xx or a lost answer the app may have
// created the user, so it is looked up first. Found, it is the one this
// POST made (none existed before it), so it is returned (no duplicate, no
// "already exists" error); absent, the POST is sent again, up to
// MaxRetries times.
func (s *UsersService) create(ctx context.Context, u *User, prior priorUsers) (*User, error) {
	defer s.client.run.writingUsers()()
	// Another resource's user of the same name is not this one's, nor one
	// the run's listing showed, nor one made by hand between the lookup or
	// listing and the POST (it holds other values than the POST sent).
	existedBefore := func(f *User) bool {
		return prior.unknown || (prior.listed != nil && prior.listed.ids[f.ID]) || s.client.claimed(f.ID) || !carriesWhatWasSent(f, u)
	}
	post := func(ctx context.Context) (*User, error) {
		resp, err := s.client.do(ctx, request{Method: "POST", Path: "Users", Body: s.userDoc(u), Sensitive: u.Password != ""})
		if err != nil {
			return nil, err
		}
		return s.createdUser(ctx, u, resp)
	}
	lookup := func(ctx context.Context) ([]*User, error) {
		found, err := s.FindByUserName(ctx, u.UserName)
		if found == nil {
			return nil, err
		}
		if prior.listed != nil && !existedBefore(found) && u.ExternalID == "" && u.Title == "" {
			// The run listed its users some time ago: a user made since
			// (by hand, or by a sign-in that provisions users) holds the
			// name as well as this POST's could, and nothing sent tells them apart.
			return nil, &MaybeCreatedError{Reason: "a user of this userName made since this run listed the users cannot be told from the one the request may have made (set external_id or title to tell them apart)"}
		}
		return []*User{found}, err
	}
	created, err := createClaimingNew(ctx, s.client, post, lookup, existedBefore, "")
	if err == nil {
		s.client.claim(created.ID)
	}
	return created, err
}

// carriesWhatWasSent is false when found holds, for an attribute the POST
// set that apps store as sent (externalId, title), another value: then the
// POST did not make it. (displayName is left out: some apps derive it.)
func carriesWhatWasSent(found, sent *User) bool {
	for _, pair := range [][2]string{{found.ExternalID, sent.ExternalID}, {found.Title, sent.Title}} {
		if pair[1] != "" && !strings.EqualFold(pair[0], pair[1]) {
			return false
		}
	}
	return true
}

// createdUser reads the new user from a 201 (or 200) answer, or, when the
// body is empty, from its Location or a lookup.
func (s *UsersService) createdUser(ctx context.Context, sent *User, resp *response) (*User, error) {
	if created, err := s.decode("POST", resp.Body); err == nil {
		return created, nil
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if i := strings.LastIndex(strings.TrimSuffix(loc, "/"), "/"); i >= 0 {
			if id, err := url.PathUnescape(strings.TrimSuffix(loc, "/")[i+1:]); err == nil && id != "" {
				return s.Get(ctx, id)
			}
		}
	}
	found, err := s.FindByUserName(ctx, sent.UserName)
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("POST /Users answered HTTP %d without the new user, and userName %q cannot be found", resp.StatusCode, sent.UserName)
	}
	return found, nil
}

// TakeOver says how CreateOrTakeOver obtained the user.
type TakeOver int

const (
	// Created: the POST created a new user.
	Created TakeOver = iota
	// Reactivated: an inactive user with the same userName was reactivated
	// and updated, as an IdP re-assigning a removed user would.
	Reactivated
	// Adopted: an active user with the same userName was taken over because
	// the caller allowed it.
	Adopted
)

// CreateOrTakeOver creates u, or, when its userName is taken (found by the
// lookup that precedes every POST, or answered with a 409), takes over the
// existing user: an inactive one is reactivated and updated; an active one is
// adopted only when adopt is true, and otherwise reported as
// *ExistingUserError. Destroy only deactivates, so re-adding a user must
// bring the same account back rather than fail. Only the attributes u sets
// are written: on a taken-over user, everything else keeps the app's value.
//
// What the app stored is compared with u; attributes it changed are sent
// once more, and those still different are reported as *MismatchError
// (with the user as stored).
func (s *UsersService) CreateOrTakeOver(ctx context.Context, u *User, adopt bool) (*User, TakeOver, error) {
	managed := SetAttrs(u)
	prior, err := s.priorTo(ctx, u.UserName) // reads before any write: outside the create's retry budget
	if err != nil {
		return nil, Created, err
	}
	ctx = withRetryBudget(ctx)
	if prior.existing != nil {
		return s.takeOver(ctx, prior.existing, u, managed, adopt)
	}
	created, err := s.create(ctx, u, prior)
	if err == nil {
		settled, err := s.settle(ctx, created.ID, created, u, managed)
		var mismatch *MismatchError
		if err != nil && !errors.As(err, &mismatch) {
			return created, Created, &IncompleteCreateError{User: created, Err: err}
		}
		return settled, Created, err
	}
	if !errors.Is(err, ErrConflict) {
		return nil, Created, err
	}
	existing, lookupErr := s.FindByUserName(ctx, u.UserName)
	if lookupErr != nil {
		return nil, Created, errors.Join(err, lookupErr)
	}
	if existing == nil {
		// The app holds an account its SCIM API does not show (soft-deleted,
		// unlinked by a DELETE, or a case-sensitive filter): nothing safe to
		// take over.
		return nil, Created, &HiddenConflictError{UserName: u.UserName, Emails: emailValues(u.Emails), Err: err}
	}
	return s.takeOver(ctx, existing, u, managed, adopt)
}

func (s *UsersService) takeOver(ctx context.Context, existing, desired *User, managed Attrs, adopt bool) (*User, TakeOver, error) {
	how := Reactivated
	if existing.IsActive() {
		if !adopt {
			return nil, Created, &ExistingUserError{ID: existing.ID, UserName: existing.UserName}
		}
		how = Adopted
	}
	want := *desired
	if want.Active == nil {
		want.Active = Bool(true)
		managed["active"] = true
	}
	updated, wrote, err := s.update(ctx, existing.ID, existing.projectedOnto(desired), &want, managed)
	var mismatch *MismatchError
	if err != nil && !errors.As(err, &mismatch) && wrote {
		// The reactivating write may have reached the app (its answer lost,
		// or a later write failed): the account is this configuration's now,
		// and the caller must keep it, or the next run would call it
		// someone else's.
		return existing, how, &IncompleteCreateError{User: existing, How: how, Err: err}
	}
	if updated == nil {
		return nil, Created, err // refused before anything was written: nothing to keep
	}
	return updated, how, err
}
