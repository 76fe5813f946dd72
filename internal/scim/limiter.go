package scim

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// adaptiveLimiter paces every request of a client. It starts at the
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
type adaptiveLimiter struct {
	mu      sync.Mutex
	limiter *pacer
	ceiling rate.Limit // the user's rate_limit, or Inf
	known   rate.Limit // the server's limit as last learned; 0 while unknown
	// safety is the share of the known limit paced at (see safetyFactor).
	safety rate.Limit
	// pacedAt is when the pace under a known limit was last set: 429s
	// for requests sent before it, or within a second after it, were
	// scheduled at the old pace.
	pacedAt   time.Time
	successes []time.Time
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

// limitSearch looks for the highest pace that draws no 429 over its
// quiet time, from a limit learned from 429s: four times higher while
// every step holds, then halfway (geometrically) between the highest pace
// that held and the lowest that drew a 429, until the two are within
// searchPrecision. After a candidate draws a 429 the pace that held runs
// only for searchSettle before the next one. Behind a token bucket with a
// burst of one that turns an estimate of 1/s into about 19/s of a 20/s
// limit in ten seconds (fifteen when doubling and waiting searchQuiet
// after each 429). A pace may hold for searchQuiet only while a bucket's
// burst lasts (a burst of 20 at 10/s lets 12/s through for ten seconds): a
// 429 at a pace that held ends the search, and the usual slowdown brings
// the pace down.
type limitSearch struct {
	held   rate.Limit // the highest limit paced under without a 429
	drew   rate.Limit // the lowest limit tried that drew one; 0 while none has
	trying bool       // known is a candidate above held
	burst  int        // requests accepted in the second before the first 429
}

// quiet is how long a candidate limit must draw no 429 to hold. A bucket
// with a burst of b refuses a pace p above its rate r within b/(p-r)
// seconds, which for the paces the search must tell apart (p at least
// searchPrecision times r) is at most b/(p-p/searchPrecision) = 11b/p.
// The burst is at most what the app accepted in the second before it
// first refused: behind a bucket with a burst of one (nginx's limit_req
// without burst), a candidate of 16/s has shown it holds within 0.7 s.
// Never less than searchSettle (answers still in flight from the previous
// pace) nor more than searchQuiet (a one-second window's 429 comes within
// a second, and a burst too large to be spent in searchQuiet is left to
// the slowdown that follows a 429 at a pace that held).
func (s *limitSearch) quiet(candidate rate.Limit) time.Duration {
	spend := float64(max(s.burst, 1)) * searchPrecision / (searchPrecision - 1) / float64(candidate)
	return min(max(time.Duration(spend*float64(time.Second)), searchSettle), searchQuiet)
}

// paceTrial is a slowdown being judged: kept if it made 429s rarer.
type paceTrial struct {
	pace, known      rate.Limit // before the slowdown
	safety           rate.Limit
	slower           rate.Limit // the pace the slowdown set
	shareBefore      float64
	answers, refused int
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
	// rate accepted in a run's first second, which the pace is then set
	// to, was 2/s: a 100-user create through the bench's fault mix took
	// 60 s instead of 5. A real limit far exceeded keeps refusing, so it
	// shows by then all the same: at 10/s, 5 of the first 15 answers (20
	// cost express-rate-limit's 10/s five more 429s), at 20/s 9 of 29.
	farOverShare  = 0.3
	farOverSample = 15
	// acceptedWindow is the span over which the successful rate is taken,
	// the floor of a slowdown: long enough that a token bucket's burst adds
	// little to it (a burst of 20 at 10/s added 4/s over five seconds, and
	// the pace could not come down to the rate).
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
	// its Retry-After and nobody slows down. (97% lost 3% of every
	// rate-limited apply to leave 30 ms that an idle machine did not need.)
	// A machine busy enough to be refused now and then widens the margin
	// towards widestSafety: 95% leaves 50 ms, which holds under the whole
	// acceptance suite on two cores.
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
	// (Waiting searchQuiet there too cost a search behind npm limiter's
	// 20/s bucket 2 s per candidate too high.)
	searchSettle = time.Second
	// searchGrowth is the step while every candidate holds: the estimate
	// a search starts from is one or two requests a second, and each step
	// up takes searchQuiet at a pace far under the limit (doubling from 2/s
	// to 16/s took 8 s). searchPrecision ends the search once the highest
	// pace that held is within that factor of the lowest that drew a 429.
	searchGrowth    = 4
	searchPrecision = 1.1
)

func newAdaptiveLimiter(ceiling float64) *adaptiveLimiter {
	limit, burst := rate.Inf, 1
	if ceiling > 0 {
		limit, burst = rate.Limit(ceiling), max(1, int(ceiling))
	}
	return &adaptiveLimiter{limiter: newPacer(limit, burst), ceiling: limit, safety: safetyFactor}
}

func (a *adaptiveLimiter) wait(ctx context.Context) error {
	a.maybeProbe()
	return a.limiter.Wait(ctx)
}

// observe records the outcome of one request. A stated policy is adopted
// from any answer. A lone 429 only pauses callers (the pause gate does
// that); several within a few seconds mean a real limit: the one the
// server accepted over the last second when unpaced so far; when already
// paced, the pace drops by 10% and the known limit by 3%. Either is a
// trial (see paceTrial), and 429s within the noise level count for neither.
// sent is when the request left, which tells a 429 earned at the current
// pace from one for a request sent before it was set.
func (a *adaptiveLimiter) observe(sent time.Time, status int, h http.Header) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	stated := rate.Limit(headerLimit(h))
	refused := status == http.StatusTooManyRequests
	a.record(refused)

	if !refused {
		if !a.refusingSince.IsZero() && !sent.Before(a.refusingSince) {
			a.acceptedWhileRefusing++
		}
		if !a.refusedUntil.IsZero() && !sent.Before(a.refusedFrom) && sent.Before(a.refusedUntil) {
			a.refusedUntil = time.Time{}
			if a.search == nil && a.trial != nil {
				a.search = &limitSearch{held: a.known, burst: a.acceptedBeforeRefusing}
			}
		}
		a.successes = append(a.successes, now)
		if len(a.successes) > 16384 {
			a.successes = a.successes[len(a.successes)-8192:]
		}
		if now.Sub(a.talliedAt) >= time.Second {
			a.talliedAt = now
			accepted := float64(countSince(a.successes, now, acceptedWindow)) / acceptedWindow.Seconds()
			a.bestAccepted = max(a.bestAccepted, accepted)
		}
		// A stated policy is trusted unless 429s have recently shown the
		// server enforcing less than it states.
		if stated > 0 && stated != a.known && (a.last429.IsZero() || now.Sub(a.last429) > exploreAfter) {
			a.search = nil
			a.learn(now, stated)
		}
		return
	}
	// A 429 while a search tries a higher pace is the search's to judge,
	// even at the noise level: a pace above the limit draws 429s at any
	// share, and dismissing them let the search double past the limit.
	trying := stated == 0 && a.search != nil && a.search.trying
	if stated == 0 && a.noise > 0 && a.explainedByNoise() && !trying {
		return
	}
	a.last429 = now
	if a.refusingSince.IsZero() {
		a.refusingSince = now
		a.acceptedBeforeRefusing = countSince(a.successes, now, learnWindow)
	}
	if stated == 0 && a.search != nil && a.searchRefused(now, sent) {
		return
	}
	kept := a.recent429[:0]
	for _, t := range a.recent429 {
		if now.Sub(t) < burstWindow {
			kept = append(kept, t)
		}
	}
	a.recent429 = append(kept, now)
	if len(a.recent429) < burstThreshold && stated == 0 {
		a.widenMargin(now, sent)
		return
	}
	a.recent429 = a.recent429[:0]
	current := a.limiter.Limit()
	switch {
	case stated > 0:
		a.trial, a.search = nil, nil
		a.learn(now, stated)
	case a.trial != nil:
		// A slowdown is being judged: wait for its verdict.
	case current == rate.Inf && (a.outcomeN < farOverSample || a.refusedShare() < farOverShare):
		// Unpaced and refused now and then (or too few answers yet to
		// tell): each refused request waits its own Retry-After. Slowing
		// everyone down would not help if the 429s are not about the rate,
		// and a real limit exceeded by Terraform's unpaced requests refuses
		// far more than this.
	case current == rate.Inf:
		// Refused often: far over a limit, which is the rate the app
		// accepted over the last second.
		a.startTrial(current)
		a.learn(now, rate.Limit(max(1, countSince(a.successes, now, learnWindow))))
		if a.acceptedWhileRefusing > 0 {
			// The app went on accepting some requests while refusing
			// others: it refills as it goes (a token bucket), and the
			// second counted had callers held back by Retry-After, so it
			// accepted fewer than it would have. A fixed window, once
			// spent, accepts nothing until it ends, and the answers to
			// its first burst measure it.
			a.search = &limitSearch{held: a.known, burst: a.acceptedBeforeRefusing}
		} else {
			a.refusedFrom, a.refusedUntil = a.refusingSince, now
		}
		a.refusingSince, a.acceptedWhileRefusing = time.Time{}, 0
	default:
		// Paced and still refused: the limit is a little lower than
		// thought (or shared with another client). Back off 10% now and
		// climb back towards the slightly lowered limit in probes.
		a.startTrial(current)
		if a.known == 0 || current < a.known*a.safety*0.9 {
			a.known = current / a.safety
		}
		a.known *= 0.97
		// Never below the rate that has been succeeding: 429s that a
		// slower pace does not stop are not cured by going slower still.
		a.limiter.SetLimit(min(max(current*0.9, a.slowest(), rate.Limit(0.9*a.bestAccepted)), a.ceiling))
		a.limiter.SetBurst(1)
		a.trial.slower = a.limiter.Limit()
		a.probedAt = now
	}
}

// record adds an answer to the recent outcomes and to the trial under way,
// and judges the trial once it has seen enough answers. Called with mu held.
func (a *adaptiveLimiter) record(refused bool) {
	a.outcomes[a.outcomeN%outcomeWindow] = refused
	a.outcomeN++
	t := a.trial
	if t == nil {
		return
	}
	t.answers++
	if t.answers <= trialInFlight {
		return
	}
	if refused {
		t.refused++
	}
	if t.answers < trialInFlight+trialAnswers {
		return
	}
	a.trial = nil
	shareAfter := float64(t.refused) / float64(trialAnswers)
	// Compared above the noise level already known, if any.
	if t.shareBefore < 0.5 && shareAfter-a.noise >= t.noiseThreshold(a.noise) {
		// Slower, and refused as often: the 429s are not about our pace.
		if a.noise == 0 {
			a.noise = max(shareAfter, 0.01)
		} else {
			a.noise = (a.noise + shareAfter) / 2
		}
		a.known, a.safety = t.known, t.safety
		a.search = nil // what it searched above is undone too
		a.limiter.SetLimit(t.pace)
		if t.pace == rate.Inf {
			a.known = 0
		}
		a.last429 = time.Time{}
	}
}

// refusedShare is the share of 429s among the recent answers. Called with mu held.
func (a *adaptiveLimiter) refusedShare() float64 {
	n := min(a.outcomeN, outcomeWindow)
	if n == 0 {
		return 0
	}
	refused := 0
	for _, r := range a.outcomes[:n] {
		if r {
			refused++
		}
	}
	return float64(refused) / float64(n)
}

// explainedByNoise is true when the recent share of 429s is within the
// noise level measured earlier (up to twice it, or 5 points over it when
// there is none): random 429s at that level almost never exceed it over
// outcomeWindow answers, while sending 20% faster than a real limit does.
// Called with mu held.
func (a *adaptiveLimiter) explainedByNoise() bool {
	return a.refusedShare() <= a.noise+max(0.05, a.noise)
}

// pausesEveryone says whether the latest 429 should hold back every
// caller: not when 429s are within the noise level, since then they are
// not about how fast this client sends.
func (a *adaptiveLimiter) pausesEveryone() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.limiter.Limit() == rate.Inf {
		return a.refusedShare() >= farOverShare
	}
	return !a.explainedByNoise()
}

// startTrial begins judging a slowdown from pace; the caller then sets the
// slower pace. Called with mu held.
func (a *adaptiveLimiter) startTrial(pace rate.Limit) {
	a.trial = &paceTrial{pace: pace, known: a.known, safety: a.safety, shareBefore: a.refusedShare()}
}

// noiseThreshold is the share of 429s above the noise level at the slower
// pace from which they are judged not about the pace: halfway between the
// share before (noise keeps it) and the share a rate limit would leave.
// A limit accepts the same number of requests a second at any pace over
// it, so going from p0 to p1 leaves 1-(1-s)*p0/p1 of a share s refused:
// from 14/s to 12.6/s behind 10/s, 29% become 21%, which a fixed "half
// of it" rule took for noise (behind a bucket whose burst had made the
// pace overshoot, the 429s were then ignored for good). Near the limit,
// or when the slowdown is from an unpaced client, that is about half.
func (t *paceTrial) noiseThreshold(noise float64) float64 {
	before := t.shareBefore - noise
	underLimit := 0.0
	if t.pace != rate.Inf && t.slower > 0 && t.slower < t.pace {
		underLimit = max(0, 1-(1-before)*float64(t.pace/t.slower))
	}
	return noiseRetained * (before + underLimit)
}

// widenMargin answers a lone 429 for a request sent at the pace set under a
// known limit: requests arrive less evenly than they are sent, so the pace
// keeps a point more room under the limit. Called with mu held.
func (a *adaptiveLimiter) widenMargin(now, sent time.Time) {
	current := a.limiter.Limit()
	if a.known == 0 || sent.Before(a.pacedAt.Add(learnWindow)) || a.safety <= widestSafety+1e-9 ||
		current < a.known*a.safety*0.999 {
		// No known limit; a request sent within a second of the pace being
		// set (its slot was reserved at the old pace, and the server's
		// window that refused it is the same one); the widest margin
		// already; or a pace already lowered below it.
		return
	}
	a.safety -= safetyStep
	a.limiter.SetLimit(a.paceUnderKnown())
	a.pacedAt = now
}

// searchRefused takes a 429 during a limit search and says whether the
// search accounted for it. A 429 for a request sent at a candidate pace
// means the candidate is too high: the pace goes back to the one that
// held. Ones for requests sent within a second of the pace being set are
// the same window's (their slots were reserved at the old pace). A 429 at
// a pace that held before means it held only while a burst allowance
// lasted, or the limit fell, or the 429 is noise: the search ends and the
// usual slowdown, judged by a trial against the noise, applies. Called
// with mu held.
func (a *adaptiveLimiter) searchRefused(now, sent time.Time) bool {
	s := a.search
	switch {
	case s.trying && !sent.Before(a.pacedAt):
		s.drew, s.trying = a.known, false
		a.known = s.held
		a.setPace(now)
		return true
	case s.trying || sent.Before(a.pacedAt.Add(learnWindow)):
		return true
	}
	a.search = nil
	return false
}

// searchHigher moves the limit search on once the current pace has drawn
// no 429 for searchQuiet: a candidate that held becomes the floor, and the
// next one is tried, until the search is precise enough or the user's
// rate_limit is reached; then the pace is probed as any known limit is.
// Called with mu held.
func (a *adaptiveLimiter) searchHigher(now time.Time) {
	s := a.search
	wait := searchSettle
	if s.trying {
		wait = s.quiet(a.known)
	}
	if now.Sub(a.pacedAt) < wait || now.Sub(a.last429) < wait {
		return
	}
	if s.trying {
		s.held, s.trying = a.known, false
	}
	next := s.held * searchGrowth
	if s.drew > 0 {
		next = rate.Limit(math.Sqrt(float64(s.held * s.drew)))
	}
	if (s.drew > 0 && s.drew < s.held*searchPrecision) || s.held*a.safety >= a.ceiling {
		a.search = nil
		return
	}
	a.known, s.trying = next, true
	a.setPace(now)
}

// setPace paces just under the known limit (never above the user's
// rate_limit) from now on. Called with mu held.
func (a *adaptiveLimiter) setPace(now time.Time) {
	a.limiter.SetLimit(a.paceUnderKnown())
	a.limiter.SetBurst(1)
	a.probedAt, a.pacedAt = now, now
}

// paceUnderKnown is the pace the known limit and margin call for, within
// the user's rate_limit. Called with mu held.
func (a *adaptiveLimiter) paceUnderKnown() rate.Limit {
	return max(min(a.known*a.safety, a.ceiling), a.slowest())
}

// slowest is the slowest pace the limiter falls to: minimumRate, or the
// user's rate_limit when that is lower still (every accepted rate_limit is
// honoured, 0.1/s included).
func (a *adaptiveLimiter) slowest() rate.Limit {
	return min(minimumRate, a.ceiling)
}

// learn records the server's limit and paces just under it (never above
// the user's rate_limit).
func (a *adaptiveLimiter) learn(now time.Time, limit rate.Limit) {
	a.known = limit
	a.setPace(now)
}

// maybeProbe raises a pace lowered by repeated 429s back towards the known
// limit, 5% per probeInterval; after exploreAfter without a 429 it first
// narrows a widened margin by a point, then assumes the limit may have been
// raised and tries 5% above it.
func (a *adaptiveLimiter) maybeProbe() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	current := a.limiter.Limit()
	if current == rate.Inf || a.known == 0 {
		return
	}
	if a.search != nil {
		a.searchHigher(now)
		return
	}
	if now.Sub(a.probedAt) < probeInterval {
		return
	}
	target := a.known * a.safety
	if current >= target {
		if now.Sub(a.last429) < exploreAfter || now.Sub(a.probedAt) < exploreAfter {
			return
		}
		if a.safety < safetyFactor-1e-9 {
			a.safety += safetyStep
		} else {
			a.known *= 1.05
		}
		target = a.known * a.safety
	}
	a.probedAt = now
	a.limiter.SetLimit(min(current*1.05, target, a.ceiling))
}

// headerLimit reads the tightest requests-per-second limit the answer's
// RateLimit-Policy headers state, in either shape the IETF draft has had:
// "20;w=1" (up to draft 7: the quota, then parameters) and
// "\"default\";q=20;w=1" (draft 8 on, sent by express-rate-limit: a named
// policy with the quota in q). Every policy binds, whether listed with
// commas or on several header lines, so the slowest one is the limit; w
// defaults to one second. Other headers (X-RateLimit-Limit and friends)
// state no window and are not read.
func headerLimit(h http.Header) float64 {
	tightest := 0.0
	for _, line := range h.Values("RateLimit-Policy") {
		for _, item := range strings.Split(line, ",") {
			if r := policyRate(item); r > 0 && (tightest == 0 || r < tightest) {
				tightest = r
			}
		}
	}
	return tightest
}

// policyRate is one policy's quota per second, 0 when it states none or
// counts something other than requests (draft 8's qu parameter).
func policyRate(item string) float64 {
	parts := strings.Split(item, ";")
	quota, window := 0.0, 1.0
	if n, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err == nil {
		quota = n
	}
	for _, p := range parts[1:] {
		key, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		if key == "qu" && strings.Trim(value, `"`) != "requests" {
			return 0
		}
		n, err := strconv.ParseFloat(value, 64)
		if err != nil || n <= 0 {
			continue
		}
		switch key {
		case "q":
			quota = n
		case "w":
			window = n
		}
	}
	if quota <= 0 {
		return 0
	}
	return quota / window
}

// countSince counts the times within window before now.
func countSince(times []time.Time, now time.Time, window time.Duration) int {
	n := 0
	for i := len(times) - 1; i >= 0 && now.Sub(times[i]) < window; i-- {
		n++
	}
	return n
}
