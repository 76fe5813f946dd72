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

func TestAccGroupResource_disappears(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	// Another object of the tenant: with none, the refresh would stop (the
	// collection lists nothing; see TestAccEmptiedTenantStopsRefresh).
	srv.Put("Groups", map[string]any{"displayName": "Made by hand"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccGroupConfig(srv, "Gone", []string{}),
				Check: func(s *terraform.State) error {
					srv.Remove("Groups", s.RootModule().Resources[groupAddr].Primary.ID)
					return nil
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionCreate)},
				},
			},
			{
				Config: testAccGroupConfig(srv, "Gone", []string{}),
				Check: func(*terraform.State) error {
					if len(srv.All("Groups")) != 2 { // the re-created one and the hand-made one
						return fmt.Errorf("group not re-created")
					}
					return nil
				},
			},
		},
	})
}

func TestAccGroupResource_import(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "imp", 2)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{Config: testAccGroupConfig(srv, "Imported Group", users)},
			{ResourceName: groupAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: groupAddr, ImportState: true, ImportStateVerify: true, ImportStateId: "display_name:imported group"},
			{
				ResourceName: groupAddr, ImportState: true, ImportStateId: "display_name:No Such Group",
				ExpectError: regexp.MustCompile(`No group with displayName "No Such Group"`),
			},
		},
	})
}

func TestAccGroupResource_importAmbiguousName(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	a := srv.Put("Groups", map[string]any{"displayName": "Twins"})
	b := srv.Put("Groups", map[string]any{"displayName": "twins"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        testAccGroupConfig(srv, "Twins", nil),
			ResourceName:  groupAddr,
			ImportState:   true,
			ImportStateId: "display_name:Twins",
			ExpectError:   regexp.MustCompile(`2 groups are named "Twins":\s+(` + a + `,\s+` + b + `|` + b + `,\s+` + a + `)`),
		}},
	})
}

func TestAccGroupResource_destroyAbandon(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if len(srv.All("Groups")) != 1 {
				return fmt.Errorf("destroy_mode = abandon removed the group")
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: providerConfig(srv) + `
resource "scim_group" "test" {
  display_name = "Kept"
  destroy_mode = "abandon"
}
`}},
	})
}

// Changing one member of a 1,000-member group is one PATCH, and reading a
// group that carries its members is one GET.
func TestAccGroupResource_requestEconomy(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	users := seedUsers(srv, "eco", 1001)
	changed := append(append([]string(nil), users[1:1000]...), users[1000])
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{Config: testAccGroupConfig(srv, "Big", users[:1000])},
			{
				PreConfig:    srv.ResetCounts,
				RefreshState: true,
				Check: func(*terraform.State) error {
					// Discovery adds one /ServiceProviderConfig read per Terraform command.
					if n := srv.Count("") - srv.Count("discovery"); n != 1 {
						return fmt.Errorf("refreshing a 1,000-member group took %d requests, want 1", n)
					}
					return nil
				},
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccGroupConfig(srv, "Big", changed),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkDeltaPatches(srv, 1, 2),
					func(*terraform.State) error {
						if n := srv.Count("PATCH"); n != 1 {
							return fmt.Errorf("%d PATCH requests, want 1", n)
						}
						return nil
					},
				),
			},
		},
	})
}
