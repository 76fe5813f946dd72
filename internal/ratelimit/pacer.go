package ratelimit

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
// most of the throughput:
//   - Every waiter reserves its slot when it starts waiting, so with ten
//     callers a new pace only applies after ten slots at the old one: a
//     pace of 1/s being raised keeps sending at 1/s for ten seconds.
//   - Slots reserved after a change of limit are counted from the tokens
//     left at the old one, and can fall on slots already reserved: two
//     requests can go a millisecond apart, and the bucket refuses the
//     second.
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
	now  func() time.Time
	// unpaced holds when the requests sent unpaced within the last second
	// left; charged is the theoretical latest slot they would have taken
	// at the first pace set after them (zero once the next slot used it).
	unpaced []time.Time
	charged time.Time
	// ceiling is the user's rate_limit (Inf without one): a pace held down
	// by it is this process's own choice, kept by its own slots.
	ceiling rate.Limit
	// budget, when set, holds the latest slot of every process that
	// shares it, so that their slots together keep the pace.
	budget *Budget
}

func newPacer(limit rate.Limit, burst int, now func() time.Time, budget *Budget) *pacer {
	return &pacer{turn: make(chan struct{}, 1), limit: limit, burst: max(1, burst), now: now, budget: budget, ceiling: limit}
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
	if p.limit == rate.Inf && limit != rate.Inf && len(p.unpaced) > 0 {
		// The requests sent unpaced in the last second count against the
		// app's window as if they had been paced: the first paced slot
		// comes after the slots they would have taken, not at once (ten
		// requests at once and then 19.8/s filled a 20/s window thrice).
		interval := time.Duration(float64(time.Second) / float64(max(limit, minimumRate/100)))
		p.charged = p.unpaced[0].Add(time.Duration(len(p.unpaced)-1) * interval)
		p.unpaced = nil
	}
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
	now := p.now()
	slot := p.take(now)
	if !slot.After(now) {
		return nil
	}
	return Sleep(ctx, slot.Sub(now))
}

// take returns the time of the next slot, an interval at the current pace
// after the latest one (or now, after a quiet spell), less the burst. With
// a budget the latest slot is the one any process sharing it took, and a
// pause another process was asked for holds this one too; when the budget
// cannot be used the slot is this process's own.
func (p *pacer) take(now time.Time) time.Time {
	p.mu.Lock()
	limit, burst, charged := p.limit, p.burst, p.charged
	p.charged = time.Time{}
	if limit == rate.Inf {
		p.noteUnpaced(now)
	}
	p.mu.Unlock()
	interval := time.Duration(0)
	if limit != rate.Inf {
		// The limiter never sets a pace below the lower of minimumRate and
		// the user's rate_limit; a rate_limit under minimumRate is kept as given.
		interval = time.Duration(float64(time.Second) / float64(max(limit, minimumRate/100)))
	}
	// Only the holder of turn takes slots, so last needs no lock while the
	// budget's file is read (outside mu: SetLimit never waits on the disk).
	if p.budget != nil {
		// A process held to its own rate_limit below the machine's pace
		// waits out shared pauses but spaces only its own slots: taking
		// shared ones at its slow interval would hold every sharer to it.
		capped := p.ceiling != rate.Inf && limit >= p.ceiling
		if !capped {
			if next, slot, ok := p.budget.reserve(now, interval, burst, charged); ok {
				p.last = next
				return slot
			}
		} else if _, resume, ok := p.budget.reserve(now, 0, burst, time.Time{}); ok && resume.After(now) {
			now = resume
		}
	}
	if interval == 0 {
		return now
	}
	last := p.last
	if charged.After(last) {
		last = charged
	}
	next, slot := nextSlot(last, now, interval, burst)
	p.last = next
	return slot
}

// noteUnpaced records a request sent unpaced, keeping the last second's.
// Called with mu held.
func (p *pacer) noteUnpaced(now time.Time) {
	kept := p.unpaced[:0]
	for _, t := range p.unpaced {
		if now.Sub(t) < time.Second {
			kept = append(kept, t)
		}
	}
	p.unpaced = append(kept, now)
}

// nextSlot is the generic cell rate algorithm: the next theoretical slot
// is an interval after the latest (or now, after a quiet spell), and a
// request may go burst-1 intervals before it.
func nextSlot(last, now time.Time, interval time.Duration, burst int) (next, slot time.Time) {
	next = last.Add(interval)
	if next.Before(now) {
		next = now
	}
	slot = next.Add(-time.Duration(burst-1) * interval)
	if slot.Before(now) {
		slot = now
	}
	return next, slot
}
