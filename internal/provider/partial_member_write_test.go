package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccPartialMemberWriteIsNotHidden: on Entra's SCIM API a member swap
// is two requests (add, then remove). When the removal fails after the
// addition was kept, the state must still list the added member: refresh
// there checks only the members the state lists, so a member left out of
// it would keep the group's access unseen. Rolling the configuration back
// then plans the removal, and the apply leaves exactly the old members.
func TestAccPartialMemberWriteIsNotHidden(t *testing.T) {
	opts, _ := scimtest.Preset("entra")
	var failRemovals atomic.Bool
	var srv *scimtest.TestServer
	opts.Fault = failGroupRemovals(&failRemovals, &srv)
	srv = scimtest.NewTestServer(t, opts)
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com", "displayName": "Alice",
		"name": map[string]any{"givenName": "Alice", "familyName": "A"}})
	bob := srv.Put("Users", map[string]any{"userName": "bob@example.com", "displayName": "Bob",
		"name": map[string]any{"givenName": "Bob", "familyName": "B"}})
	config := func(members ...string) string { return entraGroupWithoutRetries(srv, "test", "Partial", members) }
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    partialSwapSteps(srv, config, &failRemovals, alice, bob),
	})
}

// partialSwapSteps swaps alice for bob in scim_group.test while removals
// fail (the app then holds both), rolls the configuration back and checks
// that the app ends with alice alone and an empty plan.
func partialSwapSteps(srv *scimtest.TestServer, config func(...string) string, failRemovals *atomic.Bool, alice, bob string) []resource.TestStep {
	return []resource.TestStep{
		{Config: config(alice), Check: checkServerMembers(srv, []string{alice})},
		{
			PreConfig:   func() { failRemovals.Store(true) },
			Config:      config(bob),
			ExpectError: regexp.MustCompile(`503`),
			Check:       checkServerMembers(srv, []string{alice, bob}),
		},
		{
			// The app holds alice and bob; the state must not hide bob.
			PreConfig: func() { failRemovals.Store(false) },
			Config:    config(alice),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("scim_group.test", plancheck.ResourceActionUpdate)},
			},
			Check: checkServerMembers(srv, []string{alice}),
		},
		{Config: config(alice), PlanOnly: true},
	}
}

// TestAccEntraMemberSwapUnderFaults: on the Entra model, 30 members are
// swapped for 45 others (15 kept), which Entra's limits split into
// 2 additions and 15 removals, while a third of the group PATCHes meet a
// fault (503, reset before or after the app acted, a slow answer, a
// truncated body, an HTML 500, a 200 carrying an error) and no retries are
// allowed, so the apply stops part way. Rolling the configuration back
// must then leave exactly the old members (no addition hidden from the
// state), and going forward again exactly the new ones, each followed by
// an empty plan.
func TestAccEntraMemberSwapUnderFaults(t *testing.T) {
	const people = 60
	partWay, ran := 0, 0 // seeds whose apply stopped with the swap part way, seeds run (not skipped)
	t.Cleanup(func() {
		if ran > 0 && partWay == 0 && !t.Failed() {
			t.Error("no seed stopped the swap part way: the rollback never met a partial write")
		}
	})
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			opts, _ := scimtest.Preset("entra")
			opts.RemoveAbsentNoTarget = true
			srv := scimtest.NewTestServer(t, opts)
			ids := make([]string, people)
			for i := range ids {
				ids[i] = srv.Put("Users", map[string]any{"userName": fmt.Sprintf("f%02d@example.com", i), "active": true})
			}
			before, after := ids[:30], ids[15:]
			config := func(members []string) string {
				return entraGroupWithoutRetries(srv, "g", "Swapped under faults", members)
			}
			d := newTFDir(t)
			ran++
			d.write(config(before))
			d.mustRun("init")
			d.mustRun("apply", "-auto-approve")
			group := d.stateIDs()["scim_group.g"]

			faults := scimtest.NewFaultInjector(0.34, seed)
			faults.Only = func(r *http.Request) bool {
				return r.Method == http.MethodPatch && strings.Contains(strings.ToLower(r.URL.Path), "/groups/")
			}
			faulty := opts
			faulty.Token, faulty.Fault = srv.Token, faults.Fault
			srv.SetOptions(faulty)
			d.write(config(after))
			code, out := d.run("apply", "-auto-approve")
			t.Logf("swap under faults: exit %d, faults %v; %s", code, faults.Counts(), firstError(out))
			faults.Disable()
			injected, stopping := 0, 0
			for kind, n := range faults.Counts() {
				injected += n
				if kind != scimtest.Fault429 && kind != scimtest.Fault429NoHeader { // 429s are waited out, not failures
					stopping += n
				}
			}
			stored := groupMembersStored(srv, group)
			holds := func(m []string) bool { return slices.Equal(stored, slices.Sorted(slices.Values(m))) }
			switch {
			case injected == 0:
				t.Fatal("no group PATCH met a fault: the test did not walk its path")
			case code == 0 && stopping > 0:
				t.Fatalf("the apply succeeded despite faults %v with max_retries = 0", faults.Counts())
			case code == 0 && !holds(after):
				t.Fatalf("the apply reported success but the app holds %d members", len(stored))
			case code != 0 && !holds(before) && !holds(after):
				partWay++
			}

			for _, members := range [][]string{before, after} {
				d.write(config(members))
				d.mustRun("apply", "-auto-approve")
				if got, want := groupMembersStored(srv, group), slices.Sorted(slices.Values(members)); strings.Join(got, ",") != strings.Join(want, ",") {
					t.Fatalf("the app holds %d members, want the %d configured:\ngot  %v\nwant %v", len(got), len(want), got, want)
				}
				if code, out := d.run("plan", "-detailed-exitcode"); code != 0 {
					t.Fatalf("plan after converging is not empty (exit %d):\n%s", code, tail(out, 3000))
				}
			}
		})
	}
}

// groupMembersStored is the sorted member ids the server stores for a
// group (whatever its reads show).
func groupMembersStored(srv *scimtest.TestServer, group string) []string {
	var out []string
	for _, m := range asSlice(srv.Get("Groups", group)["members"]) {
		out = append(out, fmt.Sprint(m.(map[string]any)["value"]))
	}
	sort.Strings(out)
	return out
}

// entraGroupWithoutRetries configures one group of the given members on
// the Entra model with no retries, so the first fault fails the apply.
func entraGroupWithoutRetries(srv *scimtest.TestServer, resourceName, displayName string, members []string) string {
	return fmt.Sprintf(`
provider "scim" {
  endpoint        = %q
  token           = %q
  vendor          = "entra"
  max_retries     = 0
  request_timeout = "2s"
}

resource "scim_group" %q {
  display_name = %q
  members      = %s
}
`, srv.URL, srv.Token, resourceName, displayName, hclList(members))
}

// TestAccPartialMemberWriteIsNotHiddenWriteOnly (issue 43, item 4): the
// same swap on an app whose groups never show members (members_read =
// "write_only"), where nothing can be checked afterwards: the state must
// still list the member that may have been added, so rolling the
// configuration back removes it.
func TestAccPartialMemberWriteIsNotHiddenWriteOnly(t *testing.T) {
	var failRemovals atomic.Bool
	var srv *scimtest.TestServer
	opts := scimtest.Options{Quirks: scimtest.Quirks{MembersWriteOnly: true, RemoveAbsentNoTarget: true}}
	opts.Fault = failGroupRemovals(&failRemovals, &srv)
	srv = scimtest.NewTestServer(t, opts)
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com"})
	bob := srv.Put("Users", map[string]any{"userName": "bob@example.com"})
	config := func(members ...string) string {
		return fmt.Sprintf(`
provider "scim" {
  endpoint    = %q
  token       = %q
  max_retries = 0
  dialect = {
    members_read         = "write_only"
    member_changes_alone = true
  }
}

resource "scim_group" "test" {
  display_name = "Partial"
  members      = %s
}
`, srv.URL, srv.Token, hclList(members))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    partialSwapSteps(srv, config, &failRemovals, alice, bob),
	})
}

// failGroupRemovals answers a group PATCH that removes members with a 503,
// while fail is set, before the app acts. srv is the server the fault is
// set on (its request log shows the body of the request being answered).
func failGroupRemovals(fail *atomic.Bool, srv **scimtest.TestServer) func(http.ResponseWriter, *http.Request, func() *scimtest.Response) bool {
	return func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		if !fail.Load() || r.Method != http.MethodPatch || !strings.Contains(strings.ToLower(r.URL.Path), "/groups/") {
			return false
		}
		// The server has read and recorded the body: this is the last request.
		requests := (*srv).Requests()
		if !strings.Contains(requests[len(requests)-1].Body, `"remove"`) {
			return false
		}
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return true
	}
}
