package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

func putOnlyMembershipConfig(srv *scimtest.TestServer, etag bool, members int) string {
	return providerConfigWith(srv, fmt.Sprintf("dialect = { etag = %t }", etag)) + fmt.Sprintf(`
resource "scim_user" "u" {
  count     = 20
  user_name = "member${count.index}@example.com"
}

resource "scim_group" "g" {
  display_name = "Parallel"
}

resource "scim_group_member" "m" {
  count     = %d
  group_id  = scim_group.g.id
  member_id = scim_user.u[count.index].id
}
`, members)
}

// serverMembersOf counts the members the app holds for the state's group.
func serverMembersOf(srv *scimtest.TestServer, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		g := srv.Get("Groups", s.RootModule().Resources["scim_group.g"].Primary.ID)
		if n := len(asSlice(g["members"])); n != want {
			return fmt.Errorf("the app holds %d members, want %d", n, want)
		}
		return nil
	}
}

// TestAccParallelMembershipsOnPutOnlyApp: 20 scim_group_member resources on
// one group, applied with Terraform's default parallelism on an app that
// answers every PATCH with 405, so each membership is a GET, a local merge
// and a PUT of the whole group. Before the writes to one object were
// serialised, the last PUT won: 20 reported, about 9 kept. Then 10 are
// removed at once. With and without If-Match.
func TestAccParallelMembershipsOnPutOnlyApp(t *testing.T) {
	for _, etag := range []bool{false, true} {
		t.Run(fmt.Sprintf("etag=%t", etag), func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{NoPatch: true}})
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: putOnlyMembershipConfig(srv, etag, 20), Check: serverMembersOf(srv, 20)},
					{Config: putOnlyMembershipConfig(srv, etag, 20), PlanOnly: true},
					{Config: putOnlyMembershipConfig(srv, etag, 10), Check: serverMembersOf(srv, 10)},
					{Config: putOnlyMembershipConfig(srv, etag, 10), PlanOnly: true},
				},
			})
		})
	}
}
