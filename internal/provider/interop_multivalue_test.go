package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccInteropMultiValueOrder checks against SCIM servers this project
// did not write that emails, a list that means a set, keep no order: the
// configuration reordered, and an import in the app's order, plan no change.
func TestAccInteropMultiValueOrder(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			config := func(emails string) string {
				return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "scim_user" "test" {
  user_name = "interop-mv@example.com"
  emails    = %s
}
`, endpoint, emails)
			}
			work := `{ value = "interop-mv@example.com", type = "work", primary = true }`
			home := `{ value = "interop-mv@home.example", type = "home" }`
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config("[" + work + ", " + home + "]")},
					{
						Config:           config("[" + home + ", " + work + "]"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
					{
						ResourceName:    userAddr,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						Config:          config("[" + home + ", " + work + "]"),
					},
				},
			})
		})
	}
}
