package ratelimit

import (
	"time"

	"golang.org/x/time/rate"
)

// A limit the app states is often the whole tenant's, spent by every
// client at once: several workspaces applied together, on machines that
// share nothing but the app's answers. Each pacing just under the stated
// limit sends several times what it accepts. So a burst of 429s for
// requests sent at a pace already under the stated limit lowers this
// client's share of it multiplicatively, and each quiet second raises it
// additively: the clients that meet the same 429s converge on fair shares
// that together stay near the limit (AIMD, as TCP shares a link).
const (
	// shareDecrease keeps 70% of the share after a burst of 429s: the
	// fleet's total falls under the limit at once, and the climb back at
	// shareStep a second refills it within seconds.
	shareDecrease = 0.7
	shareStep     = 0.02
	shareStepGap  = time.Second
	// minShare keeps a client sending even when many share the limit.
	minShare = 0.02
	// maxReserve is the most of a limit the user may leave to others.
	maxReserve = 0.9
	// sharedCheckEvery is how often an unpaced client looks for a limit
	// another process on this machine learned.
	sharedCheckEvery = time.Second
)

// margin is the part of the known limit paced at: the safety margin, this
// client's share, less what is reserved for other clients.
func (a *Limiter) margin() rate.Limit {
	return a.safety * a.share * (1 - a.reserve)
}

// yield lowers this client's share after a burst of 429s for requests
// sent at its current share of a limit the app states. 429s for requests
// sent before the limit was learned (unpaced), or within a second of the
// last decrease (the app's window the old pace filled), do not count.
// Called with mu held.
func (a *Limiter) yield(now, sent time.Time) {
	if !sent.After(a.learnedAt) || sent.Before(a.yieldedAt.Add(learnWindow)) {
		return
	}
	// Far over the limit (eight clients each sending the whole limit
	// find seven in eight requests refused), the share falls to what was
	// accepted at once rather than by 30% a second.
	a.share = max(a.share*min(shareDecrease, max(1-rate.Limit(a.refusedShare()), minShare)), minShare)
	a.yieldedAt = now
	a.setPace(now)
}

// regainShare raises a lowered share one step once a second has passed
// without a 429 since the pace was last set, and says whether it did.
// Called with mu held.
func (a *Limiter) regainShare(now time.Time) bool {
	if a.share >= 1 || now.Sub(a.pacedAt) < shareStepGap || now.Sub(a.last429) < shareStepGap {
		return false
	}
	a.share = min(1, a.share+shareStep)
	a.setPace(now)
	return true
}

// sharers is how many processes share this limiter's budget (1 without one).
func (a *Limiter) sharers() int {
	if a.budget == nil {
		return 1
	}
	return a.budget.Sharers()
}

// acceptedLastSecond is the rate the app accepted over the last second:
// with a shared budget the pace is the machine's, so it is what every
// sharer was accepted (each one's own count is only its share, and one
// that happened to get most of a window counted times the sharers
// overshot eightfold). Called with mu held; the budget's file is read
// under it only here, once per limit learned from 429s.
func (a *Limiter) acceptedLastSecond(now time.Time) int {
	own := countSince(a.successes, now, learnWindow)
	if a.budget == nil {
		return own
	}
	if all, ok := a.budget.acceptedLastSecond(now); ok {
		return max(all, own)
	}
	return own * a.sharers()
}
