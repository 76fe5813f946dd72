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

// Delete removes a user; a 404 counts as done.
func (s *UsersService) Delete(ctx context.Context, id string) error {
	defer s.client.run.writingUsers()()
	_, err := s.client.do(ctx, request{Method: "DELETE", Path: userPath(id), Idempotent: true})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Deactivate sets active=false and checks that the server did it: from the
// answer, or a GET after a 204. A server that leaves the user active is an
// error, since the user could still log in.
//
// A 404 is trusted as it stands only when the dialect says deactivation may
// delete (DeactivateMayDelete). Otherwise it is checked with a GET: a 404
// can also come from an app that routes no PATCH for users, and the user
// must not be reported deactivated while it is still active there. A user
// the GET no longer finds is gone, which is what deactivation is for; gone
// reports that case so the caller can say the app removed it unexpectedly.
func (s *UsersService) Deactivate(ctx context.Context, id string) (gone bool, err error) {
	defer s.client.run.writingUsers()()
	ctx = withRetryBudget(ctx)
	ops := []Operation{{Op: "replace", Path: "active", Value: false}}
	u, err := s.write(ctx, id, ops)
	var se *Error
	if errors.As(err, &se) && se.StatusCode == http.StatusBadRequest && !s.usePut.Load() {
		// Some servers only take Okta's path-less form.
		u, err = s.patch(ctx, id, []Operation{{Op: "replace", Value: map[string]any{"active": false}}})
	}
	if errors.Is(err, ErrNotFound) {
		if s.client.dialect.DeactivateMayDelete {
			return false, nil
		}
		u, err = s.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("the server answered 404 to the deactivation of user %q, and reading it back failed: %w", id, err)
		}
		if u.IsActive() {
			return false, fmt.Errorf("the server answered 404 to the deactivation of user %q, but the user is still there and active; "+
				"the app may not accept PATCH of users at this path", id)
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if u.IsActive() {
		return false, fmt.Errorf("the server accepted the deactivation of user %q but still reports it active; it may ignore PATCH of \"active\"", id)
	}
	return false, nil
}

func emailValues(values []MultiValue) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		out = append(out, v.Value)
	}
	return out
}
