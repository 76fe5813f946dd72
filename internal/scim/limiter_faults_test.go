package scim_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestLimiterUnderRandomFaults: through a gateway that faults 30% of
// requests whatever their rate (429 and 503 with Retry-After, 502), the
// client is not slowed down: each refused request waits on its own.
func TestLimiterUnderRandomFaults(t *testing.T) {
	t.Parallel()
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	ids := seedUsers(srv, 300)
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(1, 2))
	n429 := 0
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		mu.Lock()
		roll, kind := rng.Float64(), rng.Float64()
		mu.Unlock()
		if roll >= 0.3 {
			return false
		}
		switch {
		case kind < 0.45:
			mu.Lock()
			n429++
			mu.Unlock()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
		case kind < 0.7:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
		default:
			w.WriteHeader(502)
		}
		return true
	}})
	c, _ := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, MaxRetries: 10})
	start := time.Now()
	work := make(chan string)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if err := c.Users.Deactivate(context.Background(), id); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	if pace := scim.LimiterPace(c); pace != 0 {
		t.Errorf("paced at %.1f requests/s after %d random 429s in %s; no limit was ever exceeded", pace, n429, time.Since(start))
	}
	for _, doc := range srv.All("Users") {
		if doc["active"] == true {
			t.Fatalf("user %v still active", doc["userName"])
		}
	}
}
