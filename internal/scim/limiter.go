package scim

import (
	"context"
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
type adaptiveLimiter struct {
	mu        sync.Mutex
	limiter   *rate.Limiter
	ceiling   rate.Limit // the user's rate_limit, or Inf
	known     rate.Limit // the server's limit as last learned; 0 while unknown
	successes []time.Time
	recent429 []time.Time
	last429   time.Time
	probedAt  time.Time
}

const (
	learnWindow    = time.Second
	burstWindow    = 5 * time.Second
	burstThreshold = 3
	probeInterval  = 10 * time.Second
	exploreAfter   = time.Minute
	// safetyFactor keeps the pace under the limit: 97% of 20/s spaces
	// requests 51.5 ms apart, so a one-second window sees at most 20.
	safetyFactor = 0.97
	minimumRate  = rate.Limit(0.5)
)

func newAdaptiveLimiter(ceiling float64) *adaptiveLimiter {
	limit, burst := rate.Inf, 1
	if ceiling > 0 {
		limit, burst = rate.Limit(ceiling), max(1, int(ceiling))
	}
	return &adaptiveLimiter{limiter: rate.NewLimiter(limit, burst), ceiling: limit}
}

func (a *adaptiveLimiter) wait(ctx context.Context) error {
	a.maybeProbe()
	return a.limiter.Wait(ctx)
}

// observe records the outcome of one request. A stated policy is adopted
// from any answer. A lone 429 only pauses callers (the pause gate does
// that); several within a few seconds mean a real limit: the one the
// server accepted over the last second when unpaced so far; when already
// paced, the pace drops by 10% and the known limit by 3%.
func (a *adaptiveLimiter) observe(status int, h http.Header) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	stated := rate.Limit(headerLimit(h))
	if status != http.StatusTooManyRequests {
		a.successes = append(a.successes, now)
		if len(a.successes) > 4096 {
			a.successes = a.successes[len(a.successes)-2048:]
		}
		// A stated policy is trusted unless 429s have recently shown the
		// server enforcing less than it states.
		if stated > 0 && stated != a.known && (a.last429.IsZero() || now.Sub(a.last429) > exploreAfter) {
			a.learn(now, stated)
		}
		return
	}
	a.last429 = now
	kept := a.recent429[:0]
	for _, t := range a.recent429 {
		if now.Sub(t) < burstWindow {
			kept = append(kept, t)
		}
	}
	a.recent429 = append(kept, now)
	if len(a.recent429) < burstThreshold && stated == 0 {
		return
	}
	a.recent429 = a.recent429[:0]
	current := a.limiter.Limit()
	switch {
	case stated > 0:
		a.learn(now, stated)
	case current == rate.Inf:
		recent := 0
		for i := len(a.successes) - 1; i >= 0 && now.Sub(a.successes[i]) < learnWindow; i-- {
			recent++
		}
		a.learn(now, rate.Limit(max(1, recent)))
	default:
		// Paced and still refused: the limit is a little lower than
		// thought (or shared with another client). Back off 10% now and
		// climb back towards the slightly lowered limit in probes.
		if a.known == 0 || current < a.known*safetyFactor*0.9 {
			a.known = current / safetyFactor
		}
		a.known *= 0.97
		a.limiter.SetLimitAt(now, max(current*0.9, minimumRate))
		a.limiter.SetBurstAt(now, 1)
		a.probedAt = now
	}
}

// learn records the server's limit and paces just under it (never above
// the user's rate_limit).
func (a *adaptiveLimiter) learn(now time.Time, limit rate.Limit) {
	a.known = limit
	pace := max(min(limit*safetyFactor, a.ceiling), minimumRate)
	a.limiter.SetLimitAt(now, pace)
	a.limiter.SetBurstAt(now, 1)
	a.probedAt = now
}

// maybeProbe raises a pace lowered by repeated 429s back towards the known
// limit, 5% per probeInterval; after exploreAfter without a 429 it assumes
// the limit may have been raised and tries 5% above it.
func (a *adaptiveLimiter) maybeProbe() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	current := a.limiter.Limit()
	if current == rate.Inf || a.known == 0 || now.Sub(a.probedAt) < probeInterval {
		return
	}
	target := a.known * safetyFactor
	if current >= target {
		if now.Sub(a.last429) < exploreAfter || now.Sub(a.probedAt) < exploreAfter {
			return
		}
		a.known *= 1.05
		target = a.known * safetyFactor
	}
	a.probedAt = now
	a.limiter.SetLimitAt(now, min(current*1.05, target, a.ceiling))
}

// headerLimit reads a requests-per-second limit from the IETF draft's
// "RateLimit-Policy: 20;w=1" header (the limit over a window of w
// seconds). Other headers (X-RateLimit-Limit and friends) state no window
// and are not read.
func headerLimit(h http.Header) float64 {
	if policy := h.Get("RateLimit-Policy"); policy != "" {
		parts := strings.Split(policy, ";")
		n, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
		window := 1.0
		for _, p := range parts[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "w="); ok {
				if w, err := strconv.ParseFloat(v, 64); err == nil && w > 0 {
					window = w
				}
			}
		}
		if err == nil && n > 0 {
			return n / window
		}
	}
	return 0
}
