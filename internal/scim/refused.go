package scim

import (
	"context"
	"errors"
	"time"
)

// rateLimitPatience bounds how long one request is sent again past
// max_retries while the app refuses it with 429 but accepts others: a
// limit shared with other clients lets everyone through in turn, and
// failing then would leave an apply half done for no reason.
const rateLimitPatience = 15 * time.Minute

// retryRefused decides whether a request the app answered 429 is sent
// again, and after how long. Within max_retries it always is. Past them it
// is while the app accepted some other request since this one's previous
// 429 (progress: the limit is shared, not closed), for up to
// rateLimitPatience, and while the context leaves time for the wait.
func (c *Client) retryRefused(ctx context.Context, resp *response, tries *attempts) (time.Duration, bool) {
	now := c.limiter.Now()
	tries.progress = !tries.lastRefused.IsZero() && c.limiter.AcceptedSince(tries.lastRefused)
	if tries.firstRefused.IsZero() {
		tries.firstRefused = now
	}
	tries.lastRefused = now
	wait, ok := c.retryAfter(resp.Header)
	if !ok {
		wait = tries.backoff(c)
	}
	if tries.sent >= c.cfg.MaxRetries && (!tries.progress || now.Sub(tries.firstRefused) > rateLimitPatience) {
		return 0, false
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Sub(now) < wait {
		return 0, false
	}
	c.limiter.Refused(wait)
	return wait, true
}

// rateLimited explains a 429 the client gave up on: how often and for how
// long it was refused, and at what pace it was sending.
func (c *Client) rateLimited(tries attempts, err error) error {
	var se *Error
	if !errors.As(err, &se) || se.StatusCode != 429 || tries.firstRefused.IsZero() {
		return err
	}
	return &RateLimitedError{Err: se, Tries: tries.sent + 1, Over: c.limiter.Now().Sub(tries.firstRefused),
		Pace: c.limiter.Pace(), Limit: c.limiter.Known(), Progress: tries.progress}
}
