package scim

import (
	"context"
	"errors"
	"net/http"
	"strings"
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

// TestRateLimitedRetriedWhileOthersGetThrough: a request refused with 429
// more often than max_retries is sent again while the app keeps accepting
// other requests (a limit shared with other clients lets everyone through
// in turn); refused with nothing else accepted, it fails with a diagnostic
// that says it was the rate limit, how often and for how long.
func TestRateLimitedRetriedWhileOthersGetThrough(t *testing.T) {
	c, mux := setup(t)
	c.cfg.MaxRetries = 2
	var refusals atomic.Int32
	mux.HandleFunc("/scim/v2/Users/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/scim/v2/Users/unlucky" && refusals.Add(1) <= 8 {
			w.Header().Set("Retry-After", "0.02")
			writeBody(w, 429, "text/html", "<html>Too Many Requests</html>")
			return
		}
		writeBody(w, 200, "application/scim+json", `{"id":"x","userName":"a"}`)
	})
	stop := make(chan struct{})
	others := make(chan struct{})
	go func() {
		defer close(others)
		for {
			select {
			case <-stop:
				return
			default:
				_, _ = c.Users.Get(context.Background(), "lucky")
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()
	_, err := c.Users.Get(context.Background(), "unlucky")
	close(stop)
	<-others
	if err != nil || refusals.Load() != 9 {
		t.Fatalf("after %d tries: %v; want the request to go on past max_retries while others are accepted", refusals.Load(), err)
	}

	refusals.Store(0)
	_, err = c.Users.Get(context.Background(), "unlucky")
	var limited *RateLimitedError
	if !errors.As(err, &limited) || refusals.Load() != 3 {
		t.Fatalf("after %d tries with nothing else accepted: %v; want a RateLimitedError after max_retries", refusals.Load(), err)
	}
	msg := err.Error()
	for _, want := range []string{"rate limited", "HTTP 429", "3 tries", "accepted no other request within the last minute"} {
		if !strings.Contains(msg, want) {
			t.Errorf("diagnostic %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "SCIM base URL") {
		t.Errorf("diagnostic %q sends the user to check the endpoint for a 429", msg)
	}
}
