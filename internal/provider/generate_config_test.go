package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// `terraform plan -generate-config-out` on an import block gives
// configuration that plans clean right away (the harness fails on any
// planned change after the generated import).
func TestAccGenerateConfig(t *testing.T) {
	skipBelowTerraform(t, "1.5.0", "import blocks and -generate-config-out")
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccUserConfig(srv, testAccUserBasic) + `
resource "scim_group" "test" {
  display_name = "Generated"
  members      = [scim_user.test.id]
}
`},
			{ResourceName: userAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
			{ResourceName: groupAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, GenerateConfig: true},
		},
	})
}
