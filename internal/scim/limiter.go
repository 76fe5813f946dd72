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
// configured rate (or unlimited) and learns the server's limit: on a 429 it
// drops to the rate the server accepted over the last second (or the rate
// its X-RateLimit-Limit/RateLimit-Limit header states), slightly under it;
// after a quiet spell it probes upward again. Without it, a burst from
// Terraform's ten parallel operations keeps hitting the limit and every
// request behind it waits for Retry-After.
type adaptiveLimiter struct {
	mu        sync.Mutex
	limiter   *rate.Limiter
	ceiling   rate.Limit // the user's rate_limit, or Inf
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
	safetyFactor   = 0.95
	minimumRate    = rate.Limit(0.5)
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

// observe records the outcome of one request. A lone 429 only pauses
// callers (the pause gate does that); several within a few seconds mean a
// real limit, and the pace is lowered: to the rate the server accepted over
// the last second (or the rate a RateLimit-Policy header states) when
// unpaced so far, else by 10%.
func (a *adaptiveLimiter) observe(status int, h http.Header) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	if status != http.StatusTooManyRequests {
		a.successes = append(a.successes, now)
		if len(a.successes) > 4096 {
			a.successes = a.successes[len(a.successes)-2048:]
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
	stated := headerLimit(h)
	if len(a.recent429) < burstThreshold && stated == 0 {
		return
	}
	a.recent429 = a.recent429[:0]
	current := a.limiter.Limit()
	learned := current * 0.9
	switch {
	case stated > 0:
		learned = rate.Limit(stated) * safetyFactor
	case current == rate.Inf:
		recent := 0
		for i := len(a.successes) - 1; i >= 0 && now.Sub(a.successes[i]) < learnWindow; i-- {
			recent++
		}
		learned = rate.Limit(max(1, recent)) * safetyFactor
	}
	if learned < current {
		a.limiter.SetLimitAt(now, max(learned, minimumRate))
		a.limiter.SetBurstAt(now, 1)
	}
}

// maybeProbe raises the rate by 10% after probeInterval without a 429.
func (a *adaptiveLimiter) maybeProbe() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	current := a.limiter.Limit()
	if current == rate.Inf || a.last429.IsZero() || now.Sub(a.last429) < probeInterval || now.Sub(a.probedAt) < probeInterval {
		return
	}
	a.probedAt = now
	next := current * 1.05
	if a.ceiling != rate.Inf && next > a.ceiling {
		next = a.ceiling
	}
	a.limiter.SetLimitAt(now, next)
}

// headerLimit reads a requests-per-second limit from common rate-limit
// headers when they state one per second (X-RateLimit-Limit with a 1s
// window, or the IETF draft's "RateLimit-Policy: 20;w=1").
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
