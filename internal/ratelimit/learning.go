package ratelimit

import (
	"time"

	"golang.org/x/time/rate"
)

// widenMargin answers a lone 429 for a request sent at the pace set under a
// known limit: requests arrive less evenly than they are sent, so the pace
// keeps a point more room under the limit. Called with mu held.
func (l *Limiter) widenMargin(now, sent time.Time) {
	current := l.pacer.Limit()
	if l.known == 0 || sent.Before(l.pacedAt.Add(learnWindow)) || l.safety <= widestSafety+1e-9 ||
		current < l.known*l.margin()*0.999 {
		// No known limit; a request sent within a second of the pace being
		// set (its slot was reserved at the old pace, and the server's
		// window that refused it is the same one); the widest margin
		// already; or a pace already lowered below it.
		return
	}
	l.safety -= safetyStep
	l.pacer.SetLimit(l.paceUnderKnown())
	l.pacedAt = now
}

// setPace paces just under the known limit (never above the user's
// rate_limit) from now on. Called with mu held.
func (l *Limiter) setPace(now time.Time) {
	l.pacer.SetLimit(l.paceUnderKnown())
	l.pacer.SetBurst(1)
	l.probedAt, l.pacedAt = now, now
}

// paceUnderKnown is the pace the known limit and margin call for, within
// the user's rate_limit. Called with mu held.
func (l *Limiter) paceUnderKnown() rate.Limit {
	return max(min(l.known*l.margin(), l.ceiling), l.slowest())
}

// slowest is the slowest pace the limiter falls to: minimumRate, or the
// user's rate_limit when that is lower still (every accepted rate_limit is
// honoured, 0.1/s included).
func (l *Limiter) slowest() rate.Limit {
	return min(minimumRate, l.ceiling)
}

// learn records the server's limit and paces just under it (never above
// the user's rate_limit).
func (l *Limiter) learn(now time.Time, limit rate.Limit) {
	l.known, l.learnedAt, l.unpublished = limit, now, limit
	l.setPace(now)
}

// maybeProbe raises a pace lowered by repeated 429s back towards the known
// limit, 5% per probeInterval; after exploreAfter without a 429 it first
// narrows a widened margin by a point, then assumes the limit may have been
// raised and tries 5% above it.
func (l *Limiter) maybeProbe() {
	l.adoptShared()
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	current := l.pacer.Limit()
	if current == rate.Inf || l.known == 0 {
		return
	}
	if l.regainShare(now) {
		return
	}
	if l.search != nil {
		l.searchHigher(now)
		return
	}
	if now.Sub(l.probedAt) < probeInterval {
		return
	}
	target := l.known * l.margin()
	if current >= target {
		if now.Sub(l.last429) < exploreAfter || now.Sub(l.probedAt) < exploreAfter {
			return
		}
		if l.safety < safetyFactor-1e-9 {
			l.safety += safetyStep
		} else {
			l.known *= 1.05
		}
		target = l.known * l.margin()
	}
	l.probedAt = now
	l.pacer.SetLimit(min(current*1.05, target, l.ceiling))
}

// adoptShared paces under a limit another process on this machine learned,
// while this one knows none (looked at once a second, outside the lock).
func (l *Limiter) adoptShared() {
	if l.budget == nil {
		return
	}
	l.mu.Lock()
	now := l.now()
	look := l.known == 0 && now.Sub(l.sharedAt) >= sharedCheckEvery
	if look {
		l.sharedAt = now
	}
	l.mu.Unlock()
	if !look {
		return
	}
	shared := rate.Limit(l.budget.knownLimit(now))
	if shared <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.known == 0 {
		l.known, l.learnedAt = shared, now
		l.setPace(now)
	}
}
