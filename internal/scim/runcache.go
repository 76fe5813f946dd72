package scim

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// groupReads shares one read of each group among the refresh reads of one
// run (one Client): a plan refreshes every scim_group_member of a group,
// and each would otherwise fetch the whole group, members and all (1,000
// memberships of a 1,000-member group read a million member entries). A
// read is shared only when it began after every write this client made
// and after the caller's own record of its last write; reads running at
// once (Terraform refreshes ten resources at a time) wait for the same
// request. A group the app answered 404 for stays gone for the run's
// other readers; other failures are not kept.
type groupReads struct {
	client  *Client
	mu      sync.Mutex
	entries map[string]*groupRead
}

// groupRead is one read, in flight until done is closed.
type groupRead struct {
	began time.Time
	done  chan struct{}
	group *Group
	err   error
}

func newGroupReads(c *Client) *groupReads {
	return &groupReads{client: c, entries: map[string]*groupRead{}}
}

// get returns the group with id from a read that began after notBefore and
// after this client's last write, making one with read when there is none.
func (r *groupReads) get(ctx context.Context, id string, notBefore time.Time, read func(context.Context) (*Group, error)) (*Group, error) {
	if last := r.client.lastWrite(); last.After(notBefore) {
		notBefore = last
	}
	r.mu.Lock()
	e, ok := r.entries[id]
	if ok && e.began.Before(notBefore) {
		ok = false
	}
	if ok {
		select {
		case <-e.done:
			if e.err != nil && !errors.Is(e.err, ErrNotFound) {
				ok = false // a failure is not kept: read again
			}
		default:
		}
	}
	if !ok {
		e = &groupRead{began: time.Now(), done: make(chan struct{})}
		r.entries[id] = e
		r.mu.Unlock()
		e.group, e.err = read(ctx)
		close(e.done)
		return e.copy()
	}
	r.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil && !errors.Is(e.err, ErrNotFound) {
		// The shared read failed (perhaps on its caller's context): this
		// caller reads for itself.
		return read(ctx)
	}
	return e.copy()
}

// copy gives each reader its own Group, so that none sees another's changes.
func (e *groupRead) copy() (*Group, error) {
	if e.err != nil {
		return nil, e.err
	}
	g := *e.group
	g.Members = slices.Clone(e.group.Members)
	return &g, nil
}
