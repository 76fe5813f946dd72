package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/scim-terraform/terraform-provider-scim/internal/ratelimit"
)

// lookupRefused is true when a lookup before a create failed because the
// app refuses the filter (400, 403, 501): the create goes ahead without
// knowing what existed, and so never claims anything after a failure.
func lookupRefused(err error) bool {
	var se *Error
	return errors.As(err, &se) && (se.StatusCode == http.StatusBadRequest || se.StatusCode == http.StatusForbidden ||
		se.StatusCode == http.StatusNotImplemented)
}

// createClaimingNew runs post. After an ambiguous failure (the app may or
// may not have acted) it runs lookup and claims the one object found that
// existedBefore says was not there before the first POST: only that one can
// be the POST's work. None found, it posts again; more than one, it stops.
// An object that existed before is never returned: the caller decides what
// to do with it by the documented rules (refuse, reactivate, adopt).
//
// untrusted, when not empty, says why finding nothing proves nothing here
// (the app shows new objects late, or refuses the lookup's filter): then a
// failed POST is not sent again, which could leave a duplicate, and
// *MaybeCreatedError says so.
func createClaimingNew[T any](ctx context.Context, c *Client, post func(context.Context) (*T, error), lookup func(context.Context) ([]*T, error),
	existedBefore func(*T) bool, untrusted string) (*T, error) {
	ctx = withRetryBudget(ctx)
	for attempt := 0; ; attempt++ {
		created, err := post(ctx)
		if err != nil && ambiguousWriteFailure(err) && ctx.Err() != nil {
			return nil, &MaybeCreatedError{Reason: "the time limit ran out before it could be looked up", Err: err}
		}
		if err == nil || !ambiguousWriteFailure(err) || ctx.Err() != nil {
			return created, err
		}
		found, lookupErr := lookup(ctx)
		var maybe *MaybeCreatedError
		if errors.As(lookupErr, &maybe) {
			maybe.Err = err
			return nil, maybe
		}
		if lookupErr != nil && untrusted != "" {
			return nil, &MaybeCreatedError{Reason: untrusted, Err: err}
		}
		if lookupErr != nil {
			return nil, &MaybeCreatedError{Reason: fmt.Sprintf("looking it up afterwards failed too (%v)", lookupErr), Err: err}
		}
		var fresh []*T
		for _, f := range found {
			if !existedBefore(f) {
				fresh = append(fresh, f)
			}
		}
		if len(fresh) == 1 {
			return fresh[0], nil
		}
		if len(fresh) == 0 && untrusted != "" {
			return nil, &MaybeCreatedError{Reason: untrusted, Err: err}
		}
		if len(fresh) > 1 {
			return nil, fmt.Errorf("%w: %d new objects match what was created after the request failed (%w); "+
				"import the right one and delete the others in the app", ErrAmbiguous, len(fresh), err)
		}
		if attempt >= c.cfg.MaxRetries || !c.spendRetry(ctx) {
			return nil, err
		}
		if err := ratelimit.Sleep(ctx, c.backoff(attempt)); err != nil {
			return nil, err
		}
	}
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
