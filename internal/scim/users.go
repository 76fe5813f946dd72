package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// UsersService handles the /Users endpoint (RFC 7644 section 3).
type UsersService service

func userPath(id string) string { return "Users/" + url.PathEscape(id) }

// Get fetches one user by id.
func (s *UsersService) Get(ctx context.Context, id string) (*User, error) {
	resp, err := s.client.do(ctx, request{Method: "GET", Path: userPath(id), Idempotent: true})
	if err != nil {
		return nil, err
	}
	return s.decode("GET", resp.Body)
}

// userDoc renders a user for POST or PUT in the dialect: its extension
// schemas listed and roles under the app's attribute name.
func (s *UsersService) userDoc(u *User) map[string]any {
	doc := u.ToJSON()
	d := s.client.dialect
	if d.RolesAttribute != "roles" {
		if roles, ok := doc["roles"]; ok {
			delete(doc, "roles")
			doc[d.RolesAttribute] = roles
		}
	}
	if schemas, ok := doc["schemas"].([]string); ok {
		for _, urn := range d.UserSchemas {
			found := false
			for _, s := range schemas {
				found = found || strings.EqualFold(s, urn)
			}
			if !found {
				schemas = append(schemas, urn)
			}
		}
		doc["schemas"] = schemas
	}
	return doc
}

// canonicalRoles moves roles from the app's attribute name (the dialect's
// RolesAttribute) to "roles", where the decoder reads them.
func (s *UsersService) canonicalRoles(o jsonObject) jsonObject {
	attr := s.client.dialect.RolesAttribute
	if attr == "roles" {
		return o
	}
	if roles, ok := o.get(attr); ok {
		for k := range o {
			if strings.EqualFold(k, attr) {
				delete(o, k)
			}
		}
		o["roles"] = roles
	}
	return o
}

func (s *UsersService) decode(method string, body []byte) (*User, error) {
	obj, ok := parseObject(body)
	if !ok {
		return nil, fmt.Errorf("%s /Users: the answer is not a JSON User", method)
	}
	u := decodeUser(s.canonicalRoles(obj))
	if u.ID == "" {
		return nil, fmt.Errorf("%s /Users: the answer has no id", method)
	}
	return u, nil
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

// Create posts a new user. A POST is never retried blindly: after a 5xx
// or a lost answer the server may have created the user, so it is looked up
// first. Found, it is returned (no duplicate, no "already exists" error);
// absent, the POST is sent again, up to MaxRetries times.
func (s *UsersService) Create(ctx context.Context, u *User) (*User, error) {
	return createWithLookup(ctx, s.client, func() (*User, error) {
		resp, err := s.client.do(ctx, request{Method: "POST", Path: "Users", Body: s.userDoc(u), Sensitive: u.Password != ""})
		if err != nil {
			return nil, err
		}
		return s.createdUser(ctx, u, resp)
	}, func() (*User, error) { return s.FindByUserName(ctx, u.UserName) })
}

// createWithLookup runs post; after an ambiguous failure it runs lookup and
// either returns what it found or posts again.
func createWithLookup[T any](ctx context.Context, c *Client, post func() (*T, error), lookup func() (*T, error)) (*T, error) {
	for attempt := 0; ; attempt++ {
		created, err := post()
		if err == nil || !ambiguousWriteFailure(err) || ctx.Err() != nil {
			return created, err
		}
		found, lookupErr := lookup()
		if lookupErr != nil {
			return nil, fmt.Errorf("%w (looking it up afterwards failed too: %w)", err, lookupErr)
		}
		if found != nil {
			return found, nil
		}
		if attempt >= c.cfg.MaxRetries {
			return nil, err
		}
		if err := sleep(ctx, c.backoff(attempt)); err != nil {
			return nil, err
		}
	}
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

// ambiguousWriteFailure is true when a write may or may not have happened:
// a network error or a 5xx other than 501.
func ambiguousWriteFailure(err error) bool {
	var se *Error
	if errors.As(err, &se) {
		return se.StatusCode >= 500 && se.StatusCode != 501
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, errRedirectRefused) && !errors.Is(err, errCredentials)
}

// Patch applies operations to a user and returns the updated user: from the
// 200 body, or with a GET after a 204 (RFC 7644 allows either).
func (s *UsersService) Patch(ctx context.Context, id string, ops []Operation) (*User, error) {
	if len(ops) == 0 {
		return s.Get(ctx, id)
	}
	sensitive := false
	for i, o := range ops {
		sensitive = sensitive || strings.EqualFold(o.Path, "password")
		if o.Path == "roles" && s.client.dialect.RolesAttribute != "roles" {
			ops[i].Path = s.client.dialect.RolesAttribute
		}
	}
	// PATCH is retried like an idempotent request: every operation this
	// package builds sets a value or removes a filtered one, so applying it
	// twice gives the same result.
	resp, err := s.client.do(ctx, request{Method: "PATCH", Path: userPath(id), Body: s.client.dialect.patchBody(ops),
		Idempotent: true, Sensitive: sensitive})
	if err != nil {
		return nil, err
	}
	if u, err := s.decode("PATCH", resp.Body); err == nil {
		return u, nil
	}
	return s.Get(ctx, id)
}

// Replace sends a full PUT of the user (RFC 7644 section 3.5.1).
func (s *UsersService) Replace(ctx context.Context, id string, u *User) (*User, error) {
	resp, err := s.client.do(ctx, request{Method: "PUT", Path: userPath(id), Body: s.userDoc(u), Idempotent: true, Sensitive: u.Password != ""})
	if err != nil {
		return nil, err
	}
	if out, err := s.decode("PUT", resp.Body); err == nil {
		return out, nil
	}
	return s.Get(ctx, id)
}

// Delete removes a user; a 404 counts as done.
func (s *UsersService) Delete(ctx context.Context, id string) error {
	_, err := s.client.do(ctx, request{Method: "DELETE", Path: userPath(id), Idempotent: true})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Deactivate sets active=false and checks that the server did it: from the
// PATCH answer, or a GET after a 204. A server that removes the user instead
// (404) is fine when the dialect says deactivation may delete; a server that
// leaves the user active is an error, since the user could still log in.
func (s *UsersService) Deactivate(ctx context.Context, id string) error {
	u, err := s.Patch(ctx, id, []Operation{{Op: "replace", Path: "active", Value: false}})
	var se *Error
	if errors.As(err, &se) && se.StatusCode == http.StatusBadRequest {
		// Some servers only take Okta's path-less form.
		u, err = s.Patch(ctx, id, []Operation{{Op: "replace", Value: map[string]any{"active": false}}})
	}
	if errors.Is(err, ErrUnsupported) {
		u, err = s.replaceWithOps(ctx, id, []Operation{{Op: "replace", Path: "active", Value: false}})
	}
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.IsActive() {
		return fmt.Errorf("the server accepted the deactivation of user %q but still reports it active; it may ignore PATCH of \"active\"", id)
	}
	return nil
}
