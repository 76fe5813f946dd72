package scim

import (
	"context"
	"sync/atomic"
)

// A retry budget bounds the retries of one write to MaxRetries in all,
// whichever loop retries: a GET and PUT cycle with its reads again after
// a 412 and each of its requests' own retries (5xx, network errors), or a
// create with its POSTs after a failure and the lookups between them.
// Without it the loops multiply (a cycle redone after a 412, each of its
// requests retried in turn). So one write sends its own requests (one
// PATCH; a GET and a PUT; a POST and the lookup after a failure) at most
// 1 + MaxRetries times.
// Waiting out a 429 is pacing, bounded by the operation's time limit, and
// is not counted. Outside a write, each request keeps to MaxRetries.
type retryBudget struct{ spent atomic.Int64 }

type retryBudgetKey struct{}

// withRetryBudget gives the write run with ctx one retry budget, shared
// by every request it sends.
func withRetryBudget(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryBudgetKey{}, &retryBudget{})
}

// spendRetry takes one retry from ctx's budget and reports whether there
// was one left. Without a budget each loop keeps to its own MaxRetries.
func (c *Client) spendRetry(ctx context.Context) bool {
	b, _ := ctx.Value(retryBudgetKey{}).(*retryBudget)
	return b == nil || b.spent.Add(1) <= int64(c.cfg.MaxRetries)
}
