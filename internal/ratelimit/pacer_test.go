package ratelimit

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Slots are evenly spaced at the pace current when each is taken, a change
// of pace applies from the next slot on, and a burst is only allowed after
// a quiet spell.
func TestPacerSpacesSlotsAcrossChanges(t *testing.T) {
	p := newPacer(10, 3, time.Now, nil)
	start := time.Now()
	var slots []time.Time
	for range 5 {
		slots = append(slots, p.take(start))
	}
	want := []time.Duration{0, 0, 0, 100 * time.Millisecond, 200 * time.Millisecond}
	for i, slot := range slots {
		if got := slot.Sub(start); got != want[i] {
			t.Fatalf("slot %d at %v, want %v (a burst of three, then 10/s)", i, got, want[i])
		}
	}
	// Without the burst, the next slot is an interval after the latest
	// theoretical one (the burst's credit is gone).
	p.SetBurst(1)
	previous := p.take(start)
	if got := previous.Sub(start); got != 500*time.Millisecond {
		t.Fatalf("slot at %v once the burst is 1, want 500ms", got)
	}
	p.SetLimit(40)
	if slot := p.take(start); slot.Sub(previous) != 25*time.Millisecond {
		t.Fatalf("the first slot after the change to 40/s came %v after the one before; want 25ms", slot.Sub(previous))
	}
	previous = previous.Add(25 * time.Millisecond)
	for i := range 10 {
		slot := p.take(start)
		if gap := slot.Sub(previous); gap < 25*time.Millisecond {
			t.Fatalf("slot %d after the change to 40/s came %v after the one before; want at least 25ms", i, gap)
		}
		previous = slot
	}
	// A quiet spell: the next slot is now, not in the past.
	later := previous.Add(time.Minute)
	if slot := p.take(later); !slot.Equal(later) {
		t.Fatalf("after a quiet minute the slot is %v from now", slot.Sub(later))
	}
}

// Waiters queued at a slow pace take the new pace as soon as it is set:
// none of them has reserved a slot at the old one.
func TestPacerQueuedWaitersTakeANewPace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(1, 1, time.Now, nil)
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if err := p.Wait(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		time.Sleep(50 * time.Millisecond)
		p.SetLimit(100)
		wg.Wait()
		// At 1/s the ten would take ten seconds (as with rate.Limiter, whose
		// waiters reserve their slots when they start waiting); at 100/s
		// after the first, which waits out the old interval, 1.09 s.
		if took := time.Since(start); took != 1090*time.Millisecond {
			t.Fatalf("ten queued waiters took %v after the pace went from 1/s to 100/s, want 1.09s", took)
		}
	})
}

func TestPacerWaitHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(0.5, 1, time.Now, nil)
		_ = p.Wait(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := p.Wait(ctx); err == nil {
			t.Fatal("Wait returned nil for a slot two seconds away and a context ending in 20ms")
		}
		if took := time.Since(start); took != 20*time.Millisecond {
			t.Fatalf("Wait gave up after %v, want the context's 20ms", took)
		}
	})
}

// TestRateLimitBelowMinimumIsHonoured: a rate_limit of 0.2/s spaces
// requests 5 s apart, also after 429s slowed the pace (the limiter's own
// floor of 0.5/s used to win, sending 2.5 times as fast as allowed).
func TestRateLimitBelowMinimumIsHonoured(t *testing.T) {
	a := newTestLimiter(0.2)
	now := time.Now()
	first, second := a.pacer.take(now), a.pacer.take(now)
	if gap := second.Sub(first); gap != 5*time.Second {
		t.Fatalf("requests %v apart, want 5s", gap)
	}
	a.mu.Lock()
	a.known = 0.01
	a.setPace(now)
	pace := a.pacer.Limit()
	a.mu.Unlock()
	if pace != 0.2 {
		t.Fatalf("pace under a known limit below the floor is %v, want the rate_limit 0.2", pace)
	}
}
