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
	shareStep     = 0.01
	shareStepGap  = time.Second
	// minShare keeps a client sending even when many share the limit.
	minShare = 0.02
	// crowdedShare of refusals among at least crowdedSample answers over
	// crowdedWindow means other clients spend the limit too: a flaky
	// gateway's scattering of 429s (a share well under a fifth) stays
	// under it, and a fleet's overshoot goes well over it.
	crowdedShare  = 0.2
	crowdedSample = 10
	crowdedWindow = 3 * time.Second
	// maxReserve is the most of a limit the user may leave to others.
	maxReserve = 0.9
	// sharedCheckEvery is how often an unpaced client looks for a limit
	// another process on this machine learned.
	sharedCheckEvery = time.Second
)

// margin is the part of the known limit paced at: the safety margin, this
// client's share, less what is reserved for other clients.
func (l *Limiter) margin() rate.Limit {
	return l.safety * l.share * (1 - l.reserve)
}

// yieldIfCrowded lowers this client's share of a limit the app states
// when a good part of its recent requests were refused: at least
// crowdedShare of the answers since the last decrease (within the last
// crowdedWindow), over at least crowdedSample of them. Far over (eight
// clients each sending the whole limit find seven in eight refused), the
// share falls to what was accepted rather than by 30% a second. A
// scattering of 429s below that share (a flaky gateway, a lone late
// arrival) only widens the margin, as for one client alone. 429s for
// requests sent before the limit was learned, or within a second of the
// last decrease (the app's window the old pace filled), do not count.
// Called with mu held.
func (l *Limiter) yieldIfCrowded(now, sent time.Time) {
	if !sent.After(l.learnedAt) || sent.Before(l.yieldedAt.Add(learnWindow)) {
		return
	}
	answers, refused := l.recentAnswers(now, l.yieldedAt.Add(learnWindow))
	ratio := float64(refused) / float64(max(answers, 1))
	if answers < crowdedSample || ratio < crowdedShare {
		l.widenMargin(now, sent)
		return
	}
	l.share = max(l.share*min(shareDecrease, max(1-rate.Limit(ratio), minShare)), minShare)
	l.yieldedAt = now
	l.setPace(now)
}

// regainShare raises a lowered share one step once a second has passed
// since the pace was last set with few refusals in it (under
// crowdedShare/2: a steady scattering of 429s above that keeps the share
// where it is), and says whether it did. Called with mu held.
func (l *Limiter) regainShare(now time.Time) bool {
	if l.share >= 1 || now.Sub(l.pacedAt) < shareStepGap {
		return false
	}
	if answers, refused := l.recentAnswers(now, now.Add(-shareStepGap)); float64(refused) >= crowdedShare/2*float64(max(answers, 1)) {
		return false
	}
	l.share = min(1, l.share+shareStep)
	l.setPace(now)
	return true
}

// recentAnswers counts the answers and the 429s among them since from,
// within the last crowdedWindow. Called with mu held.
func (l *Limiter) recentAnswers(now, from time.Time) (answers, refused int) {
	window := min(now.Sub(from), crowdedWindow)
	refused = countSince(l.refusals, now, window)
	return refused + countSince(l.successes, now, window), refused
}

// appendCapped appends t to a list of recent times, keeping it bounded.
func appendCapped(times []time.Time, t time.Time) []time.Time {
	times = append(times, t)
	if len(times) > 16384 {
		times = times[len(times)-8192:]
	}
	return times
}

// sharers is how many processes share this limiter's budget (1 without one).
func (l *Limiter) sharers() int {
	if l.budget == nil {
		return 1
	}
	return l.budget.Sharers()
}

// acceptedLastSecond is the rate the app accepted over the last second:
// with a shared budget the pace is the machine's, so it is what every
// sharer was accepted (each one's own count is only its share, and one
// that happened to get most of a window counted times the sharers
// overshot eightfold). Called with mu held; the budget's file is read
// under it only here, once per limit learned from 429s.
func (l *Limiter) acceptedLastSecond(now time.Time) int {
	own := countSince(l.successes, now, learnWindow)
	if l.budget == nil {
		return own
	}
	if all, ok := l.budget.acceptedLastSecond(now); ok {
		return max(all, own)
	}
	return own * l.sharers()
}
