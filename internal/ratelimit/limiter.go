package ratelimit

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter paces every request of a client. It starts at the
// configured rate (or unlimited) and learns the server's limit, then paces
// slightly under it: from a rate-limit policy header on any answer, or from
// a burst of 429s (the limit is then the number of requests the server
// accepted over the last second). Without it, a burst from Terraform's ten
// parallel operations keeps hitting the limit and every request behind it
// waits for Retry-After.
//
// Once the limit is known the pace stays under it: probing above a known
// limit costs a Retry-After pause for every caller, which is what made a
// rate-limited apply lose a tenth of its time. Only after a long spell
// without any 429 is the limit assumed to have been raised and tried 5%
// higher.
//
// Not every 429 is about our pace: a quota shared with other clients or a
// flaky gateway refuses a share of requests whatever the rate. So every
// slowdown is a trial: if the share of 429s does not fall at the lower
// pace, they were noise; the pace goes back and that share is remembered
// as the noise level. 429s within the noise level neither slow the pace,
// nor keep it from climbing, nor pause every caller; each refused request
// still waits its own Retry-After.
//
// The margin under a known limit starts at 1% and widens by a point (up to
// 5%) with each lone 429 for a request sent at that pace: on a loaded
// machine, or behind a proxy, requests reach the server less evenly than
// they leave, and a fixed window then sees 21 where 20 were sent a second
// apart. It narrows again by a point per quiet spell.
//
// A limit learned from 429s alone is only what the app accepted while
// every caller was held back by Retry-After: behind a token bucket with a
// small burst (nginx's limit_req, Envoy, API gateways) that is one or two
// requests a second whatever the rate. So it is searched upwards (see
// limitSearch) until a pace draws a 429.
type Limiter struct {
	mu     sync.Mutex
	pacer  *pacer
	gate   *pauseGate
	budget *Budget
	now    func() time.Time
	// share is the part of the known limit this client paces at (1
	// alone): lowered when a limit it keeps under still refuses it (others
	// spend the same limit), raised back a step each calm second.
	share rate.Limit
	// learnedAt and yieldedAt are when the limit was last learned and the
	// share last lowered.
	learnedAt, yieldedAt time.Time
	// stated is the limit the app's answers last stated, 0 when none did.
	stated rate.Limit
	// reserve is the part of the known limit left to other clients.
	reserve rate.Limit
	// lastAccepted is when the app last answered other than 429.
	lastAccepted time.Time
	// spentQuota is false when the latest 429 came with a remaining
	// quota: it pauses nobody but its request.
	spentQuota bool
	// unpublished is a limit learned and not yet written to the budget.
	unpublished rate.Limit
	// sharedAt is when the budget's learned limit was last looked at.
	sharedAt time.Time
	ceiling  rate.Limit // the lower of the user's rate_limit and the app's documented limit, or Inf
	known    rate.Limit // the server's limit as last learned; 0 while unknown
	// safety is the share of the known limit paced at (see safetyFactor).
	safety rate.Limit
	// pacedAt is when the pace under a known limit was last set: 429s
	// for requests sent before it, or within a second after it, were
	// scheduled at the old pace.
	pacedAt   time.Time
	successes []time.Time
	// refusals holds when recent 429s came.
	refusals []time.Time
	// bestAccepted is the highest rate of successful answers over
	// acceptedWindow seen so far, updated every second.
	bestAccepted float64
	talliedAt    time.Time
	recent429    []time.Time
	// last429 is the last 429 not explained by noise.
	last429  time.Time
	probedAt time.Time
	// outcomes holds whether each of the last outcomeWindow answers was a 429.
	outcomes [outcomeWindow]bool
	outcomeN int
	// noise is the share of 429s seen whatever the pace (0 until measured).
	noise float64
	trial *paceTrial
	// search is the upward search for a limit learned from 429s alone;
	// nil once the limit is stated, confirmed or lowered by 429s at a pace.
	search *limitSearch
	// refusingSince is the first 429 since the limit was last learned
	// from 429s; acceptedWhileRefusing counts the requests sent after it
	// that the app accepted all the same.
	refusingSince         time.Time
	acceptedWhileRefusing int
	// acceptedBeforeRefusing is how many requests the app accepted in the
	// second before its first 429 since the limit was last learned: at
	// most a token bucket's burst plus its refill (see limitSearch.quiet).
	acceptedBeforeRefusing int
	// refusedFrom and refusedUntil are when the app was refusing before
	// the limit was last learned without a search: a request sent then
	// and accepted after the limit was learned starts the search late.
	refusedFrom, refusedUntil time.Time
}

const (
	// outcomeWindow and trialAnswers are large enough that a share of 429s
	// of about 13% is told from no 429s at all with few mistakes (a 1-in-40
	// chance at 100 answers), small enough to take seconds at 20 requests/s.
	outcomeWindow = 100
	// trialInFlight answers after a slowdown are not counted: they were
	// sent at the old pace (Terraform runs ten operations at once).
	trialInFlight = 10
	trialAnswers  = 100
	// noiseRetained places the verdict between the share of 429s noise
	// would leave after a slowdown and the share a rate limit would (see
	// paceTrial.noiseThreshold): halfway.
	noiseRetained = 0.5
	// farOverShare is the share of 429s that means an unpaced client is
	// far over the app's limit, once farOverSample answers have come back:
	// over fewer the share says little. Under 13% random 429s, three of
	// the first ten answers are 429s in about one run of seven, and the
	// pace would be set to the rate accepted in a run's first second,
	// about 2/s. A real limit far exceeded keeps refusing, so it shows by
	// then all the same: at 10/s, 5 of the first 15 answers, at 20/s 9 of
	// 29. A larger sample costs more 429s while the limit is learned.
	farOverShare  = 0.3
	farOverSample = 15
	// acceptedWindow is the span over which the successful rate is taken,
	// the floor of a slowdown: long enough that a token bucket's burst adds
	// little to it (over five seconds a burst of 20 at 10/s adds 4/s, and
	// the pace cannot come down to the rate).
	acceptedWindow = 20 * time.Second
)

const (
	learnWindow    = time.Second
	burstWindow    = 5 * time.Second
	burstThreshold = 3
	probeInterval  = 10 * time.Second
	exploreAfter   = time.Minute
	// safetyFactor keeps the pace under the limit: 99% of 20/s spaces
	// requests 50.5 ms apart, so a one-second window sees at most 20 even
	// when the 21st request arrives 10 ms early. A rarer late-or-early
	// arrival refused by a fixed window is a lone 429: that request waits
	// its Retry-After and nobody slows down. A wider fixed margin would
	// cost every rate-limited apply its width, which an idle machine does
	// not need. A machine busy enough to be refused now and then widens the
	// margin towards widestSafety: 95% leaves 50 ms, which holds under the
	// whole acceptance suite on two cores.
	safetyFactor = 0.99
	widestSafety = 0.95
	safetyStep   = 0.01
	minimumRate  = rate.Limit(0.5)
	// searchQuiet is the longest a candidate pace must draw no 429 to hold
	// (see limitSearch.quiet): past a one-second window's limit, a 429
	// comes within a second.
	searchQuiet = 2 * time.Second
	// searchSettle is how long the pace that held (or the estimate the
	// search starts from) runs before the next candidate: long enough for
	// the answers still in flight from a candidate that drew a 429, and for
	// a Retry-After of a second, to pass; it needs no proof, it held.
	// Waiting searchQuiet there too would cost up to 2 s after every
	// candidate that is too high.
	searchSettle = time.Second
	// searchGrowth is the step while every candidate holds: the estimate
	// a search starts from is one or two requests a second, and each step
	// up takes searchQuiet at a pace far under the limit, so it grows
	// fourfold: half the steps of doubling. searchPrecision ends the search
	// once the highest pace that held is within that factor of the lowest
	// that drew a 429.
	searchGrowth    = 4
	searchPrecision = 1.1
	// searchEvidence is how many requests the app must have accepted at a
	// candidate pace, over its quiet time, for the candidate to hold.
	searchEvidence = 3
)

// Options configure a Limiter.
type Options struct {
	// Ceiling is the user's rate_limit in requests per second; 0: none.
	// It is this process's own cap: its slots are its own, not shared.
	Ceiling float64
	// AppLimit is the app's documented limit in requests per second (a
	// preset's pace); 0: none. It is the app's, so every process that
	// shares Budget keeps it together: four runs at once send no more
	// than AppLimit in all.
	AppLimit float64
	// Reserve is the share of the app's limit left to other clients that
	// share it (0 to 0.9): the pace under a known limit is that much lower.
	Reserve float64
	// Budget shares the pace, the learned limit and 429 pauses with every
	// other process on this machine that opened the same budget; nil: this
	// process paces alone.
	Budget *Budget
	// Now is the clock; nil means time.Now (tests run in a synctest bubble).
	Now func() time.Time
}

// New returns a limiter, unpaced until a limit is learned unless Ceiling is set.
func New(o Options) *Limiter {
	own := rate.Inf
	if o.Ceiling > 0 {
		own = rate.Limit(o.Ceiling)
	}
	limit, burst := own, 1
	if own != rate.Inf {
		burst = max(1, int(own))
	}
	if o.AppLimit > 0 && rate.Limit(o.AppLimit) < limit {
		// No burst at the app's own limit: every run on the machine
		// shares it, and a burst would exceed it in the first second.
		limit, burst = rate.Limit(o.AppLimit), 1
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	p := newPacer(limit, burst, now, o.Budget)
	p.ceiling = own // only the process's own cap keeps slots of its own
	l := &Limiter{
		pacer:   p,
		ceiling: limit, safety: safetyFactor, share: 1,
		reserve: rate.Limit(min(max(o.Reserve, 0), maxReserve)),
		budget:  o.Budget, now: now,
	}
	l.gate = &pauseGate{now: now, budget: o.Budget}
	return l
}

// Wait blocks until the caller may send its next request: after any pause
// a 429 called for, at its slot at the current pace.
func (l *Limiter) Wait(ctx context.Context) error {
	l.maybeProbe()
	if err := l.gate.wait(ctx); err != nil {
		return err
	}
	return l.pacer.Wait(ctx)
}

// Now is the limiter's clock.
func (l *Limiter) Now() time.Time { return l.now() }

// Pace is the current pace in requests per second, 0 while unpaced.
func (l *Limiter) Pace() float64 {
	if l := l.pacer.Limit(); l != rate.Inf {
		return float64(l)
	}
	return 0
}

// Known is the app's limit as last learned (requests per second), 0 while unknown.
func (l *Limiter) Known() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return float64(l.known)
}

// AcceptedSince says whether the app has accepted any request answered
// after t: a rate limit that still lets some requests through is progress.
func (l *Limiter) AcceptedSince(t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastAccepted.After(t)
}

// Refused is told of a 429 that a request will wait out for d before it is
// sent again: when the 429s are about this client's pace (not noise), every
// caller waits as long, and so does every process sharing the budget.
func (l *Limiter) Refused(d time.Duration) {
	if l.pausesEveryone() {
		l.gate.pauseFor(d)
	}
}
