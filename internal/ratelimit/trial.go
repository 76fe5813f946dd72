package ratelimit

import (
	"time"

	"golang.org/x/time/rate"
)

// paceTrial is a slowdown being judged: kept if it made 429s rarer.
type paceTrial struct {
	pace, known      rate.Limit // before the slowdown
	safety           rate.Limit
	slower           rate.Limit // the pace the slowdown set
	shareBefore      float64
	answers, refused int
}

// record adds an answer to the recent outcomes and to the trial under way,
// and judges the trial once it has seen enough answers. Called with mu held.
func (a *Limiter) record(refused bool) {
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
	// Compared above the noise level already known, if any. A pace set
	// because an unpaced client was far over a limit is never undone:
	// still refused, it was set too high (a fixed window counted across
	// its boundary accepts up to twice its limit in one second), and the
	// next burst lowers it.
	if t.pace != rate.Inf && t.shareBefore < 0.5 && shareAfter-a.noise >= t.noiseThreshold(a.noise) {
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
func (a *Limiter) refusedShare() float64 {
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
func (a *Limiter) explainedByNoise() bool {
	return a.refusedShare() <= a.noise+max(0.05, a.noise)
}

// pausesEveryone says whether the latest 429 should hold back every
// caller: not when 429s are within the noise level, since then they are
// not about how fast this client sends.
func (a *Limiter) pausesEveryone() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.spentQuota {
		return false
	}
	if a.stated > 0 && a.stated == a.known {
		// Under a stated limit a 429 pauses everyone only when a good
		// part of recent requests were refused (the window is spent by
		// many): a scattering of them is each request's own to wait out.
		now := a.now()
		answers, refused := a.recentAnswers(now, now.Add(-crowdedWindow))
		return answers >= crowdedSample && float64(refused) >= crowdedShare*float64(answers)
	}
	if a.limiter.Limit() == rate.Inf {
		return a.refusedShare() >= farOverShare
	}
	return !a.explainedByNoise()
}

// startTrial begins judging a slowdown from pace; the caller then sets the
// slower pace. Called with mu held.
func (a *Limiter) startTrial(pace rate.Limit) {
	a.trial = &paceTrial{pace: pace, known: a.known, safety: a.safety, shareBefore: a.refusedShare()}
}

// noiseThreshold is the share of 429s above the noise level at the slower
// pace from which they are judged not about the pace: halfway between the
// share before (noise keeps it) and the share a rate limit would leave.
// A limit accepts the same number of requests a second at any pace over
// it, so going from p0 to p1 leaves 1-(1-s)*p0/p1 of a share s refused:
// from 14/s to 12.6/s behind 10/s, 29% become 21%, which a fixed "half
// of it" rule would take for noise. Near the limit, or when the slowdown
// is from an unpaced client, that is about half.
func (t *paceTrial) noiseThreshold(noise float64) float64 {
	before := t.shareBefore - noise
	underLimit := 0.0
	if t.pace != rate.Inf && t.slower > 0 && t.slower < t.pace {
		underLimit = max(0, 1-(1-before)*float64(t.pace/t.slower))
	}
	return noiseRetained * (before + underLimit)
}
