package ratelimit

import (
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Observe records the outcome of one request. A stated policy is adopted
// from any answer. A lone 429 only pauses callers (the pause gate does
// that); several within a few seconds mean a real limit: the one the
// server accepted over the last second when unpaced so far; when already
// paced, the pace drops by 10% and the known limit by 3%. Either is a
// trial (see paceTrial), and 429s within the noise level count for neither.
// sent is when the request left, which tells a 429 earned at the current
// pace from one for a request sent before it was set.
func (a *Limiter) Observe(sent time.Time, status int, h http.Header) {
	a.mu.Lock()
	a.observe(sent, status, h)
	learned := a.unpublished
	a.unpublished = 0
	a.mu.Unlock()
	if a.budget != nil && status != http.StatusTooManyRequests && status < http.StatusInternalServerError {
		a.budget.noteAccepted(a.now())
	}
	// The budget's file is written outside the lock: callers waiting for
	// the limiter never wait on the disk.
	if learned > 0 && a.budget != nil {
		a.budget.publishLimit(a.now(), float64(learned))
	}
}

// observe is Observe with mu held.
func (a *Limiter) observe(sent time.Time, status int, h http.Header) {
	now := a.now()
	stated := rate.Limit(headerLimit(h))
	if stated > 0 {
		a.stated = stated
	}
	refused := status == http.StatusTooManyRequests
	a.record(refused)
	a.spentQuota = true

	if !refused {
		if status < http.StatusInternalServerError {
			// The app took the request in (a 404 or 409 spends the quota
			// too); a 5xx says nothing about progress.
			a.lastAccepted = now
		}
		if !a.refusingSince.IsZero() && !sent.Before(a.refusingSince) {
			a.acceptedWhileRefusing++
		}
		if !a.refusedUntil.IsZero() && !sent.Before(a.refusedFrom) && sent.Before(a.refusedUntil) {
			a.refusedUntil = time.Time{}
			if a.search == nil && a.trial != nil {
				a.search = &limitSearch{held: a.known, burst: a.acceptedBeforeRefusing}
			}
		}
		a.successes = appendCapped(a.successes, now)
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
	a.refusals = appendCapped(a.refusals, now)
	if remaining, ok := headerRemaining(h); ok && remaining > 0 {
		// The app says its quota is not spent: this 429 is about
		// something else (a concurrency cap, another policy), and only
		// the refused request waits.
		a.spentQuota = false
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
	if stated > 0 && stated == a.known {
		// Refused under the limit the app states: whether others spend
		// it is judged by the share of refusals (see yieldIfCrowded).
		a.trial, a.search = nil, nil
		a.yieldIfCrowded(now, sent)
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
		a.learn(now, rate.Limit(max(1, a.acceptedLastSecond(now))))
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
		if a.known == 0 || current < a.known*a.margin()*0.9 {
			a.known = current / a.margin()
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
