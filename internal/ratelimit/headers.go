package ratelimit

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// headerLimit reads the tightest requests-per-second limit the answer's
// RateLimit-Policy headers state, in either shape the IETF draft has had:
// "20;w=1" (up to draft 7: the quota, then parameters) and
// "\"default\";q=20;w=1" (draft 8 on, sent by express-rate-limit: a named
// policy with the quota in q). Every policy binds, whether listed with
// commas or on several header lines, so the slowest one is the limit; w
// defaults to one second. Other headers (X-RateLimit-Limit and friends)
// state no window and are not read.
func headerLimit(h http.Header) float64 {
	tightest := 0.0
	for _, line := range h.Values("RateLimit-Policy") {
		for _, item := range strings.Split(line, ",") {
			if r := policyRate(item); r > 0 && (tightest == 0 || r < tightest) {
				tightest = r
			}
		}
	}
	return tightest
}

// policyRate is one policy's quota per second, 0 when it states none or
// counts something other than requests (draft 8's qu parameter).
func policyRate(item string) float64 {
	parts := strings.Split(item, ";")
	quota, window := 0.0, 1.0
	if n, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err == nil {
		quota = n
	}
	for _, p := range parts[1:] {
		key, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		if key == "qu" && strings.Trim(value, `"`) != "requests" {
			return 0
		}
		n, err := strconv.ParseFloat(value, 64)
		if err != nil || n <= 0 {
			continue
		}
		switch key {
		case "q":
			quota = n
		case "w":
			window = n
		}
	}
	if quota <= 0 {
		return 0
	}
	return quota / window
}

// countSince counts the times within window before now.
func countSince(times []time.Time, now time.Time, window time.Duration) int {
	n := 0
	for i := len(times) - 1; i >= 0 && now.Sub(times[i]) < window; i-- {
		n++
	}
	return n
}

// headerRemaining reads how many requests the app says are left in its
// current window, the lowest any header states: RateLimit-Remaining (IETF
// draft 6 and most gateways), X-RateLimit-Remaining (GitHub and many
// others), or the remaining or r parameter of a RateLimit header (drafts
// 7 and 8 on). ok is false when no header states it.
func headerRemaining(h http.Header) (remaining int, ok bool) {
	lowest := -1
	note := func(v string) {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 && (lowest < 0 || n < lowest) {
			lowest = n
		}
	}
	for _, name := range []string{"RateLimit-Remaining", "X-RateLimit-Remaining"} {
		for _, v := range h.Values(name) {
			note(v)
		}
	}
	for _, line := range h.Values("RateLimit") {
		for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
			key, value, found := strings.Cut(strings.TrimSpace(part), "=")
			if found && (key == "remaining" || key == "r") {
				note(value)
			}
		}
	}
	return lowest, lowest >= 0
}
