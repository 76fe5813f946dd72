package scim

import (
	"context"
	"sync"
)

// objectLocks serialises read-modify-write cycles per object (its path):
// two writes of one group through GET, local merge and PUT, run at once,
// would each PUT the members they read, and the last PUT would drop the
// other's change. Writes of different objects still run in parallel.
type objectLocks struct {
	mu   sync.Mutex
	held map[string]*objectLock
}

type objectLock struct {
	turn    chan struct{} // holds one token: the right to write the object
	waiters int           // callers holding or waiting for turn
}

// lock waits for the object's turn, or for ctx to end. The returned
// function gives the turn to the next caller.
func (l *objectLocks) lock(ctx context.Context, key string) (func(), error) {
	l.mu.Lock()
	if l.held == nil {
		l.held = map[string]*objectLock{}
	}
	o := l.held[key]
	if o == nil {
		o = &objectLock{turn: make(chan struct{}, 1)}
		l.held[key] = o
	}
	o.waiters++
	l.mu.Unlock()
	release := func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if o.waiters--; o.waiters == 0 {
			delete(l.held, key)
		}
	}
	select {
	case o.turn <- struct{}{}:
		return func() { <-o.turn; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
