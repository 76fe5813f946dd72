package scim

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	for name, header := range map[string]func() string{
		"seconds": func() string { return "1" },
		"date":    func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			c.cfg.RetryWaitMax = 3 * time.Second
			var calls atomic.Int32
			var first time.Time
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					first = time.Now()
					w.Header().Set("Retry-After", header())
					writeBody(w, 429, "text/plain", "slow down")
					return
				}
				writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
			})
			if _, err := c.Users.Get(context.Background(), "1"); err != nil {
				t.Fatal(err)
			}
			waited := time.Since(first)
			// An HTTP date has one-second resolution, so "in 2s" may mean 1s to 2s.
			if calls.Load() != 2 || waited < 900*time.Millisecond || waited > 2500*time.Millisecond {
				t.Errorf("calls %d, waited %v; want 2 calls about 1s apart", calls.Load(), waited)
			}
		})
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	c, _ := setup(t)
	h := http.Header{}
	h.Set("Retry-After", "86400")
	if d, ok := c.retryAfter(h); !ok || d != c.cfg.RetryWaitMax {
		t.Errorf("retryAfter = %v, %v; want the cap %v", d, ok, c.cfg.RetryWaitMax)
	}
}

func TestRateLimitPausesEveryCaller(t *testing.T) {
	c, mux := setup(t)
	c.cfg.RetryWaitMax = time.Second
	var limited atomic.Bool
	var afterPause atomic.Int32
	var pausedAt atomic.Int64
	mux.HandleFunc("/scim/v2/Users/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/scim/v2/Users/first" && limited.CompareAndSwap(false, true) {
			pausedAt.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			writeBody(w, 429, "text/plain", "slow down")
			return
		}
		if r.URL.Path == "/scim/v2/Users/second" && time.Since(time.Unix(0, pausedAt.Load())) >= 900*time.Millisecond {
			afterPause.Add(1)
		}
		writeBody(w, 200, "application/scim+json", `{"id":"x","userName":"a"}`)
	})
	if _, err := c.Users.Get(context.Background(), "first"); err != nil {
		t.Fatal(err)
	}
	// The 429 seen by "first" is over; now check a concurrent caller waits.
	limited.Store(false)
	done := make(chan error, 1)
	go func() { _, err := c.Users.Get(context.Background(), "first"); done <- err }()
	time.Sleep(50 * time.Millisecond)
	if _, err := c.Users.Get(context.Background(), "second"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if afterPause.Load() != 1 {
		t.Error("a caller that did not see the 429 was not held back by it")
	}
}

func TestIdempotentRetryOn5xx(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			writeBody(w, 500, "text/plain", "oops")
			return
		}
		writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
	})
	if _, err := c.Users.Get(context.Background(), "1"); err != nil || calls.Load() != 3 {
		t.Fatalf("calls %d, err %v", calls.Load(), err)
	}
}

// TestBackoffGrowsWithUnscheduledFailuresOnly: waits the server scheduled
// (429 or 503 with Retry-After) do not count toward the backoff of a later
// failure, while failures without Retry-After still back off exponentially.
// (Only one 429, so that the adaptive limiter does not set a pace here.)
func TestBackoffGrowsWithUnscheduledFailuresOnly(t *testing.T) {
	for name, tc := range map[string]struct {
		answers []int // status of each try before the 200
		gapMin  time.Duration
		gapMax  time.Duration
	}{
		// Counting the five scheduled tries, the 500's wait would be 1.6-3.2 s.
		"after five Retry-After waits": {answers: []int{429, 503, 503, 503, 503, 500}, gapMin: 50 * time.Millisecond, gapMax: time.Second},
		// Three unscheduled failures: the third waits 200-400 ms.
		"three 500s": {answers: []int{500, 500, 500}, gapMin: 200 * time.Millisecond, gapMax: 2 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			c.cfg.MaxRetries, c.cfg.RetryWaitMin, c.cfg.RetryWaitMax = 10, 100*time.Millisecond, 10*time.Second
			var mu sync.Mutex // the handler runs on the server's goroutines
			var calls []time.Time
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				calls = append(calls, time.Now())
				if n := len(calls); n <= len(tc.answers) {
					w.Header().Set("Retry-After", "0.001")
					if tc.answers[n-1] == 500 {
						w.Header().Del("Retry-After")
					}
					writeBody(w, tc.answers[n-1], "text/plain", "not now")
					return
				}
				writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
			})
			if _, err := c.Users.Get(context.Background(), "1"); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(calls) != len(tc.answers)+1 {
				t.Fatalf("%d tries, want %d", len(calls), len(tc.answers)+1)
			}
			gap := calls[len(calls)-1].Sub(calls[len(calls)-2])
			if gap < tc.gapMin || gap > tc.gapMax {
				t.Errorf("waited %v after the last failure, want %v to %v", gap, tc.gapMin, tc.gapMax)
			}
		})
	}
}
