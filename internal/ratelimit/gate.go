package ratelimit

import (
	"context"
	"sync"
	"time"
)

// pauseGate holds back every caller until a shared instant, set when a 429
// calls for it; with a budget, every process sharing it waits too.
type pauseGate struct {
	now    func() time.Time
	budget *Budget
	mu     sync.Mutex
	until  time.Time
}

func (g *pauseGate) pauseFor(d time.Duration) {
	now := g.now()
	until := now.Add(d)
	g.mu.Lock()
	if until.After(g.until) {
		g.until = until
	}
	g.mu.Unlock()
	if g.budget != nil {
		g.budget.pauseUntil(now, until)
	}
}

func (g *pauseGate) wait(ctx context.Context) error {
	g.mu.Lock()
	d := g.until.Sub(g.now())
	g.mu.Unlock()
	if d <= 0 {
		return nil
	}
	return Sleep(ctx, d)
}

// Sleep waits for d, or until ctx ends (then it returns ctx's error).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
