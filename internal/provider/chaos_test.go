package provider

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

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

// checkConverged: exactly the configured users exist, once each; every
// state id is on the server; group memberships are the configured ones.
func checkConverged(t *testing.T, srv *scimtest.TestServer, ids map[string]string, users, groups int) {
	t.Helper()
	byName := map[string]int{}
	for _, doc := range srv.All("Users") {
		byName[strings.ToLower(fmt.Sprint(doc["userName"]))]++
	}
	if len(byName) != users {
		t.Errorf("%d distinct userNames on the server, want %d", len(byName), users)
	}
	for name, n := range byName {
		if n != 1 {
			t.Errorf("userName %s exists %d times (duplicate)", name, n)
		}
	}
	if n := len(srv.All("Groups")); n != groups {
		t.Errorf("%d groups on the server, want %d (orphans or duplicates)", n, groups)
	}
	userIDs := make([]string, users)
	for addr, id := range ids {
		kind := "Users"
		if strings.HasPrefix(addr, "scim_group.") {
			kind = "Groups"
		}
		if srv.Get(kind, id) == nil {
			t.Errorf("%s has id %s, which is not on the server", addr, id)
		}
		var i int
		if _, err := fmt.Sscanf(addr, "scim_user.u[%d]", &i); err == nil {
			userIDs[i] = id
		}
	}
	for g := 0; g < groups; g++ {
		var want, got []string
		for i, id := range userIDs {
			if i%groups == g {
				want = append(want, id)
			}
		}
		doc := srv.Get("Groups", ids[fmt.Sprintf("scim_group.g[%d]", g)])
		for _, m := range asSlice(doc["members"]) {
			got = append(got, fmt.Sprint(m.(map[string]any)["value"]))
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			t.Errorf("group %d: server members %d, want %d", g, len(got), len(want))
		}
	}
}

// TestAccChaos applies 200 users and 5 groups with memberships while 20% of
// requests fail in every way the fault injector knows: 503 and 429 with and
// without Retry-After, connections reset before and after the server acted,
// answers slower than request_timeout, truncated bodies, HTML 500 pages and
// 200 answers carrying an error. At most three applies converge: no
// duplicate userName, no orphan, every state id on the server, memberships
// right, and then an empty plan. Destroy under the same faults deactivates
// every user and deletes none.
func TestAccChaos(t *testing.T) {
	const users, groups, rate = 200, 5, 0.20
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	faults := scimtest.NewFaultInjector(rate, 20261122)
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: faults.Fault})
	d := newTFDir(t)
	d.write(chaosConfig(srv, users, groups))
	d.mustRun("init")

	applies := 0
	for applies < 3 {
		applies++
		code, out := d.run("apply", "-auto-approve")
		if code == 0 {
			break
		}
		if strings.Contains(out, "panic") || strings.Contains(out, "already exists") {
			t.Fatalf("apply %d failed badly:\n%s", applies, tail(out, 4000))
		}
		t.Logf("apply %d under faults failed (expected sometimes): %s", applies, firstError(out))
	}
	faults.Disable()
	ids := d.stateIDs()
	checkConverged(t, srv, ids, users, groups)
	if code, out := d.run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan after %d applies is not empty (exit %d):\n%s", applies, code, tail(out, 4000))
	}
	t.Logf("converged after %d applies; faults injected: %v", applies, faults.Counts())

	destroyFaults := scimtest.NewFaultInjector(rate, 7)
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: destroyFaults.Fault})
	destroys := 0
	for destroys < 3 {
		destroys++
		if code, out := d.run("destroy", "-auto-approve"); code == 0 {
			break
		} else {
			t.Logf("destroy %d under faults failed: %s", destroys, firstError(out))
		}
	}
	destroyFaults.Disable()
	if left := d.stateIDs(); len(left) != 0 {
		t.Errorf("%d resources left in state after %d destroys", len(left), destroys)
	}
	all := srv.All("Users")
	if len(all) != users {
		t.Errorf("%d users after destroy, want %d: destroy must deactivate, never delete", len(all), users)
	}
	for _, doc := range all {
		if doc["active"] != false {
			t.Errorf("user %v still active after destroy", doc["userName"])
		}
	}
	t.Logf("destroyed after %d attempts; faults injected: %v", destroys, destroyFaults.Counts())
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func firstError(out string) string {
	if i := strings.Index(out, "Error:"); i >= 0 {
		line := out[i:]
		if j := strings.Index(line, "\n\n"); j > 0 {
			line = line[:j]
		}
		return strings.Join(strings.Fields(line), " ")
	}
	return tail(out, 300)
}

// The response to the POST that creates a user is lost (the connection
// drops after the server acted). The user must end in state once, without
// a duplicate and without an "already exists" error.
func TestAccUserResource_lostCreateResponse(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	lost := 0
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost || lost > 0 {
			return false
		}
		lost++
		act()
		scimtest.DropConnection(w)
		return true
	}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{{
			Config: testAccUserConfig(srv, `user_name = "lost@example.com"`),
			Check: func(s *terraform.State) error {
				all := srv.All("Users")
				if lost != 1 {
					return fmt.Errorf("the fault did not fire")
				}
				if len(all) != 1 {
					return fmt.Errorf("%d users on the server, want 1", len(all))
				}
				if id := s.RootModule().Resources[userAddr].Primary.ID; id != all[0]["id"] {
					return fmt.Errorf("state id %s, server id %v", id, all[0]["id"])
				}
				if n := srv.Count("POST"); n != 1 {
					return fmt.Errorf("%d POSTs, want 1", n)
				}
				return nil
			},
		}},
	})
}
