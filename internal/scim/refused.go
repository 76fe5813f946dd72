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

// progressWindow is how recently the app must have accepted another
// request for a refused one to count as waiting its turn.
const progressWindow = time.Minute

// retryRefused decides whether a request the app answered 429 is sent
// again, and after how long. Within max_retries it always is. Past them it
// is while the app has accepted some other request since this one was
// first refused, within the last minute (progress: the limit is shared,
// not closed), for up to
// rateLimitPatience, and while the context leaves time for the wait.
func (c *Client) retryRefused(ctx context.Context, resp *response, tries *attempts) (time.Duration, bool) {
	now := c.limiter.Now()
	if tries.firstRefused.IsZero() {
		tries.firstRefused = now
	}
	// Progress is judged over the last minute, not between two of this
	// request's 429s: a 429 pauses this client's other callers too, so
	// what they get through comes in turns, not in every gap.
	since := tries.firstRefused
	if recent := now.Add(-progressWindow); recent.After(since) {
		since = recent
	}
	tries.progress = c.limiter.AcceptedSince(since)
	wait, ok := c.retryAfter(resp.Header)
	if !ok {
		wait = tries.backoff(c)
	}
	switch {
	case tries.sent >= c.cfg.MaxRetries && !tries.progress:
		tries.gaveUp = gaveUpNoProgress
		return 0, false
	case tries.sent >= c.cfg.MaxRetries && now.Sub(tries.firstRefused) > rateLimitPatience:
		tries.gaveUp = gaveUpPatience
		return 0, false
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Sub(now) < wait {
		tries.gaveUp = gaveUpDeadline
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
		Pace: c.limiter.Pace(), Limit: c.limiter.Known(), Reason: tries.gaveUp}
}

// Why a request refused with 429 was given up on (RateLimitedError.Reason).
const (
	gaveUpNoProgress = "no_progress" // the retry budget spent, and nothing else accepted within the last minute
	gaveUpPatience   = "patience"    // 15 minutes past the retry budget while others were accepted
	gaveUpDeadline   = "deadline"    // the operation's time left no room for the next wait
)
