package ratelimit

import (
	"math"
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestLimiterLearnsFromBurstsOnly(t *testing.T) {
	a := newTestLimiter(0)
	for i := 0; i < 20; i++ {
		a.Observe(time.Now(), 200, nil)
	}
	a.Observe(time.Now(), 429, http.Header{})
	if a.pacer.Limit() != rate.Inf {
		t.Fatalf("a lone 429 set the pace to %v", a.pacer.Limit())
	}
	// A few 429s among many answers are left to Retry-After; a share of
	// 30% means a limit far exceeded.
	for i := 0; i < 10; i++ {
		a.Observe(time.Now(), 429, http.Header{})
	}
	if got := a.pacer.Limit(); got < 18 || got > 20 {
		t.Fatalf("pace %v after a burst of 429s, want about the 20 accepted in the last second", got)
	}
	// Three 429s among the first five answers: too few answers to tell a
	// limit from noise, and the rate accepted so far is no limit at all.
	early := newTestLimiter(0)
	for _, status := range []int{200, 429, 200, 429, 429} {
		early.Observe(time.Now(), status, http.Header{})
	}
	if early.pacer.Limit() != rate.Inf {
		t.Fatalf("three 429s in the first five answers set the pace to %v", early.pacer.Limit())
	}
	b := newTestLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "50;w=10")
	b.Observe(time.Now(), 429, h)
	if got := b.pacer.Limit(); got < 4.5 || got > 5 {
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

func TestLimiterAdoptsStatedPolicyFromAnyAnswer(t *testing.T) {
	a := newTestLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "20;w=1")
	a.Observe(time.Now(), 200, h)
	if got := a.pacer.Limit(); got < 19 || got >= 20 {
		t.Fatalf("pace %v after an answer stating 20/s, want just under 20", got)
	}
	capped := newTestLimiter(5)
	capped.Observe(time.Now(), 200, h)
	if got := capped.pacer.Limit(); got != 5 {
		t.Fatalf("pace %v, want the user's rate_limit of 5 to win over a stated 20", got)
	}
}

func TestLimiterDoesNotProbeAboveKnownLimit(t *testing.T) {
	a := newTestLimiter(0)
	for i := 0; i < 20; i++ {
		a.Observe(time.Now(), 200, nil)
	}
	for i := 0; i < 10; i++ {
		a.Observe(time.Now(), 429, http.Header{})
	}
	learned := a.pacer.Limit()
	// Quiet for longer than the probe interval but not the explore interval.
	a.probedAt, a.last429 = time.Now().Add(-2*probeInterval), time.Now().Add(-2*probeInterval)
	a.maybeProbe()
	if got := a.pacer.Limit(); got != learned {
		t.Fatalf("probed from %v to %v within the explore interval; probing above a known limit costs a pause", learned, got)
	}
	// The slowdown is a trial: answers without 429s at the new pace keep it.
	for i := 0; i < trialInFlight+trialAnswers; i++ {
		a.Observe(time.Now(), 200, nil)
	}
	if a.trial != nil || a.pacer.Limit() != learned {
		t.Fatalf("trial %+v, pace %v; want the learned pace %v kept", a.trial, a.pacer.Limit(), learned)
	}
	// A pace lowered by 429s while paced climbs back, but not past the limit.
	for i := 0; i < 3; i++ {
		a.Observe(time.Now(), 429, http.Header{})
	}
	lowered := a.pacer.Limit()
	if lowered >= learned {
		t.Fatalf("429s while paced at %v left the pace at %v", learned, lowered)
	}
	for i := 0; i < 10; i++ {
		a.probedAt = time.Now().Add(-2 * probeInterval)
		a.maybeProbe()
	}
	if got := a.pacer.Limit(); got <= lowered || got > a.known*a.safety+1e-9 {
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
func TestLimiterWidensMarginForLoneRefusals(t *testing.T) {
	a := newTestLimiter(0)
	inFlight := time.Now()
	h := http.Header{}
	h.Set("RateLimit-Policy", "20;w=1")
	a.Observe(time.Now(), 200, h)
	paced := a.pacer.Limit()
	for _, sent := range []time.Time{inFlight, time.Now()} {
		a.Observe(sent, 429, http.Header{})
		if got := a.pacer.Limit(); got != paced {
			t.Fatalf("a 429 for a request sent %v after the pace was set moved it from %v to %v", sent.Sub(a.pacedAt), paced, got)
		}
	}
	lone := func() rate.Limit {
		// Seconds apart: lone, not a burst, and sent at the latest pace.
		a.recent429, a.pacedAt = nil, time.Now().Add(-2*learnWindow)
		a.Observe(time.Now(), 429, http.Header{})
		return a.pacer.Limit()
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
func TestLimiterTellsNoiseFromRate(t *testing.T) {
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
	if a.pacer.Limit() != rate.Inf || a.trial != nil || a.pausesEveryone() {
		t.Fatalf("pace %v, trial %+v: random 429s slowed an unpaced client", a.pacer.Limit(), a.trial)
	}
	// A real limit on top: half the answers refused, until the slower pace
	// brings them back to one in eight.
	for i := 0; i < 100 && a.pacer.Limit() == rate.Inf; i++ {
		answer(2, 2)
	}
	if a.pacer.Limit() == rate.Inf {
		t.Fatal("429s far above the noise did not slow the pace")
	}
	if !a.pausesEveryone() {
		t.Error("429s far above the noise did not pause every caller")
	}
	answer(trialInFlight+trialAnswers, 8)
	paced := a.pacer.Limit()
	if paced == rate.Inf || a.trial != nil {
		t.Fatalf("pace %v after 429s fell back to one in eight; want the slower pace kept", paced)
	}
	// Still one in eight at that pace: noise, which must not ratchet it down.
	answer(3000, 8)
	if got := a.pacer.Limit(); got < paced*0.95 {
		t.Errorf("pace fell from %v to %v under 429s that do not depend on it", paced, got)
	}
	if a.noise < 0.08 || a.noise > 0.2 {
		t.Errorf("noise level %.3f, want about 1/8", a.noise)
	}
}

// TestLimiterFollowsALimitThatFell: paced under 20/s, the app's
// limit falls to 14/s (a quota now shared with another client). A rate
// limit accepts the same number of requests at any pace over it, so each
// 10% slowdown takes only part of the 429s away (29% at 19.8/s, 21% at
// 17.8/s): the trials must judge that a limit, not noise, and the pace must
// come down to it. (Judged as noise when the share did not halve, the pace
// went back to 19.8/s and 429s up to twice that share were ignored.)
func TestLimiterFollowsALimitThatFell(t *testing.T) {
	a := newTestLimiter(0)
	a.learn(time.Now(), 20)
	const limit = 14.0
	credit := 0.0
	for range 2000 {
		// The share of requests a 14/s limit accepts at the current pace,
		// spread evenly.
		credit += min(1, limit/float64(a.pacer.Limit()))
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
	if pace := a.pacer.Limit(); pace > limit*1.05 || pace < limit*0.7 {
		t.Errorf("paced at %.2f/s after the limit fell from 20/s to %.0f/s; want just under it", pace, limit)
	}
}

func newTestLimiter(ceiling float64) *Limiter { return New(Options{Ceiling: ceiling}) }

// TestLimiterKeepsAPaceLearnedFarOver: an unpaced client far over
// a limit (a third of its answers refused) sets a pace; at that pace a third of
// the answers are still refused (the pace was learned too high, as when a
// fixed window counted across its boundary accepts twice its limit in one
// second). That is no reason to go back to sending unpaced: before, the
// trial judged those 429s noise and the limiter ended unpaced with 43% of
// its answers refused (express-rate-limit's legacy window, on a busy
// machine).
func TestLimiterKeepsAPaceLearnedFarOver(t *testing.T) {
	a := newTestLimiter(0)
	// Ten accepted, then every other answer refused: a third of the
	// answers refused when the burst sets the pace.
	for i := 0; i < 2000 && a.pacer.Limit() == rate.Inf; i++ {
		if i >= 10 && i%2 == 0 {
			a.Observe(time.Now(), 429, http.Header{})
		} else {
			a.Observe(time.Now(), 200, nil)
		}
	}
	if a.pacer.Limit() == rate.Inf {
		t.Fatal("a third of the answers refused did not set a pace")
	}
	for i := range trialInFlight + trialAnswers {
		status := 200
		if i%3 == 0 {
			status = 429
		}
		a.Observe(time.Now(), status, http.Header{})
	}
	if a.pacer.Limit() == rate.Inf {
		t.Error("still refused at the pace learned far over the limit, the limiter went back to sending unpaced")
	}
}
