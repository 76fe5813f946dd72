package scim

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer spaces requests evenly at a rate that changes as the limit is
// learned, allowing a burst only at the start. It is a generic cell rate
// algorithm (a request may go at the theoretical time of the next one, less
// burst-1 intervals) with one waiter at a time holding a slot.
//
// rate.Limiter is not used for this, for two reasons that behind a token
// bucket with a burst of one (nginx's limit_req, Envoy, API gateways) cost
// 95% of the throughput:
//   - Every waiter reserves its slot when it starts waiting, so with ten
//     callers a new pace only applies after ten slots at the old one: a
//     pace of 1/s being raised kept sending at 1/s for ten seconds.
//   - Slots reserved after a change of limit are counted from the tokens
//     left at the old one, and can fall on slots already reserved: two
//     requests went a millisecond apart at a pace of 3/s, and the bucket
//     refused the second.
type pacer struct {
	turn chan struct{} // held by the one waiter that owns the next slot
	mu   sync.Mutex
	// limit is the pace in requests per second (rate.Inf: unpaced); burst
	// is how many may go at once after a quiet spell.
	limit rate.Limit
	burst int
	// last is the theoretical time of the latest slot taken at an even
	// pace; the next is an interval at the pace current then after it.
	last time.Time
}

func newPacer(limit rate.Limit, burst int) *pacer {
	return &pacer{turn: make(chan struct{}, 1), limit: limit, burst: max(1, burst)}
}

// Limit is the current pace.
func (p *pacer) Limit() rate.Limit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit
}

// SetLimit changes the pace for every slot not yet taken.
func (p *pacer) SetLimit(limit rate.Limit) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limit = limit
}

// SetBurst changes how many requests may go at once after a quiet spell.
func (p *pacer) SetBurst(burst int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.burst = max(1, burst)
}

// Wait blocks until the caller may send. Callers queue for their turn; the
// one holding it takes the next slot at the pace current then.
func (p *pacer) Wait(ctx context.Context) error {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.turn }()
	now := time.Now()
	slot := p.take(now)
	if !slot.After(now) {
		return nil
	}
	return sleep(ctx, slot.Sub(now))
}

// take returns the time of the next slot, an interval at the current pace
// after the latest one (or now, after a quiet spell), less the burst.
func (p *pacer) take(now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit == rate.Inf {
		return now
	}
	// The limiter never sets a pace below the lower of minimumRate and the
	// user's rate_limit; a rate_limit under minimumRate is kept as given.
	interval := time.Duration(float64(time.Second) / float64(max(p.limit, minimumRate/100)))
	next := p.last.Add(interval)
	if next.Before(now) {
		next = now
	}
	p.last = next
	slot := next.Add(-time.Duration(p.burst-1) * interval)
	if slot.Before(now) {
		slot = now
	}
	return slot
}
