package ratelimit

import (
	"math"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

func TestAdaptiveLimiterLearnsFromBurstsOnly(t *testing.T) {
	a := newTestLimiter(0)
	for i := 0; i < 20; i++ {
		a.Observe(time.Now(), 200, nil)
	}
	a.Observe(time.Now(), 429, http.Header{})
	if a.limiter.Limit() != rate.Inf {
		t.Fatalf("a lone 429 set the pace to %v", a.limiter.Limit())
	}
	// A few 429s among many answers are left to Retry-After; a share of
	// 30% means a limit far exceeded.
	for i := 0; i < 10; i++ {
		a.Observe(time.Now(), 429, http.Header{})
	}
	if got := a.limiter.Limit(); got < 18 || got > 20 {
		t.Fatalf("pace %v after a burst of 429s, want about the 20 accepted in the last second", got)
	}
	// Three 429s among the first five answers: too few answers to tell a
	// limit from noise, and the rate accepted so far is no limit at all.
	early := newTestLimiter(0)
	for _, status := range []int{200, 429, 200, 429, 429} {
		early.Observe(time.Now(), status, http.Header{})
	}
	if early.limiter.Limit() != rate.Inf {
		t.Fatalf("three 429s in the first five answers set the pace to %v", early.limiter.Limit())
	}
	b := newTestLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "50;w=10")
	b.Observe(time.Now(), 429, h)
	if got := b.limiter.Limit(); got < 4.5 || got > 5 {
		t.Fatalf("pace %v, want about 5/s from RateLimit-Policy 50;w=10", got)
	}
}

// Both shapes the IETF draft has given RateLimit-Policy are read, and of
// several policies the slowest binds.
func TestHeaderLimitReadsEveryDraftShape(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  float64
	}{
		{"draft 7", []string{"20;w=1"}, 20},
		{"draft 7, window of 10 s", []string{"50;w=10"}, 5},
		{"draft 7, no window", []string{"30"}, 30},
		{"draft 7, two policies", []string{"10;w=1, 300;w=60;comment=\"minute\""}, 5},
		{"draft 8 (express-rate-limit)", []string{`"scim"; q=10; w=1; pk=:MTI3LjAuMC4x:`}, 10},
		{"draft 8, two header lines", []string{`"burst";q=100;w=10`, `"day";q=86400;w=86400`}, 1},
		{"draft 8, bytes not requests", []string{`"body";q=1000;qu="content-bytes";w=1`}, 0},
		{"draft 8 quota in requests", []string{`"p";q=6;qu="requests";w=2`}, 3},
		{"garbage", []string{"unlimited", `"name";w=1`}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tc.lines {
				h.Add("RateLimit-Policy", l)
			}
			if got := headerLimit(h); got != tc.want {
				t.Errorf("headerLimit(%q) = %v, want %v", tc.lines, got, tc.want)
			}
		})
	}
}

func TestAdaptiveLimiterAdoptsStatedPolicyFromAnyAnswer(t *testing.T) {
	a := newTestLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "20;w=1")
	a.Observe(time.Now(), 200, h)
	if got := a.limiter.Limit(); got < 19 || got >= 20 {
		t.Fatalf("pace %v after an answer stating 20/s, want just under 20", got)
	}
	capped := newTestLimiter(5)
	capped.Observe(time.Now(), 200, h)
	if got := capped.limiter.Limit(); got != 5 {
		t.Fatalf("pace %v, want the user's rate_limit of 5 to win over a stated 20", got)
	}
}

func TestAdaptiveLimiterDoesNotProbeAboveKnownLimit(t *testing.T) {
	a := newTestLimiter(0)
	for i := 0; i < 20; i++ {
		a.Observe(time.Now(), 200, nil)
	}
	for i := 0; i < 10; i++ {
		a.Observe(time.Now(), 429, http.Header{})
	}
	learned := a.limiter.Limit()
	// Quiet for longer than the probe interval but not the explore interval.
	a.probedAt, a.last429 = time.Now().Add(-2*probeInterval), time.Now().Add(-2*probeInterval)
	a.maybeProbe()
	if got := a.limiter.Limit(); got != learned {
		t.Fatalf("probed from %v to %v within the explore interval; probing above a known limit costs a pause", learned, got)
	}
	// The slowdown is a trial: answers without 429s at the new pace keep it.
	for i := 0; i < trialInFlight+trialAnswers; i++ {
		a.Observe(time.Now(), 200, nil)
	}
	if a.trial != nil || a.limiter.Limit() != learned {
		t.Fatalf("trial %+v, pace %v; want the learned pace %v kept", a.trial, a.limiter.Limit(), learned)
	}
	// A pace lowered by 429s while paced climbs back, but not past the limit.
	for i := 0; i < 3; i++ {
		a.Observe(time.Now(), 429, http.Header{})
	}
	lowered := a.limiter.Limit()
	if lowered >= learned {
		t.Fatalf("429s while paced at %v left the pace at %v", learned, lowered)
	}
	for i := 0; i < 10; i++ {
		a.probedAt = time.Now().Add(-2 * probeInterval)
		a.maybeProbe()
	}
	if got := a.limiter.Limit(); got <= lowered || got > a.known*a.safety+1e-9 {
		t.Fatalf("pace %v after probes, want above %v and at most %v", got, lowered, a.known*a.safety)
	}
	// After long quiet spells the margin the lone 429s widened narrows back
	// a point at a time, and then the limit is tried a little higher.
	before := a.known
	for i := 0; i < 10 && a.known <= before; i++ {
		if a.safety < safetyFactor-1e-9 && a.known != before {
			t.Fatalf("known limit raised to %v while the margin was still %v", a.known, a.safety)
		}
		a.probedAt, a.last429 = time.Now().Add(-2*exploreAfter), time.Now().Add(-2*exploreAfter)
		a.maybeProbe()
	}
	if a.known <= before || a.safety != safetyFactor {
		t.Fatalf("known limit %v (margin %v) not explored upward after %v without 429s", a.known, a.safety, exploreAfter)
	}
}

// A lone 429 for a request sent at the pace set under a known limit means
// requests reach the server less evenly than they leave: the margin widens
// a point, never past widestSafety. 429s for requests sent before the pace
// was set (Terraform's ten operations in flight), or scheduled in the second
// after it, do not count.
func TestAdaptiveLimiterWidensMarginForLoneRefusals(t *testing.T) {
	a := newTestLimiter(0)
	inFlight := time.Now()
	h := http.Header{}
	h.Set("RateLimit-Policy", "20;w=1")
	a.Observe(time.Now(), 200, h)
	paced := a.limiter.Limit()
	for _, sent := range []time.Time{inFlight, time.Now()} {
		a.Observe(sent, 429, http.Header{})
		if got := a.limiter.Limit(); got != paced {
			t.Fatalf("a 429 for a request sent %v after the pace was set moved it from %v to %v", sent.Sub(a.pacedAt), paced, got)
		}
	}
	lone := func() rate.Limit {
		// Seconds apart: lone, not a burst, and sent at the latest pace.
		a.recent429, a.pacedAt = nil, time.Now().Add(-2*learnWindow)
		a.Observe(time.Now(), 429, http.Header{})
		return a.limiter.Limit()
	}
	for step := 1; step <= 6; step++ {
		got, want := lone(), max(a.known*rate.Limit(safetyFactor-safetyStep*float64(step)), a.known*widestSafety)
		if math.Abs(float64(got-want)) > 1e-9 {
			t.Fatalf("pace %v after %d lone 429s at the pace, want %v", got, step, want)
		}
	}
	if a.safety < widestSafety-1e-9 || a.known != 20 {
		t.Fatalf("margin %v, known limit %v; want the widest margin %v under 20", a.safety, a.known, widestSafety)
	}
}

// 429s that come at the same share whatever the pace (a quota shared with
// other clients, a flaky gateway) are noise: unpaced, they are left to each
// request's Retry-After; paced, the slowdown they cause is undone and their
// share kept as the noise level, so that they stop slowing the pace. 429s
// well above that share still slow it.
func TestAdaptiveLimiterTellsNoiseFromRate(t *testing.T) {
	a := newTestLimiter(0)
	answer := func(n int, every int) {
		for i := 1; i <= n; i++ {
			if i%every == 0 {
				if a.search != nil && i%(8*every) == 0 {
					// Time passes: a limit search (the app
					// accepts some requests while refusing
					// others) meets the noise at a pace that has
					// held for a second.
					a.pacedAt = a.pacedAt.Add(-2 * learnWindow)
				}
				a.Observe(time.Now(), 429, http.Header{})
			} else {
				a.Observe(time.Now(), 200, nil)
			}
		}
	}
	answer(500, 8) // one in eight refused, unpaced
	if a.limiter.Limit() != rate.Inf || a.trial != nil || a.pausesEveryone() {
		t.Fatalf("pace %v, trial %+v: random 429s slowed an unpaced client", a.limiter.Limit(), a.trial)
	}
	// A real limit on top: half the answers refused, until the slower pace
	// brings them back to one in eight.
	for i := 0; i < 100 && a.limiter.Limit() == rate.Inf; i++ {
		answer(2, 2)
	}
	if a.limiter.Limit() == rate.Inf {
		t.Fatal("429s far above the noise did not slow the pace")
	}
	if !a.pausesEveryone() {
		t.Error("429s far above the noise did not pause every caller")
	}
	answer(trialInFlight+trialAnswers, 8)
	paced := a.limiter.Limit()
	if paced == rate.Inf || a.trial != nil {
		t.Fatalf("pace %v after 429s fell back to one in eight; want the slower pace kept", paced)
	}
	// Still one in eight at that pace: noise, which must not ratchet it down.
	answer(3000, 8)
	if got := a.limiter.Limit(); got < paced*0.95 {
		t.Errorf("pace fell from %v to %v under 429s that do not depend on it", paced, got)
	}
	if a.noise < 0.08 || a.noise > 0.2 {
		t.Errorf("noise level %.3f, want about 1/8", a.noise)
	}
}

// A limit learned from 429s from an app that went on accepting some requests
// while refusing others (a token bucket, whose rate the second counted
// understates while callers wait out Retry-After) is searched upwards: raised while each candidate draws no 429 for
// searchQuiet, then narrowed between the highest that held and the lowest
// that drew one. 429s for requests sent before a candidate's pace, or while
// one is being tried at the old pace, are not held against it, even at a
// noise level; a 429 at a pace that held ends the search, and the usual
// slowdown applies.
func TestAdaptiveLimiterSearchesAboveAPausedEstimate(t *testing.T) {
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
	if pace := a.limiter.Limit(); pace != a.known*a.safety {
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
	before := b.limiter.Limit()
	for range burstThreshold {
		b.Observe(time.Now(), 429, http.Header{})
	}
	if b.search != nil || b.limiter.Limit() >= before {
		t.Fatalf("search %+v, pace %v after 429s at the pace %v that held", b.search, b.limiter.Limit(), before)
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

// TestAdaptiveLimiterFollowsALimitThatFell: paced under 20/s, the app's
// limit falls to 14/s (a quota now shared with another client). A rate
// limit accepts the same number of requests at any pace over it, so each
// 10% slowdown takes only part of the 429s away (29% at 19.8/s, 21% at
// 17.8/s): the trials must judge that a limit, not noise, and the pace must
// come down to it. (Judged as noise when the share did not halve, the pace
// went back to 19.8/s and 429s up to twice that share were ignored.)
func TestAdaptiveLimiterFollowsALimitThatFell(t *testing.T) {
	a := newTestLimiter(0)
	a.learn(time.Now(), 20)
	const limit = 14.0
	credit := 0.0
	for range 2000 {
		// The share of requests a 14/s limit accepts at the current pace,
		// spread evenly.
		credit += min(1, limit/float64(a.limiter.Limit()))
		if credit >= 1 {
			credit--
			a.Observe(time.Now(), 200, nil)
		} else {
			a.Observe(time.Now(), 429, http.Header{})
		}
	}
	if a.noise != 0 {
		t.Errorf("429s from a limit that fell taken for noise (level %.2f)", a.noise)
	}
	if pace := a.limiter.Limit(); pace > limit*1.05 || pace < limit*0.7 {
		t.Errorf("paced at %.2f/s after the limit fell from 20/s to %.0f/s; want just under it", pace, limit)
	}
}

func newTestLimiter(ceiling float64) *Limiter { return New(Options{Ceiling: ceiling}) }

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
	paced := a.limiter.Limit()
	h.Set("RateLimit-Remaining", "12")
	a.learnedAt = a.learnedAt.Add(-time.Minute)
	for range 5 {
		a.Observe(time.Now(), 429, h)
	}
	if a.pausesEveryone() || a.limiter.Limit() != paced {
		t.Fatalf("429s with 12 requests left paused everyone (%v) or moved the pace to %v", a.pausesEveryone(), a.limiter.Limit())
	}
	h.Set("RateLimit-Remaining", "0")
	for range 5 {
		a.Observe(time.Now(), 429, h)
	}
	if !a.pausesEveryone() || a.limiter.Limit() >= paced {
		t.Fatalf("429s with the quota spent: pauses everyone %v, pace %v; want a pause and a lower share", a.pausesEveryone(), a.limiter.Limit())
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
		lowered := a.limiter.Limit()
		for range 5 {
			time.Sleep(shareStepGap)
			a.maybeProbe()
		}
		if want := shareDecrease + 5*shareStep; math.Abs(float64(a.share)-want) > 1e-9 || a.limiter.Limit() <= lowered {
			t.Fatalf("share %v after five quiet seconds, want %v", a.share, want)
		}
	})
}
