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

const wrongTenantResources = `
resource "scim_user" "u" {
  count     = 3
  user_name = "tenant${count.index}@example.com"
}

resource "scim_group" "g" {
  display_name = "Tenant group"
  members      = scim_user.u[*].id
}

resource "scim_group_member" "m" {
  group_id  = scim_group.g.id
  member_id = scim_user.u[0].id
}
`

// TestAccWrongTenantStopsRefresh: the endpoint is changed to another tenant
// that has users of its own, so every managed object answers 404. The
// refresh stops with a diagnostic naming the endpoint, instead of dropping
// everything from state and planning to create it all again; with
// allow_empty_tenant = true it plans the creates.
func TestAccWrongTenantStopsRefresh(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	other := scimtest.NewTestServer(t, scimtest.Options{})
	other.Put("Users", map[string]any{"userName": "someone-else@example.com"})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: providerConfig(srv) + wrongTenantResources},
			{
				Config:      providerConfig(other) + wrongTenantResources,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)refusing\s+to\s+take\s+managed\s+objects\s+as\s+deleted.*wrong\s+tenant.*allow_empty_tenant\s+=\s+true`),
			},
			{
				Config:             providerConfigWith(other, "allow_empty_tenant = true") + wrongTenantResources,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{Config: providerConfig(srv) + wrongTenantResources, PlanOnly: true},
		},
	})
}

// TestAccEmptiedTenantStopsRefresh: the only managed user answers 404 and
// /Users lists nothing (a tenant emptied or reset): the refresh stops.
func TestAccEmptiedTenantStopsRefresh(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	config := providerConfig(srv) + `
resource "scim_user" "only" {
  user_name = "only@example.com"
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					for _, u := range srv.All("Users") {
						srv.Remove("Users", u["id"].(string))
					}
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)refusing\s+to\s+take\s+managed\s+objects.*lists\s+nothing`),
			},
		},
	})
}

// TestAccDeletedGroupIsPlannedForCreation (issue 43, item 2): a workspace
// manages a group and three scim_group_member resources for users made
// elsewhere; an admin deletes the group in the app. The next plan creates
// the group and its memberships again, with no error, whether the group
// was the tenant's only one or others exist: the members still answer, so
// the endpoint is the right tenant (each membership's read of the deleted
// group is one object, not three more). The same workspace pointed at
// another tenant still stops, naming the objects it saw.
func TestAccDeletedGroupIsPlannedForCreation(t *testing.T) {
	for _, others := range []bool{false, true} {
		t.Run(map[bool]string{false: "only_group", true: "among_others"}[others], func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			other := scimtest.NewTestServer(t, scimtest.Options{})
			other.Put("Groups", map[string]any{"displayName": "Someone else's"})
			if others {
				srv.Put("Groups", map[string]any{"displayName": "Made by hand"})
			}
			var users []string
			for _, name := range []string{"ann", "ben", "cat"} {
				users = append(users, srv.Put("Users", map[string]any{"userName": name + "@example.com", "active": true}))
			}
			resources := fmt.Sprintf(`
resource "scim_group" "team" {
  display_name = "Team"
}

resource "scim_group_member" "m" {
  count     = 3
  group_id  = scim_group.team.id
  member_id = %s[count.index]
}
`, hclList(users))
			var teamID string
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: providerConfig(srv) + resources},
					// A later run reads the group with its members.
					{RefreshState: true},
					{
						PreConfig: func() {
							for _, g := range srv.All("Groups") {
								if g["displayName"] == "Team" {
									teamID = g["id"].(string)
									srv.Remove("Groups", teamID)
								}
							}
						},
						Config: providerConfig(srv) + resources,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("scim_group.team", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction("scim_group_member.m[0]", plancheck.ResourceActionCreate),
						}},
						Check: func(*terraform.State) error {
							var teams []map[string]any
							for _, g := range srv.All("Groups") {
								if g["displayName"] == "Team" {
									teams = append(teams, g)
								}
							}
							if len(teams) != 1 || teams[0]["id"] == teamID || len(asSlice(teams[0]["members"])) != 3 {
								return fmt.Errorf("groups named Team: %v, want one new group with 3 members", teams)
							}
							return nil
						},
					},
					{
						Config:      providerConfig(other) + resources,
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(`(?s)refusing\s+to\s+take\s+managed\s+objects.*Groups/`),
					},
				},
			})
		})
	}
}
