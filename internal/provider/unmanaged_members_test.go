package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccUnmanagedMembersCostNoUserScan: a scim_group without members on an
// app whose group reads never carry members (members_read = "filter") is
// refreshed with one GET of the group. Before, each refresh listed every
// user of the app and asked, user by user, whether it was a member, then
// threw the answer away.
func TestAccUnmanagedMembersCostNoUserScan(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersNever: true}})
	for i := range 30 {
		srv.Put("Users", map[string]any{"userName": fmt.Sprintf("bystander%d@example.com", i), "active": true})
	}
	config := providerConfigWith(srv, `dialect = { members_read = "filter" }`) + `
resource "scim_group" "g" {
  display_name = "Unmanaged members"
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:    srv.ResetCounts,
				RefreshState: true,
				Check: func(*terraform.State) error {
					for _, r := range srv.Requests() {
						if strings.HasSuffix(r.Path, "/Users") || strings.Contains(r.Query, "members") {
							return fmt.Errorf("refresh sent %s %s?%s", r.Method, r.Path, r.Query)
						}
					}
					return nil
				},
			},
		},
	})
}
