package ratelimit

import (
	"math"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

func TestHeaderRemainingReadsEveryShape(t *testing.T) {
	for _, c := range []struct {
		header, value string
		want          int
		ok            bool
	}{
		{"RateLimit-Remaining", "7", 7, true},
		{"X-RateLimit-Remaining", "0", 0, true},
		{"RateLimit", "limit=20, remaining=3, reset=1", 3, true},
		{"RateLimit", `"default";r=4;t=1`, 4, true},
		{"RateLimit-Limit", "20", 0, false},
		{"RateLimit-Remaining", "soon", 0, false},
	} {
		h := http.Header{}
		h.Set(c.header, c.value)
		if got, ok := headerRemaining(h); got != c.want && c.ok || ok != c.ok {
			t.Errorf("%s: %s read as %d, %v; want %d, %v", c.header, c.value, got, ok, c.want, c.ok)
		}
	}
}

// A 429 whose answer says requests are left in the window is about
// something else than the quota (a concurrency cap, another policy): only
// the refused request waits, and the pace stays.
func TestRefusalWithQuotaLeftPausesNobody(t *testing.T) {
	a := newTestLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "20;w=1")
	a.Observe(time.Now(), 200, h)
	paced := a.pacer.Limit()
	h.Set("RateLimit-Remaining", "12")
	a.learnedAt = a.learnedAt.Add(-time.Minute)
	for range 5 {
		a.Observe(time.Now(), 429, h)
	}
	if a.pausesEveryone() || a.pacer.Limit() != paced {
		t.Fatalf("429s with 12 requests left paused everyone (%v) or moved the pace to %v", a.pausesEveryone(), a.pacer.Limit())
	}
	h.Set("RateLimit-Remaining", "0")
	for range 5 {
		a.Observe(time.Now(), 429, h)
	}
	if !a.pausesEveryone() || a.pacer.Limit() >= paced {
		t.Fatalf("429s with the quota spent: pauses everyone %v, pace %v; want a pause and a lower share", a.pausesEveryone(), a.pacer.Limit())
	}
}

// A burst of 429s under a stated limit lowers this client's share of it
// (once a second at most), and quiet seconds give it back a step at a time.
func TestShareOfAStatedLimitFallsAndClimbsBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := newTestLimiter(0)
		h := http.Header{}
		h.Set("RateLimit-Policy", "20;w=1")
		for range 30 {
			a.Observe(time.Now(), 200, h)
		}
		time.Sleep(2 * time.Second)
		for range burstThreshold * 3 {
			a.Observe(time.Now(), 429, h)
		}
		if a.share != shareDecrease {
			t.Fatalf("share %v after a burst of 429s, want one decrease to %v", a.share, shareDecrease)
		}
		lowered := a.pacer.Limit()
		for range 5 {
			time.Sleep(shareStepGap)
			a.maybeProbe()
		}
		if want := shareDecrease + 5*shareStep; math.Abs(float64(a.share)-want) > 1e-9 || a.pacer.Limit() <= lowered {
			t.Fatalf("share %v after five quiet seconds, want %v", a.share, want)
		}
	})
}
