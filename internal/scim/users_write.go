package scim

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

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
	ctx = withRetryBudget(ctx)
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
	return s.Get(outsideRetryBudget(ctx), id)
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
	return s.Get(outsideRetryBudget(ctx), id)
}
