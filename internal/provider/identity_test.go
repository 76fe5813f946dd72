package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

var scimIDPattern = knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))

const identityTestResources = `
resource "scim_user" "test" {
  user_name = "identity@example.com"
  emails    = [{ value = "identity@example.com", type = "work", primary = true }]
}

resource "scim_user" "other" {
  user_name = "identity-other@example.com"
}

resource "scim_group" "test" {
  display_name = "Identity"
  members      = [scim_user.test.id]
}

resource "scim_group" "unmanaged_members" {
  display_name = "Identity members"
}

resource "scim_group_member" "test" {
  group_id  = scim_group.unmanaged_members.id
  member_id = scim_user.other.id
}
`

// Resource identity on every resource: set on create and read, matching the
// state, and usable by import blocks with identity (Terraform 1.12+,
// OpenTofu 1.12+). Import by ID keeps working beside it.
func TestAccResourceIdentity(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	config := providerConfig(srv) + identityTestResources
	importByIdentity := func(addr string) resource.TestStep {
		return resource.TestStep{
			ResourceName:    addr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithResourceIdentity,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // resource identity
		},
		CheckDestroy: checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(userAddr, map[string]knownvalue.Check{"id": scimIDPattern}),
					statecheck.ExpectIdentityValueMatchesState(userAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentity("scim_group.test", map[string]knownvalue.Check{"id": scimIDPattern}),
					statecheck.ExpectIdentityValueMatchesState("scim_group.test", tfjsonpath.New("id")),
					statecheck.ExpectIdentity("scim_group_member.test", map[string]knownvalue.Check{
						"group_id": scimIDPattern, "member_id": scimIDPattern,
					}),
					statecheck.ExpectIdentityValueMatchesStateAtPath("scim_group_member.test",
						tfjsonpath.New("group_id"), tfjsonpath.New("group_id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath("scim_group_member.test",
						tfjsonpath.New("member_id"), tfjsonpath.New("member_id")),
				},
			},
			importByIdentity(userAddr),
			importByIdentity("scim_group.test"),
			importByIdentity("scim_group_member.test"),
			{
				// Import by ID still works (terraform import, import blocks with id).
				ResourceName:      userAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{
					"timeouts", "password_wo_version", "adopt_existing", "destroy_mode",
				},
			},
			{
				ResourceName:    "scim_group_member.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}
