package provider

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// chaosConfig declares users and groups whose members are the users with
// index i%groups == g.
func chaosConfig(srv *scimtest.TestServer, users, groups int) string {
	return fmt.Sprintf(`
provider "scim" {
  endpoint        = %q
  token           = %q
  request_timeout = "2s"
  max_retries     = 6
}

resource "scim_user" "u" {
  count     = %d
  user_name = "chaos${count.index}@example.com"
  title     = "Chaos ${count.index}"
  emails    = [{ value = "chaos${count.index}@example.com", type = "work", primary = true }]
}

resource "scim_group" "g" {
  count        = %d
  display_name = "Chaos group ${count.index}"
  members      = [for i, u in scim_user.u : u.id if i %% %d == count.index]
}
`, srv.URL, srv.Token, users, groups, groups)
}

// checkConverged: exactly the configured users exist once each, every
// state id is on the server, and memberships match.
func checkConverged(srv *scimtest.TestServer, users, groups int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		byName := map[string][]string{}
		for _, doc := range srv.All("Users") {
			name := strings.ToLower(fmt.Sprint(doc["userName"]))
			byName[name] = append(byName[name], fmt.Sprint(doc["id"]))
		}
		if len(byName) != users {
			return fmt.Errorf("%d distinct userNames on the server, want %d", len(byName), users)
		}
		for name, ids := range byName {
			if len(ids) != 1 {
				return fmt.Errorf("userName %s exists %d times", name, len(ids))
			}
		}
		if n := len(srv.All("Groups")); n != groups {
			return fmt.Errorf("%d groups on the server, want %d (orphans or duplicates)", n, groups)
		}
		for addr, rs := range s.RootModule().Resources {
			kind := "Users"
			if strings.HasPrefix(addr, "scim_group.") {
				kind = "Groups"
			}
			doc := srv.Get(kind, rs.Primary.ID)
			if doc == nil {
				return fmt.Errorf("%s has id %s, which is not on the server", addr, rs.Primary.ID)
			}
			if kind == "Groups" {
				var want, got []string
				for k, v := range rs.Primary.Attributes {
					if strings.HasPrefix(k, "members.") && k != "members.#" {
						want = append(want, v)
					}
				}
				for _, m := range asSlice(doc["members"]) {
					got = append(got, fmt.Sprint(m.(map[string]any)["value"]))
				}
				sort.Strings(want)
				sort.Strings(got)
				if strings.Join(want, ",") != strings.Join(got, ",") {
					return fmt.Errorf("%s members on server %v, in state %v", addr, got, want)
				}
			}
		}
		return nil
	}
}

// TestAccChaos applies 200 users and 5 groups with memberships while 20%
// of requests fail in every way the injector knows (503, 429 with and
// without Retry-After, resets before and after the server acted, slow
// answers beyond request_timeout, truncated bodies, HTML 500 pages, 200
// with an error body). Applying at most three times converges: no
// duplicate, no orphan, memberships right, and the next plan is empty.
// Destroy under faults deactivates every user and deletes none.
func TestAccChaos(t *testing.T) {
	if os.Getenv("SCIM_CHAOS_SKIP") != "" {
		t.Skip("SCIM_CHAOS_SKIP is set")
	}
	const users, groups = 200, 5
	faults := scimtest.NewFaultInjector(0.20, 42)
	faults.Only = func(r *http.Request) bool { return r.URL.Path != scimtest.TokenPath }
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: faults.Fault})
	config := chaosConfig(srv, users, groups)
	applies := 0
	converge := resource.TestStep{
		Config:             config,
		ExpectNonEmptyPlan: true, // a fault may leave work for the next apply
		PreConfig:          func() { applies++ },
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, doc := range srv.All("Users") {
				if doc["active"] != false {
					return fmt.Errorf("user %v still active after destroy", doc["userName"])
				}
			}
			if n := len(srv.All("Users")); n != users {
				return fmt.Errorf("%d users after destroy, want %d: destroy must deactivate, never delete", n, users)
			}
			t.Logf("faults injected over the whole test: %v", faults.Counts())
			return nil
		},
		Steps: []resource.TestStep{
			converge, converge, converge,
			{
				// Faults off: the result is checked and the plan must be empty.
				PreConfig: faults.Disable,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkConverged(srv, users, groups),
			},
			{
				// Destroy under faults again.
				PreConfig: func() {
					srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: scimtest.NewFaultInjector(0.20, 7).Fault})
				},
				Config: providerConfig(srv),
			},
			{
				PreConfig: faults.Disable,
				Config:    providerConfig(srv),
			},
		},
	})
	t.Logf("applies: %d", applies)
}
