package scim_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestPresetPaceIsSharedByRunsOnOneMachine (issue 40): four clients with
// the Slack preset, as four workspaces on one machine sharing the rate
// budget, keep Slack's documented 3 requests a second together: 12 reads
// take at least 11/3 seconds (no burst at an app's shared limit). Each paced itself alone before,
// sending 12/s in all. A bound from below: a slow machine only adds time.
func TestPresetPaceIsSharedByRunsOnOneMachine(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	id := srv.Put("Users", map[string]any{"userName": "paced@example.com"})
	slack, _ := scim.Preset("slack")
	budget := t.TempDir()
	const runs, readsEach = 4, 3
	var clients []*scim.Client
	for range runs {
		d := slack
		c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: &d, SharedBudgetDir: budget})
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			for range readsEach {
				if _, err := c.Users.Get(context.Background(), id); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	floor := time.Duration(float64(runs*readsEach-1) / slack.RateLimit * float64(time.Second))
	if took := time.Since(start); took < floor*95/100 {
		t.Fatalf("%d runs sent %d requests in %v, %.1f/s together; Slack's pace is %g/s for all of them",
			runs, runs*readsEach, took.Round(time.Millisecond), float64(runs*readsEach)/took.Seconds(), slack.RateLimit)
	}
}
