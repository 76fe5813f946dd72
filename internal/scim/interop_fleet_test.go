package scim_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// TestInteropRateLimiterFleet: three clients at once behind one
// express-rate-limit window that states a draft-8 RateLimit-Policy and
// RateLimit (r= requests left), in front of SCIMMY: as workspaces on
// separate machines (nothing shared but the app's answers) and as runs on
// one machine (a shared budget). Every user is created once; the clients
// converge on shares that together stay near the limit.
func TestInteropRateLimiterFleet(t *testing.T) {
	endpoint := ""
	for _, pair := range strings.Split(os.Getenv("SCIM_INTEROP_RATE_LIMITED"), ",") {
		if name, e, _ := strings.Cut(pair, "="); name == "draft8" {
			endpoint = e
		}
	}
	limit, err := strconv.ParseFloat(os.Getenv("SCIM_INTEROP_RATE_LIMIT"), 64)
	if endpoint == "" || err != nil {
		t.Skip("SCIM_INTEROP_RATE_LIMITED (with draft8) and SCIM_INTEROP_RATE_LIMIT are not set: run scripts/interop.sh (CI does)")
	}
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			const clients = 3
			budget := ""
			if shared {
				budget = t.TempDir()
			}
			counter := &statusCounter{}
			perClient := 3 * int(limit)
			prefix := fmt.Sprintf("fleet-%v-%d-", shared, time.Now().UnixNano())
			start := time.Now()
			var wg sync.WaitGroup
			var mu sync.Mutex
			var ids []string
			var cs []*scim.Client
			for k := range clients {
				c, err := scim.New(scim.Config{Endpoint: endpoint, Token: "interop", MaxRetries: 5, Transport: counter, SharedBudgetDir: budget})
				if err != nil {
					t.Fatal(err)
				}
				cs = append(cs, c)
				wg.Go(func() {
					// As the provider does when configured: discovery's
					// answer carries the policy.
					c.Discover(context.Background(), nil)
					names := make([]string, perClient)
					for i := range names {
						names[i] = fmt.Sprintf("%sc%d-%03d@example.com", prefix, k, i)
					}
					tenAtOnce(names, func(userName string) {
						u, _, err := c.Users.CreateOrTakeOver(context.Background(), &scim.User{UserName: userName}, false)
						if err != nil {
							t.Errorf("create %s: %v", userName, err)
							return
						}
						mu.Lock()
						ids = append(ids, u.ID)
						mu.Unlock()
					})
				})
			}
			wg.Wait()
			took := time.Since(start)
			t.Cleanup(func() {
				tenAtOnce(ids, func(id string) {
					if err := cs[0].Users.Delete(context.Background(), id); err != nil {
						t.Errorf("delete %s: %v", id, err)
					}
				})
			})
			refused, answered := counter.refused.Load(), counter.answered.Load()
			share := float64(refused) / float64(max(answered, 1))
			accepted := float64(answered - refused)
			t.Logf("%d clients, shared budget %v: %d users in %v, %d of %d answers 429 (%.0f%%), %.2f of the limit used",
				clients, shared, len(ids), took.Round(time.Millisecond), refused, answered, 100*share, accepted/limit/took.Seconds())
			if len(ids) != clients*perClient {
				t.Fatalf("%d users created, want %d", len(ids), clients*perClient)
			}
			if want := map[bool]float64{false: 0.25, true: 0.10}[shared]; share > want {
				t.Errorf("%.0f%% of answers were 429; want at most %.0f%%", 100*share, 100*want)
			}
		})
	}
}
