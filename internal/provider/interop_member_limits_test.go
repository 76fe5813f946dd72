package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccInteropMemberLimits: the member limits of Entra-like apps (two
// additions and one removal per PATCH, member changes and a rename never in
// one request) on SCIM servers this project did not write: a swap of three
// members for three others, with a rename, is split into six requests and
// both servers end with exactly the new members.
func TestAccInteropMemberLimits(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			config := func(groupName string, members string) string {
				return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
  dialect = {
    member_adds_per_request    = 2
    member_removes_per_request = 1
    member_changes_alone       = true
  }
}

resource "scim_user" "u" {
  count     = 6
  user_name = "limits-${count.index}@example.com"
}

resource "scim_group" "limits" {
  display_name = %q
  members      = [for i in %s : scim_user.u[i].id]
}
`, endpoint, groupName, members)
			}
			serverMembers := func(want ...int) resource.TestCheckFunc {
				return func(s *terraform.State) error {
					root := s.RootModule()
					var wantIDs []string
					for _, i := range want {
						wantIDs = append(wantIDs, root.Resources[fmt.Sprintf("scim_user.u.%d", i)].Primary.ID)
					}
					doc := scimCall(t, "GET", endpoint+"/Groups/"+root.Resources["scim_group.limits"].Primary.ID, nil)
					var got []string
					for _, m := range asSlice(doc["members"]) {
						got = append(got, fmt.Sprint(m.(map[string]any)["value"]))
					}
					sort.Strings(got)
					sort.Strings(wantIDs)
					if strings.Join(got, ",") != strings.Join(wantIDs, ",") {
						return fmt.Errorf("%s holds members %v, want %v", name, got, wantIDs)
					}
					return nil
				}
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config("Interop limits", "[0, 1, 2]"), Check: serverMembers(0, 1, 2)},
					{Config: config("Interop limits renamed", "[3, 4, 5]"), Check: serverMembers(3, 4, 5)},
					{Config: config("Interop limits renamed", "[3, 4, 5]"), PlanOnly: true},
				},
			})
		})
	}
}
