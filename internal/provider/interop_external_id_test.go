package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccInteropExternalIDChange: on SCIM servers this project did not
// write, a user whose external_id, title, display_name and given name all
// change at once, wired from a terraform_data output (unknown until
// apply), applies; the app then holds the new values, read directly, and
// the next plan is empty.
func TestAccInteropExternalIDChange(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			config := func(version string) string {
				return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "terraform_data" "v" {
  input = %q
}

resource "scim_user" "test" {
  user_name    = "interop-extid-%s@example.com"
  external_id  = "ext-${terraform_data.v.output}"
  title        = "Title ${terraform_data.v.output}"
  display_name = "Display ${terraform_data.v.output}"
  name = {
    given_name  = "Given ${terraform_data.v.output}"
    family_name = "Family"
  }
}
`, endpoint, version, name)
			}
			inApp := func(version string) resource.TestCheckFunc {
				return func(s *terraform.State) error {
					id := s.RootModule().Resources[userAddr].Primary.ID
					u := scimCall(t, "GET", endpoint+"/Users/"+id, nil)
					given, _ := u["name"].(map[string]any)
					if u["externalId"] != "ext-"+version || u["title"] != "Title "+version ||
						u["displayName"] != "Display "+version || given["givenName"] != "Given "+version {
						return fmt.Errorf("the app holds %v, want version %s", u, version)
					}
					return nil
				}
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config("1"), Check: inApp("1")},
					{Config: config("2"), Check: inApp("2")},
					{
						Config:           config("2"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}
