package provider

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

const groupAddr = "scim_group.test"

// seedUsers stores n users directly on the server and returns their ids.
func seedUsers(srv *scimtest.TestServer, prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = srv.Put("Users", map[string]any{"userName": fmt.Sprintf("%s%04d@example.com", prefix, i), "active": true})
	}
	return ids
}

func hclList(ids []string) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

func testAccGroupConfig(srv *scimtest.TestServer, name string, members []string) string {
	membersLine := ""
	if members != nil {
		membersLine = "members = " + hclList(members)
	}
	return providerConfig(srv) + fmt.Sprintf(`
resource "scim_group" "test" {
  display_name = %q
  external_id  = "grp-1"
  %s
}
`, name, membersLine)
}

// serverMembers returns the sorted member ids of the group the state points at.
func serverMembers(srv *scimtest.TestServer, s *terraform.State) ([]string, error) {
	rs, ok := s.RootModule().Resources[groupAddr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", groupAddr)
	}
	doc := srv.Get("Groups", rs.Primary.ID)
	if doc == nil {
		return nil, fmt.Errorf("group %s not on the server", rs.Primary.ID)
	}
	var ids []string
	for _, m := range asSlice(doc["members"]) {
		ids = append(ids, fmt.Sprint(m.(map[string]any)["value"]))
	}
	sort.Strings(ids)
	return ids, nil
}

func asSlice(v any) []any {
	l, _ := v.([]any)
	return l
}

func checkServerMembers(srv *scimtest.TestServer, want []string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		got, err := serverMembers(srv, s)
		if err != nil {
			return err
		}
		want = append([]string(nil), want...)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("server members %v, want %v", got, want)
		}
		return nil
	}
}

// groupPatchOps returns the operations of every group PATCH since the last reset.
func groupPatchOps(srv *scimtest.TestServer) [][]map[string]any {
	var out [][]map[string]any
	for _, r := range srv.Requests() {
		if r.Method != "PATCH" || !strings.Contains(r.Path, "/Groups/") {
			continue
		}
		var body struct {
			Operations []map[string]any
		}
		_ = json.Unmarshal([]byte(r.Body), &body)
		out = append(out, body.Operations)
	}
	return out
}

// checkDeltaPatches asserts that group PATCHes only add values or remove
// single filtered members, never replace or clear the whole list, and that
// no request carries more than maxChanges member changes.
func checkDeltaPatches(srv *scimtest.TestServer, wantPatches, maxChanges int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		patches := groupPatchOps(srv)
		if wantPatches >= 0 && len(patches) != wantPatches {
			return fmt.Errorf("%d group PATCH requests, want %d", len(patches), wantPatches)
		}
		for _, ops := range patches {
			changes := 0
			for _, op := range ops {
				path, _ := op["path"].(string)
				switch {
				case op["op"] == "add" && path == "members":
					changes += len(asSlice(op["value"]))
				case op["op"] == "remove" && strings.HasPrefix(path, "members[value eq "):
					changes++
				case strings.HasPrefix(path, "members"):
					return fmt.Errorf("non-delta member operation %v", op)
				}
			}
			if changes > maxChanges {
				return fmt.Errorf("a PATCH carried %d member changes, more than %d", changes, maxChanges)
			}
		}
		return nil
	}
}

func checkGroupsDeleted(srv *scimtest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, doc := range srv.All("Groups") {
			if doc["displayName"] != "Made by hand" { // not Terraform's: it must stay
				return fmt.Errorf("group %v left on the server after destroy", doc["displayName"])
			}
		}
		return nil
	}
}

func TestAccGroupResource_basic(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "basic", 3)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccGroupConfig(srv, "Engineering", users[:2]),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Engineering")),
					statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("destroy_mode"), knownvalue.StringExact("delete")),
					statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(users[0]), knownvalue.StringExact(users[1]),
					})),
				},
				Check: checkServerMembers(srv, users[:2]),
			},
			{
				Config:           testAccGroupConfig(srv, "Engineering", users[:2]),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Renaming keeps the id; member changes are add/remove deltas.
func TestAccGroupResource_update(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "upd", 3)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config:            testAccGroupConfig(srv, "Engineering", users[:2]),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(groupAddr, tfjsonpath.New("id"))},
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Platform Engineering", users[1:]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(groupAddr, tfjsonpath.New("id"))},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkServerMembers(srv, users[1:]),
					checkDeltaPatches(srv, 1, 100),
					func(*terraform.State) error {
						ops := groupPatchOps(srv)[0]
						body, _ := json.Marshal(ops)
						for _, want := range []string{`"path":"displayName"`, `"op":"add"`, users[2], `members[value eq \"` + users[0] + `\"]`} {
							if !strings.Contains(string(body), want) {
								return fmt.Errorf("PATCH %s lacks %s", body, want)
							}
						}
						return nil
					},
				),
			},
		},
	})
}

// A 250-member group is created and changed in requests of at most 100
// member changes.
func TestAccGroupResource_largeGroupChunks(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "large", 380)
	first, second := users[:250], users[130:380] // 120 removed, 130 added
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Large", first),
				Check:     resource.ComposeAggregateTestCheckFunc(checkServerMembers(srv, first), checkDeltaPatches(srv, 3, 100)),
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Large", second),
				Check:     resource.ComposeAggregateTestCheckFunc(checkServerMembers(srv, second), checkDeltaPatches(srv, 3, 100)),
			},
		},
	})
}

// A server that caps member changes per request answers 413; the chunk is
// halved until it fits.
func TestAccGroupResource_payloadTooLargeHalves(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{MaxMemberOps: 30})
	users := seedUsers(srv, "cap", 90)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{Config: testAccGroupConfig(srv, "Capped", users[:10])},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Capped", users),
				Check:     resource.ComposeAggregateTestCheckFunc(checkServerMembers(srv, users), checkDeltaPatches(srv, -1, 80)),
			},
		},
	})
}

// An out-of-band member shows as a planned removal when members are authoritative.
func TestAccGroupResource_memberDrift(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "drift", 3)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccGroupConfig(srv, "Drift", users[:2]),
				Check: func(s *terraform.State) error {
					id := s.RootModule().Resources[groupAddr].Primary.ID
					srv.Modify("Groups", id, func(doc map[string]any) {
						doc["members"] = append(asSlice(doc["members"]), map[string]any{"value": users[2], "display": "intruder"})
					})
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Drift", users[:2]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkServerMembers(srv, users[:2]), checkDeltaPatches(srv, 1, 1)),
			},
		},
	})
}

// Members are a set in meaning: the app returning them in another order,
// the configuration listing them in another order or twice, and an import
// whose order differs from the configuration all plan no change.
func TestAccGroupResource_memberOrder(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "order", 3)
	reordered := []string{users[2], users[0], users[1], users[0]}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccGroupConfig(srv, "Order", users),
				Check: func(s *terraform.State) error {
					srv.Modify("Groups", s.RootModule().Resources[groupAddr].Primary.ID, func(doc map[string]any) {
						members := asSlice(doc["members"])
						slices.Reverse(members)
						doc["members"] = members
					})
					return nil
				},
			},
			{
				PreConfig:        srv.ResetCounts,
				Config:           testAccGroupConfig(srv, "Order", users),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(groupAddr, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(users[0]), knownvalue.StringExact(users[1]), knownvalue.StringExact(users[2]),
					})),
				},
			},
			{
				PreConfig:        srv.ResetCounts,
				Config:           testAccGroupConfig(srv, "Order", reordered),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if n := srv.Count("PATCH") + srv.Count("PUT"); n != 0 {
						return fmt.Errorf("reordering members sent %d writes, want 0", n)
					}
					return nil
				},
			},
			{
				ResourceName:  groupAddr,
				ImportState:   true,
				ImportStateId: "display_name:Order",
				Config:        testAccGroupConfig(srv, "Order", reordered),
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if got := states[0].Attributes["members.#"]; got != "3" {
						return fmt.Errorf("imported members.# = %s, want 3", got)
					}
					return nil
				},
			},
			{
				// Drift after reordering: a removed member is the only change.
				Config: testAccGroupConfig(srv, "Order", reordered),
				Check: func(s *terraform.State) error {
					srv.Modify("Groups", s.RootModule().Resources[groupAddr].Primary.ID, func(doc map[string]any) {
						doc["members"] = asSlice(doc["members"])[1:]
					})
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Order", reordered),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(checkServerMembers(srv, users), checkDeltaPatches(srv, 1, 1)),
			},
		},
	})
}
