package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// maxLookupBatch bounds the userNames one coalesced lookup asks for, which
// keeps its URL well under the 8 KiB many servers accept.
const maxLookupBatch = 40

// userLookups coalesces the lookups that precede user creates. Every create
// asks whether its userName exists before it posts (so that a POST that
// fails ambiguously never claims someone else's user); Terraform creates
// about ten at once, and behind a rate limit each lookup would cost as much
// as the create itself. Names asked for while a lookup is in flight wait
// and go together in the next one, as `userName eq "a" or userName eq "b"`.
// Each name's answer still comes from a request sent after it was asked,
// and before its POST. An app that refuses "or" (400) gets one lookup per
// name from then on.
type userLookups struct {
	mu       sync.Mutex
	queue    []*userLookup
	inflight bool
	single   bool
}

type userLookup struct {
	name     string
	done     chan struct{}
	user     *User
	err      error
	fallback bool // the batch was refused: look up alone
}

// lookupBeforeCreate returns the user with this userName (case-insensitive),
// or nil, like FindByUserName, through the coalesced lookups.
func (s *UsersService) lookupBeforeCreate(ctx context.Context, name string) (*User, error) {
	l := &s.client.lookups
	l.mu.Lock()
	if l.single {
		l.mu.Unlock()
		return s.FindByUserName(ctx, name)
	}
	call := &userLookup{name: name, done: make(chan struct{})}
	l.queue = append(l.queue, call)
	if !l.inflight {
		l.inflight = true
		// The batch serves other callers too: it must not end with this
		// caller's cancellation (each request keeps its own timeout).
		go s.runLookups(context.WithoutCancel(ctx))
	}
	l.mu.Unlock()
	select {
	case <-call.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if call.fallback {
		return s.FindByUserName(ctx, name)
	}
	return call.user, call.err
}

// runLookups sends the queued names in batches until the queue is empty.
func (s *UsersService) runLookups(ctx context.Context) {
	l := &s.client.lookups
	for {
		l.mu.Lock()
		n := min(len(l.queue), maxLookupBatch)
		if n == 0 {
			l.inflight = false
			l.mu.Unlock()
			return
		}
		batch := l.queue[:n:n]
		l.queue = l.queue[n:]
		l.mu.Unlock()
		s.lookupBatch(ctx, batch)
	}
}

func (s *UsersService) lookupBatch(ctx context.Context, batch []*userLookup) {
	defer func() {
		for _, call := range batch {
			close(call.done)
		}
	}()
	if len(batch) == 1 {
		batch[0].user, batch[0].err = s.FindByUserName(ctx, batch[0].name)
		return
	}
	terms := make([]string, len(batch))
	for i, call := range batch {
		terms[i] = Eq("userName", call.name)
	}
	users, err := s.List(ctx, ListOptions{Filter: strings.Join(terms, " or ")})
	var se *Error
	if errors.As(err, &se) && (se.StatusCode == http.StatusBadRequest || se.StatusCode == http.StatusForbidden ||
		se.StatusCode == http.StatusNotImplemented) {
		s.client.log.InfoContext(ctx, "the app refuses an \"or\" of userName filters; looking users up one by one from now on",
			"error", err.Error())
		l := &s.client.lookups
		l.mu.Lock()
		l.single = true
		l.mu.Unlock()
		for _, call := range batch {
			call.fallback = true
		}
		return
	}
	if errors.Is(err, ErrNotFound) {
		users, err = nil, nil // Okta's "no match", as in findOne
	}
	for _, call := range batch {
		if err != nil {
			call.err = err
			continue
		}
		// Results are re-checked here: some apps ignore filters.
		var found []*User
		for _, u := range users {
			if strings.EqualFold(u.UserName, call.name) {
				found = append(found, u)
			}
		}
		switch len(found) {
		case 0:
		case 1:
			call.user = found[0]
		default:
			ids := make([]string, len(found))
			for i, u := range found {
				ids[i] = u.ID
			}
			call.err = fmt.Errorf("%w: userName %q matches users %s", ErrAmbiguous, call.name, strings.Join(ids, ", "))
		}
	}
}
