package scim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Get fetches one user by id.
func (s *UsersService) Get(ctx context.Context, id string) (*User, error) {
	resp, err := s.client.do(ctx, request{Method: "GET", Path: userPath(id), Idempotent: true})
	if err != nil {
		return nil, err
	}
	return s.decode("GET", resp.Body)
}

// Refresh reads one user for a refresh: from the listing pages this client
// fetched (see Config.Refresh), or else by GET. writtenAt is the caller's
// record of its last write of the user; pages older than it are not used.
func (s *UsersService) Refresh(ctx context.Context, id string, writtenAt time.Time) (*User, error) {
	if o, ok := s.client.run.userPages.lookup(ctx, id, writtenAt); ok {
		return decodeUser(s.canonicalRoles(o)), nil
	}
	return s.Get(ctx, id)
}

// List returns every user matching opts, across all pages.
func (s *UsersService) List(ctx context.Context, opts ListOptions) ([]*User, error) {
	var users []*User
	err := s.client.list(ctx, "Users", opts, func(o jsonObject) error {
		users = append(users, decodeUser(s.canonicalRoles(o)))
		return nil
	})
	return users, err
}

// ListIDs returns the ids of every user, asking for nothing else.
func (s *UsersService) ListIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.client.list(ctx, "Users", ListOptions{Attributes: []string{"id"}}, func(o jsonObject) error {
		if id := o.str("id"); id != "" {
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// FindByUserName returns the one user whose userName equals name ignoring
// case (RFC 7643: userName is caseExact=false), or nil when there is none.
// Results are re-checked here because some servers ignore filters.
func (s *UsersService) FindByUserName(ctx context.Context, name string) (*User, error) {
	return s.findOne(ctx, "userName", name, func(u *User) bool { return strings.EqualFold(u.UserName, name) })
}

// FindByExternalID returns the one user with this externalId (case-exact), or nil.
func (s *UsersService) FindByExternalID(ctx context.Context, externalID string) (*User, error) {
	return s.findOne(ctx, "externalId", externalID, func(u *User) bool { return u.ExternalID == externalID })
}

func (s *UsersService) findOne(ctx context.Context, attr, value string, match func(*User) bool) (*User, error) {
	users, err := s.List(ctx, ListOptions{Filter: Eq(attr, value)})
	if err != nil {
		// Okta allows a 404 for "no match"; trust it only with a JSON body.
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	var found []*User
	for _, u := range users {
		if match(u) {
			found = append(found, u)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, u := range found {
		ids[i] = u.ID
	}
	return nil, fmt.Errorf("%w: %s %q matches users %s", ErrAmbiguous, attr, value, strings.Join(ids, ", "))
}
