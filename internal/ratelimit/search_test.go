package ratelimit

import (
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// A limit learned from 429s from an app that went on accepting some requests
// while refusing others (a token bucket, whose rate the second counted
// understates while callers wait out Retry-After) is searched upwards: raised while each candidate draws no 429 for
// searchQuiet with requests accepted at it (quiet because nothing was sent
// proves nothing), then narrowed between the highest that held and the lowest
// that drew one. 429s for requests sent before a candidate's pace, or while
// one is being tried at the old pace, are not held against it, even at a
// noise level; a 429 at a pace that held ends the search, and the usual
// slowdown applies.
func TestLimiterSearchesAboveAPausedEstimate(t *testing.T) {
	a := newTestLimiter(0)
	a.Observe(time.Now(), 200, nil)
	a.Observe(time.Now(), 429, http.Header{})
	a.Observe(time.Now(), 200, nil) // accepted while refusing others
	for range 14 {
		a.Observe(time.Now(), 429, http.Header{})
	}
	if a.search == nil || a.known != 2 {
		t.Fatalf("known %v, search %+v after a paused second with 2 accepted; want a search from 2", a.known, a.search)
	}
	a.trial = nil
	quiet := func() {
		a.pacedAt, a.last429 = a.pacedAt.Add(-2*searchQuiet), a.last429.Add(-2*searchQuiet)
		for range searchEvidence {
			a.successes = append(a.successes, time.Now()) // accepted at the candidate
		}
		a.maybeProbe()
	}
	// Growing fourfold while each candidate holds for its quiet time (the
	// 8/s candidate behind a burst of one: 1.375 s, not searchSettle alone).
	for _, want := range []rate.Limit{8, 32} {
		quiet()
		if a.known != want || !a.search.trying {
			t.Fatalf("candidate %v (search %+v), want %v", a.known, a.search, want)
		}
		if want == 8 {
			settle(a)
			if a.known != want {
				t.Fatalf("candidate %v held after %v; want it tried for %v", want, searchSettle, a.search.quiet(want))
			}
		}
	}
	// A 429 for a request sent before the candidate's pace was set.
	a.Observe(a.pacedAt.Add(-time.Millisecond), 429, http.Header{})
	if a.known != 32 {
		t.Fatalf("a 429 for a request sent at the old pace moved the candidate to %v", a.known)
	}
	// The 32/s candidate draws a 429, even one within the noise level a
	// reverted trial left (behind a bucket of 10/s with a burst of 20 such
	// 429s were dismissed and the search doubled to 80): back to 8, then
	// between 8 and 32.
	a.noise = 1
	a.Observe(time.Now(), 429, http.Header{})
	if a.known != 8 || a.search.drew != 32 || a.search.trying {
		t.Fatalf("known %v, search %+v after the 32/s candidate drew a 429; want 8 held, 32 drew", a.known, a.search)
	}
	// The pace that held needs no proof: the next candidate comes once the
	// answers in flight have settled.
	settle(a)
	if a.known != 16 || !a.search.trying {
		t.Fatalf("known %v, search %+v %v after the 32/s candidate drew a 429; want 16 tried", a.known, a.search, searchSettle)
	}
	for i := 0; a.search != nil; i++ {
		if i == 10 {
			t.Fatalf("search %+v not over after ten quiet spells", a.search)
		}
		quiet()
	}
	if a.known < 8 || a.known > 32 {
		t.Fatalf("search ended at %v; want between 8 that held and 32 that drew", a.known)
	}
	if pace := a.pacer.Limit(); pace != a.known*a.safety {
		t.Fatalf("pace %v after the search, want just under %v", pace, a.known)
	}

	// Once a pace has held for a second, a 429 at it (a burst allowance
	// spent, or noise) ends the search: the usual slowdown, judged by a
	// trial against the noise level, applies.
	b := newTestLimiter(0)
	b.Observe(time.Now(), 200, nil)
	b.Observe(time.Now(), 429, http.Header{})
	b.Observe(time.Now(), 200, nil)
	for range 14 {
		b.Observe(time.Now(), 429, http.Header{})
	}
	if b.search == nil {
		t.Fatal("no search after a bucket's answers")
	}
	b.trial, b.pacedAt = nil, time.Now().Add(-2*learnWindow)
	before := b.pacer.Limit()
	for range burstThreshold {
		b.Observe(time.Now(), 429, http.Header{})
	}
	if b.search != nil || b.pacer.Limit() >= before {
		t.Fatalf("search %+v, pace %v after 429s at the pace %v that held", b.search, b.pacer.Limit(), before)
	}

	// A fixed window, once spent, accepts nothing until it ends: the answers
	// to its first burst measure it, and there is no search.
	c := newTestLimiter(0)
	for range 20 {
		c.Observe(time.Now(), 200, nil)
	}
	for range 10 {
		c.Observe(time.Now(), 429, http.Header{})
	}
	if c.search != nil || c.known != 20 {
		t.Fatalf("known %v, searching (%+v) above a limit measured as the pause began", c.known, c.search)
	}
	// Unless a request sent while it was refusing, still in flight when the
	// limit was learned, is accepted: a bucket whose refill the answers
	// counted had not yet shown (ten callers waiting out the same
	// Retry-After retry at once).
	c.Observe(c.refusedFrom, 200, nil)
	if c.search == nil {
		t.Fatal("no search after a request sent while the app refused was accepted")
	}
}

// TestLimitSearchQuietFollowsTheBurst: a candidate pace at least 10% over
// a bucket's rate spends a burst of b within 11b/p seconds, so that is how
// long it must draw no 429 to hold, within searchSettle and searchQuiet.
func TestLimitSearchQuietFollowsTheBurst(t *testing.T) {
	for _, c := range []struct {
		burst     int
		candidate rate.Limit
		want      time.Duration
	}{
		{1, 8, 1375 * time.Millisecond},
		{1, 16, searchSettle}, // 0.69 s, raised to let answers in flight settle
		{0, 16, searchSettle}, // nothing accepted before the first 429: a burst of one
		{2, 16, 1375 * time.Millisecond},
		{5, 16, searchQuiet}, // 3.4 s, left to the slowdown after a 429 at a pace that held
		{20, 12, searchQuiet},
	} {
		s := &limitSearch{burst: c.burst}
		if got := s.quiet(c.candidate); got != c.want {
			t.Errorf("burst %d, candidate %v: quiet %v, want %v", c.burst, c.candidate, got, c.want)
		}
	}
}

// settle moves a limiter's clock on by a little more than searchSettle.
func settle(a *Limiter) {
	d := searchSettle + 10*time.Millisecond
	a.pacedAt, a.last429 = a.pacedAt.Add(-d), a.last429.Add(-d)
	a.maybeProbe()
}

// TestSearchCandidateNeedsAcceptedRequests: a candidate pace that drew no
// 429 only because nothing was sent at it (callers held back, slots still
// charged to requests sent unpaced) does not hold; the search waits for
// the app to accept requests at it. (Judged on silence, express-rate-limit's
// 10/s window was paced at 11.65/s in one interop run.)
func TestSearchCandidateNeedsAcceptedRequests(t *testing.T) {
	a := newTestLimiter(0)
	a.Observe(time.Now(), 200, nil)
	a.Observe(time.Now(), 429, http.Header{})
	a.Observe(time.Now(), 200, nil)
	for range 14 {
		a.Observe(time.Now(), 429, http.Header{})
	}
	if a.search == nil {
		t.Fatal("no search")
	}
	a.trial = nil
	a.pacedAt, a.last429 = a.pacedAt.Add(-2*searchQuiet), a.last429.Add(-2*searchQuiet)
	a.maybeProbe() // the estimate held: the first candidate is tried
	candidate := a.known
	a.pacedAt, a.last429 = a.pacedAt.Add(-2*searchQuiet), a.last429.Add(-2*searchQuiet)
	a.successes = nil
	a.maybeProbe()
	if a.known != candidate || !a.search.trying {
		t.Fatalf("candidate %v held (now %v, search %+v) with no request accepted at it", candidate, a.known, a.search)
	}
}
