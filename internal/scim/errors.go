package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors matched with errors.Is against *Error and friends.
var (
	// ErrNotFound reports a SCIM-shaped (JSON or empty body) 404. An HTML 404
	// page does not match: it usually means a wrong endpoint, not a deleted object.
	ErrNotFound = errors.New("scim: resource not found")
	// ErrConflict reports a 409, typically scimType "uniqueness".
	ErrConflict = errors.New("scim: resource already exists")
	// ErrUnauthorized reports a 401 or 403.
	ErrUnauthorized = errors.New("scim: not authorized")
	// ErrUnsupported reports a 405 or 501: the server does not implement the operation.
	ErrUnsupported = errors.New("scim: operation not supported by the server")
	// ErrAmbiguous reports a lookup that matched more than one resource.
	ErrAmbiguous = errors.New("scim: lookup matched more than one resource")
)

// maxDetailLength bounds how much of a server's error text is kept, since
// error bodies can be whole HTML pages and may echo personal data.
const maxDetailLength = 1024

// Error is a non-2xx answer from a SCIM server (RFC 7644 section 3.12),
// decoded tolerantly: status as string or number, any key case, or a body that
// is not JSON at all.
type Error struct {
	Method     string
	Path       string // request path without the query string
	StatusCode int    // HTTP status code of the response
	Status     string // "status" from the body, when present
	ScimType   string
	Detail     string
	// NonSCIM is true when the body was not JSON (an HTML error page, plain
	// text): such answers usually come from a proxy or a wrong URL.
	NonSCIM bool
	// AuthHint says which credential the app expects (set on 401 and 403
	// from the dialect).
	AuthHint string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.ScimType != "" {
		fmt.Fprintf(&b, ", scimType %q", e.ScimType)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	if e.NonSCIM && !gatewayStatus(e.StatusCode) {
		b.WriteString(" (the answer is not a SCIM/JSON document: check that the endpoint is the SCIM base URL)")
	}
	return b.String()
}

// Is lets errors.Is match the sentinel errors of this package.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == 404 && !e.NonSCIM
	case ErrConflict:
		return e.StatusCode == 409
	case ErrUnauthorized:
		return e.StatusCode == 401 || e.StatusCode == 403
	case ErrUnsupported:
		return e.StatusCode == 405 || e.StatusCode == 501
	}
	return false
}

// decodeError builds an *Error from a response body of any shape.
func decodeError(method, path string, statusCode int, body []byte) *Error {
	e := &Error{Method: method, Path: path, StatusCode: statusCode}
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return e
	}
	obj, ok := parseObject(body)
	if !ok {
		e.NonSCIM = true
		e.Detail = truncate(plainText(trimmed), maxDetailLength)
		return e
	}
	// Some servers nest the error: {"error": {...}} or {"errors": [{...}]}.
	if inner, ok := obj.object("error"); ok {
		obj = inner
	} else if list, ok := obj.list("errors"); ok && len(list) > 0 {
		if inner, ok := list[0].(map[string]any); ok {
			obj = jsonObject(inner)
		}
	}
	e.Status = obj.str("status")
	e.ScimType = obj.str("scimType")
	e.Detail = obj.str("detail")
	if e.Detail == "" {
		e.Detail = firstNonEmpty(obj.str("message"), obj.str("error_description"), obj.str("error"))
	}
	e.Detail = truncate(e.Detail, maxDetailLength)
	return e
}

// plainText strips HTML tags and collapses whitespace so an HTML error page
// becomes a readable one-liner.
func plainText(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// ExistingUserError reports that a user with the same userName already exists
// and is active, so creating it would need an explicit adoption or an import.
type ExistingUserError struct {
	ID       string
	UserName string
}

func (e *ExistingUserError) Error() string {
	return fmt.Sprintf("an active user with userName %q already exists with id %q", e.UserName, e.ID)
}

// Is makes ExistingUserError match ErrConflict.
func (e *ExistingUserError) Is(target error) bool { return target == ErrConflict }

// HiddenConflictError reports a create refused as a duplicate (409) although
// no user with this userName can be found: the app still holds an account
// its SCIM API no longer shows, such as one whose SCIM identity a DELETE
// unlinked, or a soft-deleted one.
type HiddenConflictError struct {
	UserName string
	Emails   []string
	// Err is the app's 409 answer.
	Err error
}

func (e *HiddenConflictError) Error() string {
	return fmt.Sprintf("the app refused userName %q as a duplicate, but no user with it can be found through SCIM: %v", e.UserName, e.Err)
}

// Unwrap returns the app's answer.
func (e *HiddenConflictError) Unwrap() error { return e.Err }

// IncompleteCreateError reports a create whose POST made the object but
// whose follow-up write failed: the object exists in the app (User holds it
// as the app answered the POST), so the caller must keep it rather than
// orphan it, and finish the job later.
type IncompleteCreateError struct {
	User *User
	// How says how the user was obtained: created, or an existing one
	// reactivated or adopted (whose write may have failed part way).
	How TakeOver
	Err error
}

func (e *IncompleteCreateError) Error() string {
	if e.How != Created {
		return fmt.Sprintf("user %q (id %q) was being taken over, but its write failed and may have been applied in part: %v",
			e.User.UserName, e.User.ID, e.Err)
	}
	return fmt.Sprintf("user %q was created with id %q, but the write that follows the POST failed: %v", e.User.UserName, e.User.ID, e.Err)
}

func (e *IncompleteCreateError) Unwrap() error { return e.Err }

// gatewayStatus is a status a gateway in front of the app answers with a
// page of its own (rate limited, unavailable): a non-SCIM body then says
// nothing about the endpoint.
func gatewayStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// RateLimitedError is a request the app kept refusing with 429 until the
// client gave up: after max_retries tries during which the app accepted no
// other request, or when the operation's time ran out.
type RateLimitedError struct {
	Err   *Error // the last 429
	Tries int
	Over  time.Duration
	// Pace is the pace the client was sending at (requests per second, 0
	// when unpaced); Limit is the app's limit as learned, 0 when unknown.
	Pace, Limit float64
	// Reason is why the client stopped: "no_progress" (the retry budget
	// spent, and the app accepted nothing else within the last minute),
	// "patience" (15 minutes past the retry budget) or "deadline" (the
	// operation's time).
	Reason string
}

func (e *RateLimitedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: rate limited: the app answered HTTP 429 Too Many Requests to %d tries over %s", e.Err.Method, e.Err.Path,
		e.Tries, e.Over.Round(time.Second))
	switch e.Reason {
	case "patience":
		b.WriteString(", for 15 minutes past the retry budget while it accepted other requests")
	case "deadline":
		b.WriteString(", until the operation's timeout left no time to wait for the next try")
	default:
		b.WriteString(", and accepted no other request within the last minute")
	}
	switch {
	case e.Pace > 0 && e.Limit > 0:
		fmt.Fprintf(&b, "; this client was sending %.1f requests/second under a limit it learned of %.1f/s", e.Pace, e.Limit)
	case e.Pace > 0:
		fmt.Fprintf(&b, "; this client was sending %.1f requests/second", e.Pace)
	}
	if e.Err.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Err.Detail)
	}
	return b.String()
}

func (e *RateLimitedError) Unwrap() error { return e.Err }

// Is makes a give-up for want of time match context.DeadlineExceeded: the
// operation's time limit is what ran out, and raising it is the remedy.
func (e *RateLimitedError) Is(target error) bool {
	return target == context.DeadlineExceeded && e.Reason == "deadline"
}

// PatchRefusedError reports attributes the app refuses as PATCH paths
// (400 invalidPath) that could not be written with GET and PUT either.
type PatchRefusedError struct {
	// Paths are the SCIM attribute paths refused.
	Paths []string
	// Patch is the app's answer to the PATCH; Put what writing with GET
	// and PUT answered.
	Patch, Put error
}

func (e *PatchRefusedError) Error() string {
	return fmt.Sprintf("the app refuses to change %s by PATCH (%v), and writing it with GET and PUT failed too: %v",
		strings.Join(e.Paths, ", "), e.Patch, e.Put)
}

func (e *PatchRefusedError) Unwrap() error { return e.Patch }

// MaybeCreatedError reports a create whose request failed in a way that
// may have left the object made in the app, where a lookup cannot tell:
// the request was not sent again, so as not to make a duplicate.
type MaybeCreatedError struct {
	// Reason says why a lookup cannot tell.
	Reason string
	Err    error
}

func (e *MaybeCreatedError) Error() string {
	return fmt.Sprintf("the request failed (%v), and the app may have made the object all the same; %s, so it was not sent again", e.Err, e.Reason)
}

func (e *MaybeCreatedError) Unwrap() error { return e.Err }

// errIncompleteListing: a listing showed fewer resources than the app
// says it has.
var errIncompleteListing = errors.New("the listing shows fewer resources than the app counts")
