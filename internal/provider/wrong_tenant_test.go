package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

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
				ExpectError: regexp.MustCompile(`(?s)refusing\s+to\s+drop\s+objects\s+from\s+the\s+state.*wrong\s+tenant`),
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
				ExpectError: regexp.MustCompile(`(?s)refusing\s+to\s+drop\s+objects.*lists\s+nothing`),
			},
		},
	})
}
