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

// create posts a new user that a lookup just before did not find. A POST is
// never retried blindly: after a 5xx or a lost answer the app may have
// created the user, so it is looked up first. Found, it is the one this
// POST made (none existed before it), so it is returned (no duplicate, no
// "already exists" error); absent, the POST is sent again, up to
// MaxRetries times.
func (s *UsersService) create(ctx context.Context, u *User, unknownBefore bool) (*User, error) {
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
		return []*User{found}, err
	}
	created, err := createClaimingNew(ctx, s.client, post, lookup, func(f *User) bool {
		// Another resource's user of the same name is not this one's, nor
		// one made by hand between the lookup and the POST (it holds other
		// values than the POST sent).
		return unknownBefore || s.client.claimed(f.ID) || !carriesWhatWasSent(f, u)
	}, "")
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
	// Know what exists before the POST: after an ambiguous failure (a 5xx,
	// a reset, a timeout), a user found by its userName can then only be the
	// one the POST made. Without this lookup a user made by hand would be
	// claimed as created, and destroyed with the resource.
	existing, err := s.FindByUserName(ctx, u.UserName)
	unknownBefore := lookupRefused(err) // the app refuses the filter: post, and never claim after a failure
	if err != nil && !unknownBefore {
		return nil, Created, err
	}
	if existing != nil {
		return s.takeOver(ctx, existing, u, managed, adopt)
	}
	created, err := s.create(ctx, u, unknownBefore)
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

// Update writes the managed attributes of want to user id, whose current
// value the caller believes is from (its last known state, so that a
// conforming server needs one request, and none when nothing differs, in
// which case from is returned). Attributes outside managed are never
// written. After the write, what the app stored is compared with
// want: attributes that differ are sent once more, and those still
// different are reported as *MismatchError, returned with the user as
// stored.
func (s *UsersService) Update(ctx context.Context, id string, from, want *User, managed Attrs) (*User, error) {
	u, _, err := s.update(ctx, id, from, want, managed)
	return u, err
}

// update is Update that also says whether a write may have reached the
// app: false only when nothing was sent or the app refused the first write.
func (s *UsersService) update(ctx context.Context, id string, from, want *User, managed Attrs) (*User, bool, error) {
	target := Overlay(from, want, managed)
	ops := reassertDerived(UserPatch(from, target), target, managed)
	if len(ops) == 0 {
		return from, false, nil // nothing to write: only settings outside the app changed
	}
	stored, err := s.write(ctx, id, ops)
	if err != nil {
		var refused *PatchRefusedError
		return nil, errors.As(err, &refused) || ambiguousWriteFailure(err), err
	}
	settled, err := s.settle(ctx, id, stored, want, managed)
	return settled, true, err
}

// settle re-sends, once, the managed attributes the app did not store as
// sent: some apps derive a value from another one sent in the same request
// (displayName from the name parts), and a second write of the value alone
// sticks. What still differs is a value the app will not store.
func (s *UsersService) settle(ctx context.Context, id string, stored, want *User, managed Attrs) (*User, error) {
	ops := pendingOps(stored, want, managed)
	if len(ops) == 0 {
		return stored, nil
	}
	s.client.log.DebugContext(ctx, "the app stored other values than sent; sending them once more", "scim_id", id, "attributes", opPaths(ops))
	again, err := s.write(ctx, id, ops)
	if err != nil {
		return nil, err
	}
	if ops := pendingOps(again, want, managed); len(ops) > 0 {
		return again, &MismatchError{User: again, Mismatches: mismatches(again, ops)}
	}
	return again, nil
}

func opPaths(ops []Operation) []string {
	paths := make([]string, len(ops))
	for i, o := range ops {
		paths[i] = o.Path
	}
	return paths
}

// write is the one way users are changed: a PATCH with ops, or, on apps
// without PATCH (the dialect says "put", discovery found patch.supported
// false, or a PATCH was answered 405 or 501), GET, the same ops applied
// locally, and PUT. The fallback is learned once per client. It returns the
// user as the app stored it.
//
// An app may refuse one attribute as a PATCH path (400 invalidPath) and
// take it in a PUT: the attribute is then learned as refused and written,
// with the rest of that change, by GET and PUT (see patchOrLearn).
func (s *UsersService) write(ctx context.Context, id string, ops []Operation) (*User, error) {
	ops = orderOps(s.appOps(ops))
	if !s.usePut.Load() && !s.touchesRefused(ops) {
		u, err := s.patchOrLearn(ctx, id, ops)
		if !errors.Is(err, ErrUnsupported) {
			return u, err
		}
		s.client.log.InfoContext(ctx, "the app does not support PATCH of users; writing them with GET and PUT from now on", "error", err.Error())
		s.usePut.Store(true)
	}
	return s.replace(ctx, id, ops)
}

// touchesRefused is true when one of ops has a path the app refused.
func (s *UsersService) touchesRefused(ops []Operation) bool {
	for _, o := range ops {
		if _, refused := s.patchRefused.Load(strings.ToLower(o.Path)); refused {
			return true
		}
	}
	return false
}

// patchOrLearn sends ops as one PATCH. When the app answers 400
// invalidPath, each operation is sent alone to learn which paths it
// refuses (operations are idempotent: the ones it takes are simply
// written), and the refused ones are written by GET and PUT; when PUT
// fails too, *PatchRefusedError names the attributes.
func (s *UsersService) patchOrLearn(ctx context.Context, id string, ops []Operation) (*User, error) {
	u, err := s.patch(ctx, id, ops)
	if !invalidPath(err) {
		return u, err
	}
	refused := ops
	if len(ops) > 1 {
		refused = nil
		for _, o := range ops {
			if one, oneErr := s.patch(ctx, id, []Operation{o}); invalidPath(oneErr) {
				refused = append(refused, o)
			} else if oneErr != nil {
				return nil, oneErr
			} else {
				u = one
			}
		}
		if len(refused) == 0 {
			return u, nil // each was taken alone
		}
	}
	for _, o := range refused {
		s.patchRefused.Store(strings.ToLower(o.Path), true)
	}
	s.client.log.InfoContext(ctx, "the app refuses these attributes as PATCH paths; writing them with GET and PUT from now on",
		"attributes", opPaths(refused), "error", err.Error())
	u, putErr := s.replace(ctx, id, refused)
	if putErr != nil {
		return nil, &PatchRefusedError{Paths: opPaths(refused), Patch: err, Put: putErr}
	}
	return u, nil
}

// invalidPath is true for a 400 invalidPath answer.
func invalidPath(err error) bool {
	var se *Error
	return errors.As(err, &se) && se.StatusCode == http.StatusBadRequest && strings.EqualFold(se.ScimType, "invalidPath")
}

// appOps renames roles to the app's attribute (the dialect's RolesAttribute).
func (s *UsersService) appOps(ops []Operation) []Operation {
	attr := s.client.dialect.RolesAttribute
	out := make([]Operation, len(ops))
	for i, o := range ops {
		if attr != "roles" && o.Path == "roles" {
			o.Path = attr
		}
		out[i] = o
	}
	return out
}

func hasPassword(ops []Operation) bool {
	for _, o := range ops {
		if strings.EqualFold(o.Path, "password") {
			return true
		}
	}
	return false
}

// patch sends ops as one PATCH and returns the user: from the 200 body, or
// with a GET after a 204 (RFC 7644 allows either). It is retried like an
// idempotent request: every operation this package builds sets a value or
// removes a filtered one, so applying it twice gives the same result.
func (s *UsersService) patch(ctx context.Context, id string, ops []Operation) (*User, error) {
	resp, err := s.client.do(ctx, request{Method: "PATCH", Path: userPath(id), Body: s.client.dialect.patchBody(ops),
		Idempotent: true, Sensitive: hasPassword(ops)})
	if err != nil {
		return nil, err
	}
	if u, err := s.decode("PATCH", resp.Body); err == nil {
		return u, nil
	}
	return s.Get(ctx, id)
}

// replace reads the user as the app has it, applies ops locally and PUTs
// the result (If-Match with the version read, when the app uses ETags), so
// that attributes this provider does not manage survive the full replace
// (RFC 7644 section 3.5.1 lets a PUT clear what it omits).
func (s *UsersService) replace(ctx context.Context, id string, ops []Operation) (*User, error) {
	body, err := s.client.readModifyWrite(ctx, userPath(id), func(doc jsonObject) error {
		for _, o := range ops {
			applyLocal(doc, o)
		}
		return nil
	}, hasPassword(ops))
	if err != nil {
		return nil, err
	}
	if u, err := s.decode("PUT", body); err == nil {
		return u, nil
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
