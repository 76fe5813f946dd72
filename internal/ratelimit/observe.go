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
func (l *Limiter) Observe(sent time.Time, status int, h http.Header) {
	l.mu.Lock()
	l.observe(sent, status, h)
	learned := l.unpublished
	l.unpublished = 0
	l.mu.Unlock()
	if l.budget != nil && status != http.StatusTooManyRequests && status < http.StatusInternalServerError {
		l.budget.noteAccepted(l.now())
	}
	// The budget's file is written outside the lock: callers waiting for
	// the limiter never wait on the disk.
	if learned > 0 && l.budget != nil {
		l.budget.publishLimit(l.now(), float64(learned))
	}
}

// observe is Observe with mu held.
func (l *Limiter) observe(sent time.Time, status int, h http.Header) {
	now := l.now()
	stated := rate.Limit(headerLimit(h))
	if stated > 0 {
		l.stated = stated
	}
	refused := status == http.StatusTooManyRequests
	l.record(refused)
	l.spentQuota = true

	if !refused {
		if status < http.StatusInternalServerError {
			// The app took the request in (a 404 or 409 spends the quota
			// too); a 5xx says nothing about progress.
			l.lastAccepted = now
		}
		if !l.refusingSince.IsZero() && !sent.Before(l.refusingSince) {
			l.acceptedWhileRefusing++
		}
		if !l.refusedUntil.IsZero() && !sent.Before(l.refusedFrom) && sent.Before(l.refusedUntil) {
			l.refusedUntil = time.Time{}
			if l.search == nil && l.trial != nil {
				l.search = &limitSearch{held: l.known, burst: l.acceptedBeforeRefusing}
			}
		}
		l.successes = appendCapped(l.successes, now)
		if now.Sub(l.talliedAt) >= time.Second {
			l.talliedAt = now
			accepted := float64(countSince(l.successes, now, acceptedWindow)) / acceptedWindow.Seconds()
			l.bestAccepted = max(l.bestAccepted, accepted)
		}
		// A stated policy is trusted unless 429s have recently shown the
		// server enforcing less than it states.
		if stated > 0 && stated != l.known && (l.last429.IsZero() || now.Sub(l.last429) > exploreAfter) {
			l.search = nil
			l.learn(now, stated)
		}
		return
	}
	l.refusals = appendCapped(l.refusals, now)
	if remaining, ok := headerRemaining(h); ok && remaining > 0 {
		// The app says its quota is not spent: this 429 is about
		// something else (a concurrency cap, another policy), and only
		// the refused request waits.
		l.spentQuota = false
		return
	}
	// A 429 while a search tries a higher pace is the search's to judge,
	// even at the noise level: a pace above the limit draws 429s at any
	// share, and dismissing them let the search double past the limit.
	trying := stated == 0 && l.search != nil && l.search.trying
	if stated == 0 && l.noise > 0 && l.explainedByNoise() && !trying {
		return
	}
	l.last429 = now
	if l.refusingSince.IsZero() {
		l.refusingSince = now
		l.acceptedBeforeRefusing = countSince(l.successes, now, learnWindow)
	}
	if stated == 0 && l.search != nil && l.searchRefused(now, sent) {
		return
	}
	if stated > 0 && stated == l.known {
		// Refused under the limit the app states: whether others spend
		// it is judged by the share of refusals (see yieldIfCrowded).
		l.trial, l.search = nil, nil
		l.yieldIfCrowded(now, sent)
		return
	}
	kept := l.recent429[:0]
	for _, t := range l.recent429 {
		if now.Sub(t) < burstWindow {
			kept = append(kept, t)
		}
	}
	l.recent429 = append(kept, now)
	if len(l.recent429) < burstThreshold && stated == 0 {
		l.widenMargin(now, sent)
		return
	}
	l.recent429 = l.recent429[:0]
	current := l.pacer.Limit()
	switch {
	case stated > 0:
		l.trial, l.search = nil, nil
		l.learn(now, stated)
	case l.trial != nil:
		// A slowdown is being judged: wait for its verdict.
	case current == rate.Inf && (l.outcomeN < farOverSample || l.refusedShare() < farOverShare):
		// Unpaced and refused now and then (or too few answers yet to
		// tell): each refused request waits its own Retry-After. Slowing
		// everyone down would not help if the 429s are not about the rate,
		// and a real limit exceeded by Terraform's unpaced requests refuses
		// far more than this.
	case current == rate.Inf:
		// Refused often: far over a limit, which is the rate the app
		// accepted over the last second.
		l.startTrial(current)
		l.learn(now, rate.Limit(max(1, l.acceptedLastSecond(now))))
		if l.acceptedWhileRefusing > 0 {
			// The app went on accepting some requests while refusing
			// others: it refills as it goes (a token bucket), and the
			// second counted had callers held back by Retry-After, so it
			// accepted fewer than it would have. A fixed window, once
			// spent, accepts nothing until it ends, and the answers to
			// its first burst measure it.
			l.search = &limitSearch{held: l.known, burst: l.acceptedBeforeRefusing}
		} else {
			l.refusedFrom, l.refusedUntil = l.refusingSince, now
		}
		l.refusingSince, l.acceptedWhileRefusing = time.Time{}, 0
	default:
		// Paced and still refused: the limit is a little lower than
		// thought (or shared with another client). Back off 10% now and
		// climb back towards the slightly lowered limit in probes.
		l.startTrial(current)
		if l.known == 0 || current < l.known*l.margin()*0.9 {
			l.known = current / l.margin()
		}
		l.known *= 0.97
		// Never below the rate that has been succeeding: 429s that a
		// slower pace does not stop are not cured by going slower still.
		l.pacer.SetLimit(min(max(current*0.9, l.slowest(), rate.Limit(0.9*l.bestAccepted)), l.ceiling))
		l.pacer.SetBurst(1)
		l.trial.slower = l.pacer.Limit()
		l.probedAt = now
	}
}
