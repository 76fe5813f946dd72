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

// priorUsers is what a create knows, before its POST, of the users that
// may hold its userName.
type priorUsers struct {
	// existing is the user a lookup just before found, if any.
	existing *User
	// unknown: the app refused that lookup, so nothing found after a failed
	// POST can be told from a user that was there before.
	unknown bool
	// dated: no lookup was made; the app dates what it creates (see
	// Client.datesCreates), and a user it shows as created before the
	// POST is not the POST's work.
	dated bool
}

// priorTo tells what a create of a user named name needs to know first.
// Where the app dates its objects, nothing: the POST goes first and costs
// the create's only request. Otherwise a lookup finds the user of that name
// before the POST: after an ambiguous failure (a 5xx, a reset, a timeout),
// a user found then can only be the one the POST made. Without either, a
// user made by hand would be claimed as created, and destroyed with the
// resource.
func (s *UsersService) priorTo(ctx context.Context, name string) (priorUsers, error) {
	if s.client.datesCreates() {
		return priorUsers{dated: true}, nil
	}
	existing, err := s.FindByUserName(ctx, name)
	unknown := lookupRefused(err) // the app refuses the filter: post, and never claim after a failure
	if err != nil && !unknown {
		return priorUsers{}, err
	}
	return priorUsers{existing: existing, unknown: unknown}, nil
}

// create posts a new user. A POST is never retried blindly: after a 5xx or
// a lost answer the app may have created the user, so it is looked up
// first. Found, and not there before the POST (by prior), it is the one
// this POST made, and is returned (no duplicate, no "already exists"
// error); absent, the POST is sent again, up to MaxRetries times. An
// answer carrying a user the app made before the POST (an app that answers
// a duplicate with the user it holds) is a conflict, never this create's.
func (s *UsersService) create(ctx context.Context, u *User, prior priorUsers) (*User, error) {
	var postAt time.Time // the first POST's: nothing made before it is this create's work
	post := func(ctx context.Context) (*User, error) {
		if postAt.IsZero() {
			postAt = time.Now()
		}
		resp, err := s.client.do(ctx, request{Method: "POST", Path: "Users", Body: s.userDoc(u), Sensitive: u.Password != ""})
		if err != nil {
			return nil, err
		}
		created, err := s.createdUser(ctx, u, resp)
		if err != nil {
			return nil, err
		}
		s.client.noteCreatedShown(created.Meta)
		if before, _ := s.client.createdBeforePost(created.Meta, postAt); before {
			return nil, &Error{Method: "POST", Path: "/Users", StatusCode: http.StatusConflict, ScimType: "uniqueness",
				Detail: fmt.Sprintf("the app answered with user %q, which it shows as created at %s, before the POST was sent", created.ID, created.Meta.Created)}
		}
		return created, nil
	}
	lookup := func(ctx context.Context) ([]*User, error) {
		found, err := s.FindByUserName(ctx, u.UserName)
		if found == nil {
			return nil, err
		}
		if _, known := s.client.createdBeforePost(found.Meta, postAt); prior.dated && !known && s.mayBeThisCreates(found, u) {
			return nil, &MaybeCreatedError{Reason: "the app does not show when the user it holds under this userName was created, so it cannot be told from one made meanwhile"}
		}
		return []*User{found}, err
	}
	created, err := createClaimingNew(ctx, s.client, post, lookup, func(f *User) bool {
		if prior.unknown || !s.mayBeThisCreates(f, u) {
			return true
		}
		before, _ := s.client.createdBeforePost(f.Meta, postAt)
		return prior.dated && before
	}, "")
	if err == nil {
		s.client.claim(created.ID)
	}
	return created, err
}

// mayBeThisCreates is false for a user found after a failed POST that
// cannot be the one it made: another resource's, or one holding other
// values than the POST sent (made by hand meanwhile).
func (s *UsersService) mayBeThisCreates(found, sent *User) bool {
	return !s.client.claimed(found.ID) && carriesWhatWasSent(found, sent)
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
// lookup before the POST where one is made, or answered with a 409), takes over the
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
	prior, err := s.priorTo(ctx, u.UserName) // a read before any write: outside the create's retry budget
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
