package scim

import (
	"context"
	"sync/atomic"
)

// A retry budget bounds the retries of one operation's writes (a create,
// an update, a deactivation, with every request it sends to write) to
// MaxRetries in all, whichever loop retries: a GET and PUT cycle with its
// reads again after a 412 and each of its requests' own retries (5xx,
// network errors), a create with its POSTs after a failure and the lookups
// between them, a group change split over several PATCHes, and the re-send
// of what the app did not keep. Without it the loops multiply (a cycle
// redone after a 412, each of its requests retried in turn).
// Waiting out a 429 is pacing, bounded by the operation's time limit, and
// is not counted. The lookup before a create and the reads that check a
// write the app acknowledged are outside it (each keeps to MaxRetries), as
// is every request outside an operation.
type retryBudget struct{ spent atomic.Int64 }

type retryBudgetKey struct{}

// withRetryBudget gives the operation run with ctx one retry budget,
// shared by every request it sends; within an operation that already has
// one (a create that takes over an existing user and updates it), the
// budget stays the operation's.
func withRetryBudget(ctx context.Context) context.Context {
	if b, _ := ctx.Value(retryBudgetKey{}).(*retryBudget); b != nil {
		return ctx
	}
	return context.WithValue(ctx, retryBudgetKey{}, &retryBudget{})
}

// outsideRetryBudget is ctx for the reads that check a write the app
// acknowledged: each keeps its own MaxRetries, so that a read failing once
// too often never turns a write that happened into one reported failed.
func outsideRetryBudget(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryBudgetKey{}, (*retryBudget)(nil))
}

// spendRetry takes one retry from ctx's budget and reports whether there
// was one left. Without a budget each loop keeps to its own MaxRetries.
func (c *Client) spendRetry(ctx context.Context) bool {
	b, _ := ctx.Value(retryBudgetKey{}).(*retryBudget)
	return b == nil || b.spent.Add(1) <= int64(c.cfg.MaxRetries)
}
