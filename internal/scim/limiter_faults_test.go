package scim_test

import (
	"context"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestLimiterUnderRandomFaults: through a gateway that faults 30% of
// requests whatever their rate (429 and 503 with Retry-After, HTML 500), the
// client is not slowed down: each refused request waits on its own.
func TestLimiterUnderRandomFaults(t *testing.T) {
	t.Parallel()
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	ids := seedUsers(srv, 300)
	mix := scimtest.NewGatewayFaults(0.3)
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: mix.Fault})
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, MaxRetries: 10})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tenAtOnce(ids, func(id string) {
		if err := c.Users.Deactivate(context.Background(), id); err != nil {
			t.Error(err)
		}
	})
	if pace := scim.LimiterPace(c); pace != 0 {
		t.Errorf("paced at %.1f requests/s after %d random 429s in %s; no limit was ever exceeded", pace, mix.Counts()[scimtest.Fault429], time.Since(start))
	}
	for _, doc := range srv.All("Users") {
		if doc["active"] == true {
			t.Fatalf("user %v still active", doc["userName"])
		}
	}
}
