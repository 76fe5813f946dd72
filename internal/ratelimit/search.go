package ratelimit

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

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

// searchRefused takes a 429 during a limit search and says whether the
// search accounted for it. A 429 for a request sent at a candidate pace
// means the candidate is too high: the pace goes back to the one that
// held. Ones for requests sent within a second of the pace being set are
// the same window's (their slots were reserved at the old pace). A 429 at
// a pace that held before means it held only while a burst allowance
// lasted, or the limit fell, or the 429 is noise: the search ends and the
// usual slowdown, judged by a trial against the noise, applies. Called
// with mu held.
func (l *Limiter) searchRefused(now, sent time.Time) bool {
	s := l.search
	switch {
	case s.trying && !sent.Before(l.pacedAt):
		s.drew, s.trying = l.known, false
		l.known = s.held
		l.setPace(now)
		return true
	case s.trying || sent.Before(l.pacedAt.Add(learnWindow)):
		return true
	}
	l.search = nil
	return false
}

// searchHigher moves the limit search on once the current pace has drawn
// no 429 for searchQuiet: a candidate that held becomes the floor, and the
// next one is tried, until the search is precise enough or the user's
// rate_limit is reached; then the pace is probed as any known limit is.
// Called with mu held.
func (l *Limiter) searchHigher(now time.Time) {
	s := l.search
	wait := searchSettle
	if s.trying {
		wait = s.quiet(l.known)
	}
	if now.Sub(l.pacedAt) < wait || now.Sub(l.last429) < wait {
		return
	}
	if s.trying && countSince(l.successes, now, now.Sub(l.pacedAt)) < searchEvidence {
		// Quiet because nothing was sent (callers held back, the slots of
		// requests sent before the pace was learned still to pass): a
		// candidate holds only once the app has accepted requests at it.
		return
	}
	if s.trying {
		s.held, s.trying = l.known, false
	}
	next := s.held * searchGrowth
	if s.drew > 0 {
		next = rate.Limit(math.Sqrt(float64(s.held * s.drew)))
	}
	if (s.drew > 0 && s.drew < s.held*searchPrecision) || s.held*l.margin() >= l.ceiling {
		l.search = nil
		return
	}
	l.known, s.trying = next, true
	l.setPace(now)
}
