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
func (l *Limiter) record(refused bool) {
	l.outcomes[l.outcomeN%outcomeWindow] = refused
	l.outcomeN++
	t := l.trial
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
	l.trial = nil
	shareAfter := float64(t.refused) / float64(trialAnswers)
	// Compared above the noise level already known, if any. A pace set
	// because an unpaced client was far over a limit is never undone:
	// still refused, it was set too high (a fixed window counted across
	// its boundary accepts up to twice its limit in one second), and the
	// next burst lowers it.
	if t.pace != rate.Inf && t.shareBefore < 0.5 && shareAfter-l.noise >= t.noiseThreshold(l.noise) {
		// Slower, and refused as often: the 429s are not about our pace.
		if l.noise == 0 {
			l.noise = max(shareAfter, 0.01)
		} else {
			l.noise = (l.noise + shareAfter) / 2
		}
		l.known, l.safety = t.known, t.safety
		l.search = nil // what it searched above is undone too
		l.pacer.SetLimit(t.pace)
		if t.pace == rate.Inf {
			l.known = 0
		}
		l.last429 = time.Time{}
	}
}

// refusedShare is the share of 429s among the recent answers. Called with mu held.
func (l *Limiter) refusedShare() float64 {
	n := min(l.outcomeN, outcomeWindow)
	if n == 0 {
		return 0
	}
	refused := 0
	for _, r := range l.outcomes[:n] {
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
func (l *Limiter) explainedByNoise() bool {
	return l.refusedShare() <= l.noise+max(0.05, l.noise)
}

// pausesEveryone says whether the latest 429 should hold back every
// caller: not when 429s are within the noise level, since then they are
// not about how fast this client sends.
func (l *Limiter) pausesEveryone() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.spentQuota {
		return false
	}
	if l.stated > 0 && l.stated == l.known {
		// Under a stated limit a 429 pauses everyone only when a good
		// part of recent requests were refused (the window is spent by
		// many): a scattering of them is each request's own to wait out.
		now := l.now()
		answers, refused := l.recentAnswers(now, now.Add(-crowdedWindow))
		return answers >= crowdedSample && float64(refused) >= crowdedShare*float64(answers)
	}
	if l.pacer.Limit() == rate.Inf {
		return l.refusedShare() >= farOverShare
	}
	return !l.explainedByNoise()
}

// startTrial begins judging a slowdown from pace; the caller then sets the
// slower pace. Called with mu held.
func (l *Limiter) startTrial(pace rate.Limit) {
	l.trial = &paceTrial{pace: pace, known: l.known, safety: l.safety, shareBefore: l.refusedShare()}
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
