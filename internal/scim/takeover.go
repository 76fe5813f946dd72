package scim

import (
	"context"
	"errors"
)

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

// CreateOrTakeOver creates u, or, when its userName is taken (a 409, or a
// lookup first for dialects that do not enforce uniqueness), takes over the
// existing user: an inactive one is reactivated and updated; an active one is
// adopted only when adopt is true, and otherwise reported as
// *ExistingUserError. Destroy only deactivates, so re-adding a user must
// bring the same account back rather than fail.
func (s *UsersService) CreateOrTakeOver(ctx context.Context, u *User, adopt bool) (*User, TakeOver, error) {
	if s.client.dialect.LookupBeforeCreate {
		existing, err := s.FindByUserName(ctx, u.UserName)
		if err != nil {
			return nil, Created, err
		}
		if existing != nil {
			return s.takeOver(ctx, existing, u, adopt)
		}
	}
	created, err := s.Create(ctx, u)
	if err == nil {
		return created, Created, nil
	}
	if !errors.Is(err, ErrConflict) {
		return nil, Created, err
	}
	existing, lookupErr := s.FindByUserName(ctx, u.UserName)
	if lookupErr != nil {
		return nil, Created, errors.Join(err, lookupErr)
	}
	if existing == nil {
		// The server hides the conflicting user (soft-deleted, or a
		// case-sensitive filter): nothing safe to take over.
		return nil, Created, err
	}
	return s.takeOver(ctx, existing, u, adopt)
}

func (s *UsersService) takeOver(ctx context.Context, existing, desired *User, adopt bool) (*User, TakeOver, error) {
	how := Reactivated
	if existing.IsActive() {
		if !adopt {
			return nil, Created, &ExistingUserError{ID: existing.ID, UserName: existing.UserName}
		}
		how = Adopted
	}
	target := *desired
	if target.Active == nil {
		target.Active = Bool(true)
	}
	// Attributes the caller does not manage are left alone: only its own
	// extension keys are compared.
	from := *existing
	from.Extensions = ProjectExtensions(existing.Extensions, desired.Extensions)
	updated, err := s.Patch(ctx, existing.ID, UserPatch(&from, &target))
	if err != nil {
		return nil, Created, err
	}
	return updated, how, nil
}

// ProjectExtensions returns the extension attributes of values restricted to
// the URNs and keys of shape (matched case-insensitively); callers use it to
// compare only the attributes they manage.
func ProjectExtensions(values, shape map[string]map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for urn, keys := range shape {
		src := lookupFold(values, urn)
		m := map[string]any{}
		for k := range keys {
			if v, ok := jsonObject(src).get(k); ok {
				m[k] = v
			}
		}
		out[urn] = m
	}
	return out
}

func lookupFold(m map[string]map[string]any, key string) map[string]any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if equalFold(k, key) {
			return v
		}
	}
	return nil
}
