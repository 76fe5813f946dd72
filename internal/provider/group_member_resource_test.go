package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

const memberAddr = "scim_group_member.alice"

// testAccGroupMemberConfig is an unmanaged group (members not set) with
// memberships managed one by one.
func testAccGroupMemberConfig(srv *scimtest.TestServer, users ...string) string {
	cfg := providerConfig(srv) + `
resource "scim_group" "test" {
  display_name = "Memberships"
}
`
	for i, u := range users {
		name := "alice"
		if i > 0 {
			name = fmt.Sprintf("other%d", i)
		}
		cfg += fmt.Sprintf(`
resource "scim_group_member" %q {
  group_id  = scim_group.test.id
  member_id = %q
}
`, name, u)
	}
	return cfg
}

func TestAccGroupMemberResource_basic(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "member", 3)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccGroupMemberConfig(srv, users[0], users[1]),
				Check:  checkServerMembers(srv, users[:2]),
			},
			{
				// A member added in the app is left alone: the group's members are unmanaged.
				PreConfig: func() {
					for _, g := range srv.All("Groups") {
						srv.Modify("Groups", g["id"].(string), func(doc map[string]any) {
							doc["members"] = append(asSlice(doc["members"]), map[string]any{"value": users[2]})
						})
					}
				},
				Config:           testAccGroupMemberConfig(srv, users[0], users[1]),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            checkServerMembers(srv, users),
			},
			{
				// Removing one membership resource removes only that member.
				Config: testAccGroupMemberConfig(srv, users[0]),
				Check:  checkServerMembers(srv, []string{users[0], users[2]}),
			},
			{
				ResourceName:      memberAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:  memberAddr,
				ImportState:   true,
				ImportStateId: "no-slash",
				ExpectError:   regexp.MustCompile(`Expected <group id>/<member id>`),
			},
		},
	})
}

func TestAccGroupMemberResource_disappears(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "gone", 1)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccGroupMemberConfig(srv, users[0]),
				Check: func(s *terraform.State) error {
					srv.Modify("Groups", s.RootModule().Resources[groupAddr].Primary.ID, func(doc map[string]any) {
						delete(doc, "members")
					})
					return nil
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionCreate)},
				},
			},
			{
				Config: testAccGroupMemberConfig(srv, users[0]),
				Check:  checkServerMembers(srv, users),
			},
		},
	})
}

// TestAccGroupMemberResource_timeouts: changing only the timeouts of a
// membership is an in-place update that sends nothing to the app (it used
// to fail with "this is a bug in the provider").
func TestAccGroupMemberResource_timeouts(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "timeouts", 1)
	config := func(read string) string {
		return testAccGroupMemberConfig(srv) + fmt.Sprintf(`
resource "scim_group_member" "alice" {
  group_id  = scim_group.test.id
  member_id = %q
  timeouts {
    read = %q
  }
}
`, users[0], read)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{Config: config("1m"), Check: checkServerMembers(srv, users)},
			{
				PreConfig: srv.ResetCounts,
				Config:    config("5m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(memberAddr, "timeouts.read", "5m"),
					checkServerMembers(srv, users),
					func(*terraform.State) error {
						for _, r := range srv.Requests() {
							if r.Method != "GET" {
								return fmt.Errorf("changing timeouts sent %s %s", r.Method, r.Path)
							}
						}
						return nil
					},
				),
			},
		},
	})
}
