package scim

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// appClock relates the app's clock to this machine's, from the Date header
// of its answers, so that an object's meta.created can prove that the
// object existed before a request of this client was sent.
//
// A Date header is the app's time, truncated to the second, at some moment
// between sending the request and receiving the answer. So the app's clock
// is ahead of this one by at least (Date - received): the largest of those
// over every answer (behind stays the lowest bound). Nothing here needs the
// two clocks to agree, only the app's to run steadily.
type appClock struct {
	// ahead is that lowest bound in nanoseconds; valid once seen.
	ahead atomic.Int64
	seen  atomic.Bool
}

// observe takes the Date header of an answer received at received.
func (k *appClock) observe(header http.Header, received time.Time) {
	date, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		return
	}
	bound := date.Sub(received).Nanoseconds()
	for {
		old := k.ahead.Load()
		if k.seen.Load() && old >= bound {
			return
		}
		if k.ahead.CompareAndSwap(old, bound) {
			k.seen.Store(true)
			return
		}
	}
}

// createdBefore tells whether an object whose meta.created is created
// certainly existed before this machine's time t: its creation, rounded
// up to created's precision, is no later than the app's time at t can be.
// known is false when nothing can be said: no Date header seen yet, or no
// meta.created the way RFC 7643 writes it.
func (k *appClock) createdBefore(created string, t time.Time) (before, known bool) {
	at, err := time.Parse(time.RFC3339Nano, created)
	if err != nil || !k.seen.Load() {
		return false, false
	}
	return !at.Add(timestampGrain(created)).After(t.Add(time.Duration(k.ahead.Load()))), true
}

// timestampGrain is the precision an RFC 3339 timestamp is written to: a
// second without a fraction, a millisecond with three digits.
func timestampGrain(ts string) time.Duration {
	_, frac, ok := strings.Cut(ts, ".")
	if !ok {
		return time.Second
	}
	digits := 0
	for _, r := range frac {
		if r < '0' || r > '9' {
			break
		}
		digits++
	}
	grain := time.Second
	for range min(digits, 9) {
		grain /= 10
	}
	return grain
}
