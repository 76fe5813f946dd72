package scim_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// statusCounter counts 429 answers on their way to the client.
type statusCounter struct {
	refused, answered atomic.Int32
}

func (s *statusCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		s.answered.Add(1)
		if resp.StatusCode == http.StatusTooManyRequests {
			s.refused.Add(1)
		}
	}
	return resp, err
}

// TestInteropRateLimiter runs the client behind rate limiters this project
// did not write, in front of SCIMMY (scripts/interop.sh starts them all):
//   - express-rate-limit, a fixed window, with the limit announced only in
//     X-RateLimit-* headers, which the client learns from its first burst
//     of 429s ("legacy");
//   - the same with a draft-8 RateLimit-Policy, which the client adopts
//     from the first answer, discovery's ("draft8");
//   - limiter's token bucket with a burst of one, which refuses any two
//     requests closer than 1/rate and announces nothing, not even
//     Retry-After ("bucket"): the limit learned from the first 429s is far
//     too low, and the client searches upwards from it.
//
// Every way, every user is created once and later requests are paced under
// the limit.
func TestInteropRateLimiter(t *testing.T) {
	raw := os.Getenv("SCIM_INTEROP_RATE_LIMITED")
	limit, err := strconv.ParseFloat(os.Getenv("SCIM_INTEROP_RATE_LIMIT"), 64)
	if raw == "" || err != nil {
		t.Skip("SCIM_INTEROP_RATE_LIMITED and SCIM_INTEROP_RATE_LIMIT are not set: run scripts/interop.sh (CI does)")
	}
	for _, pair := range strings.Split(raw, ",") {
		name, endpoint, _ := strings.Cut(pair, "=")
		t.Run(name, func(t *testing.T) {
			counter := &statusCounter{}
			c, err := scim.New(scim.Config{Endpoint: endpoint, Token: "interop", MaxRetries: 10, Transport: counter})
			if err != nil {
				t.Fatal(err)
			}
			// As the provider does when configured: the answer carries
			// the policy where the app states one.
			c.Discover(context.Background(), nil)
			prefix := fmt.Sprintf("rl-%s-%d-", name, time.Now().UnixNano())
			users := 4 * int(limit)
			if name == "bucket" {
				// The search up from the first estimate takes some
				// ten seconds.
				users = 20 * int(limit)
			}
			names := make([]string, users)
			for i := range names {
				names[i] = fmt.Sprintf("%s%03d@example.com", prefix, i)
			}
			ids := map[string]bool{}
			created := make(chan string, len(names))
			tenAtOnce(names, func(userName string) {
				u, _, err := c.Users.CreateOrTakeOver(context.Background(), &scim.User{UserName: userName}, false)
				if err != nil {
					t.Errorf("create %s: %v", userName, err)
					return
				}
				created <- u.ID
			})
			close(created)
			for id := range created {
				ids[id] = true
			}
			// Other interop tests share the store and expect no active
			// user they did not make.
			t.Cleanup(func() {
				tenAtOnce(slices.Collect(maps.Keys(ids)), func(id string) {
					if err := c.Users.Delete(context.Background(), id); err != nil {
						t.Errorf("delete %s: %v", id, err)
					}
				})
			})
			found, err := c.Users.List(context.Background(), scim.ListOptions{Filter: fmt.Sprintf("userName sw %q", prefix)})
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len(names) || len(found) != len(names) {
				t.Fatalf("%d distinct ids returned and %d users found for %d creates", len(ids), len(found), len(names))
			}
			pace, refused := scim.LimiterPace(c), int(counter.refused.Load())
			t.Logf("%s: paced at %.2f requests/s; %d of %d answers were 429", name, pace, refused, counter.answered.Load())
			if pace <= 0 || pace > limit || pace < 0.75*limit {
				t.Errorf("paced at %.2f requests/s behind a limit of %.0f; want just under it", pace, limit)
			}
			maxRefused := int(limit) + 3 // about one window's worth while learning
			switch name {
			case "draft8":
				maxRefused = 2 // the policy came with the discovery answer
			case "bucket":
				// While callers are unpaced, and a few for each
				// candidate pace of the search that is too high.
				maxRefused = 3 * int(limit)
			}
			if refused > maxRefused {
				t.Errorf("%d requests refused; want at most %d", refused, maxRefused)
			}
		})
	}
}
