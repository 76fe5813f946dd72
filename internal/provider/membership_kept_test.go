package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

func keptMembersConfig(srv *scimtest.TestServer, dialect string, members string) string {
	return providerConfigWith(srv, dialect) + fmt.Sprintf(`
resource "scim_user" "u" {
  count     = 4
  user_name = "kept${count.index}@example.com"
}

resource "scim_group" "g" {
  display_name = "Kept"
  members      = %s
}
`, members)
}

// storedMembers checks the members the app holds (what it stored, whether
// or not its reads show them) against the users at the given indexes.
func storedMembers(srv *scimtest.TestServer, indexes ...int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var want, got []string
		for _, i := range indexes {
			want = append(want, s.RootModule().Resources[fmt.Sprintf("scim_user.u.%d", i)].Primary.ID)
		}
		g := srv.Get("Groups", s.RootModule().Resources["scim_group.g"].Primary.ID)
		for _, m := range asSlice(g["members"]) {
			got = append(got, fmt.Sprint(m.(map[string]any)["value"]))
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			return fmt.Errorf("the app holds members %v, want %v", got, want)
		}
		return nil
	}
}

// TestAccMembersDroppedFromPostAreSentAgain: the app ignores members in the
// body of a group POST. The provider sees they were not kept and adds them
// with a PATCH; the apply reports what the app holds, and plans nothing
// afterwards. Before, the apply reported success with no member kept and
// every later plan showed the same diff.
func TestAccMembersDroppedFromPostAreSentAgain(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{PostDropsMembers: true}})
	config := keptMembersConfig(srv, "", "[scim_user.u[0].id, scim_user.u[1].id]")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: storedMembers(srv, 0, 1)},
			{Config: config, PlanOnly: true},
		},
	})
}

// TestAccMembersNeverShownNeedWriteOnly: an app that takes add/remove but
// drops members from POST and PUT bodies and shows "members": [] on every
// read. Without a setting the apply stops with a diagnostic naming
// members_read = "write_only" (never a silent endless diff); with it,
// membership is written as deltas, trusted from state, and converges.
func TestAccMembersNeverShownNeedWriteOnly(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersWriteOnly: true}})
	writeOnly := `dialect = { members_read = "write_only" }`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      keptMembersConfig(srv, "", "[scim_user.u[0].id]"),
				ExpectError: regexp.MustCompile(`(?s)members_read\s*=\s*"write_only"`),
			},
			{
				Config: keptMembersConfig(srv, writeOnly, "[scim_user.u[0].id, scim_user.u[1].id, scim_user.u[2].id]"),
				Check:  storedMembers(srv, 0, 1, 2),
			},
			{Config: keptMembersConfig(srv, writeOnly, "[scim_user.u[0].id, scim_user.u[1].id, scim_user.u[2].id]"), PlanOnly: true},
			{
				Config: keptMembersConfig(srv, writeOnly, "[scim_user.u[1].id, scim_user.u[3].id]"),
				Check:  storedMembers(srv, 1, 3),
			},
			{Config: keptMembersConfig(srv, writeOnly, "[scim_user.u[1].id, scim_user.u[3].id]"), PlanOnly: true},
		},
	})
}
