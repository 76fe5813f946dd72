package scim

import (
	"context"
	"errors"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/ratelimit"
)

// ReadAfterWrite runs read until it succeeds and reports the object as
// settled, for as long as the dialect's ConsistencyWindow after writtenAt
// (the time of this provider's last write of the object) allows. Apps that
// apply writes asynchronously answer 404 for a new object, or show a group
// as it was, for a while; such a read is retried with backoff rather than
// taken as "gone" or as drift. Outside the window, or for any other error,
// read's last answer stands: the caller then reports what the app shows.
func (c *Client) ReadAfterWrite(ctx context.Context, writtenAt time.Time, read func() (settled bool, err error)) error {
	deadline := writtenAt.Add(c.dialect.ConsistencyWindow)
	for attempt := 0; ; attempt++ {
		settled, err := read()
		if (err == nil && settled) || (err != nil && !errors.Is(err, ErrNotFound)) {
			return err
		}
		left := time.Until(deadline)
		if writtenAt.IsZero() || left <= 0 {
			return err
		}
		c.log.DebugContext(ctx, "the app does not show this provider's last write yet; reading again",
			"attempt", attempt+1, "window_left", left.Round(time.Millisecond).String())
		if err := ratelimit.Sleep(ctx, min(c.backoff(attempt), left)); err != nil {
			return err
		}
	}
}

// Settling reports whether a read now, after this provider's write at
// writtenAt, falls within the dialect's ConsistencyWindow, where a read that
// does not show the write yet is retried.
func (c *Client) Settling(writtenAt time.Time) bool {
	return !writtenAt.IsZero() && time.Since(writtenAt) < c.dialect.ConsistencyWindow
}

// HasConsistencyWindow reports whether the dialect gives writes a
// ConsistencyWindow, so that callers know whether the time of a write is
// worth keeping for the reads of later runs.
func (c *Client) HasConsistencyWindow() bool {
	return c.dialect.ConsistencyWindow > 0
}
