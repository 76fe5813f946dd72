package ratelimit

import (
	"time"

	"golang.org/x/time/rate"
)

// widenMargin answers a lone 429 for a request sent at the pace set under a
// known limit: requests arrive less evenly than they are sent, so the pace
// keeps a point more room under the limit. Called with mu held.
func (a *Limiter) widenMargin(now, sent time.Time) {
	current := a.limiter.Limit()
	if a.known == 0 || sent.Before(a.pacedAt.Add(learnWindow)) || a.safety <= widestSafety+1e-9 ||
		current < a.known*a.margin()*0.999 {
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

// setPace paces just under the known limit (never above the user's
// rate_limit) from now on. Called with mu held.
func (a *Limiter) setPace(now time.Time) {
	a.limiter.SetLimit(a.paceUnderKnown())
	a.limiter.SetBurst(1)
	a.probedAt, a.pacedAt = now, now
}

// paceUnderKnown is the pace the known limit and margin call for, within
// the user's rate_limit. Called with mu held.
func (a *Limiter) paceUnderKnown() rate.Limit {
	return max(min(a.known*a.margin(), a.ceiling), a.slowest())
}

// slowest is the slowest pace the limiter falls to: minimumRate, or the
// user's rate_limit when that is lower still (every accepted rate_limit is
// honoured, 0.1/s included).
func (a *Limiter) slowest() rate.Limit {
	return min(minimumRate, a.ceiling)
}

// learn records the server's limit and paces just under it (never above
// the user's rate_limit).
func (a *Limiter) learn(now time.Time, limit rate.Limit) {
	a.known, a.learnedAt, a.unpublished = limit, now, limit
	a.setPace(now)
}

// maybeProbe raises a pace lowered by repeated 429s back towards the known
// limit, 5% per probeInterval; after exploreAfter without a 429 it first
// narrows a widened margin by a point, then assumes the limit may have been
// raised and tries 5% above it.
func (a *Limiter) maybeProbe() {
	a.adoptShared()
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	current := a.limiter.Limit()
	if current == rate.Inf || a.known == 0 {
		return
	}
	if a.regainShare(now) {
		return
	}
	if a.search != nil {
		a.searchHigher(now)
		return
	}
	if now.Sub(a.probedAt) < probeInterval {
		return
	}
	target := a.known * a.margin()
	if current >= target {
		if now.Sub(a.last429) < exploreAfter || now.Sub(a.probedAt) < exploreAfter {
			return
		}
		if a.safety < safetyFactor-1e-9 {
			a.safety += safetyStep
		} else {
			a.known *= 1.05
		}
		target = a.known * a.margin()
	}
	a.probedAt = now
	a.limiter.SetLimit(min(current*1.05, target, a.ceiling))
}

// adoptShared paces under a limit another process on this machine learned,
// while this one knows none (looked at once a second, outside the lock).
func (a *Limiter) adoptShared() {
	if a.budget == nil {
		return
	}
	a.mu.Lock()
	now := a.now()
	look := a.known == 0 && now.Sub(a.sharedAt) >= sharedCheckEvery
	if look {
		a.sharedAt = now
	}
	a.mu.Unlock()
	if !look {
		return
	}
	shared := rate.Limit(a.budget.knownLimit(now))
	if shared <= 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.known == 0 {
		a.known, a.learnedAt = shared, now
		a.setPace(now)
	}
}
