package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// unknownUntilApplyConfig wires every attribute of a user and a group to
// terraform_data.src, whose output is unknown at plan time whenever its
// input changes. With wired = false the same attributes are literals.
func unknownUntilApplyConfig(srv *scimtest.TestServer, input string, wired bool) string {
	v := func(literal string) string {
		if wired {
			return fmt.Sprintf("%q", "${terraform_data.src.output}-"+literal)
		}
		return fmt.Sprintf("%q", "v1-"+literal)
	}
	return providerConfig(srv) + fmt.Sprintf(`
resource "terraform_data" "src" {
  input = %q
}

resource "scim_user" "member" {
  user_name = "member@example.com"
}

resource "scim_user" "u" {
  user_name    = "wired@example.com"
  external_id  = %s
  title        = %s
  display_name = %s
  name = {
    given_name  = %s
    family_name = "Example"
  }
  emails     = [{ value = %s, type = "work", primary = true }]
  enterprise = { department = %s }
}

resource "scim_group" "g" {
  display_name = %s
  external_id  = %s
  members      = [%s]
}
`, input, v("ext"), v("title"), v("display"), v("given"), v("mail@example.com"), v("dept"), v("group"), v("gext"),
		map[bool]string{true: `terraform_data.src.output == "" ? "" : scim_user.member.id`, false: "scim_user.member.id"}[wired])
}

// TestAccUnknownUntilApplyOnExistingObjects: a user and a group created with
// literal values, then changed to values known only at apply (from a
// resource that changes in the same run), plan, apply the new values and
// converge. An unknown value was planned as a removal before, which
// Terraform rejects as an invalid plan.
func TestAccUnknownUntilApplyOnExistingObjects(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ExternalProviders:        nil,
		Steps: []resource.TestStep{
			{Config: unknownUntilApplyConfig(srv, "v1", false)},
			{
				Config: unknownUntilApplyConfig(srv, "v2", true),
				Check: func(s *terraform.State) error {
					u := srv.Get("Users", s.RootModule().Resources["scim_user.u"].Primary.ID)
					name, _ := u["name"].(map[string]any)
					ent, _ := u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
					emails := asSlice(u["emails"])
					got := []any{u["externalId"], u["title"], u["displayName"], name["givenName"], ent["department"]}
					want := []any{"v2-ext", "v2-title", "v2-display", "v2-given", "v2-dept"}
					if fmt.Sprint(got) != fmt.Sprint(want) || len(emails) != 1 ||
						emails[0].(map[string]any)["value"] != "v2-mail@example.com" {
						return fmt.Errorf("the app holds %v and emails %v, want %v", got, emails, want)
					}
					g := srv.Get("Groups", s.RootModule().Resources["scim_group.g"].Primary.ID)
					if g["displayName"] != "v2-group" || g["externalId"] != "v2-gext" || len(asSlice(g["members"])) != 1 {
						return fmt.Errorf("the app holds group %v", g)
					}
					return nil
				},
			},
			// Converged: the same configuration plans nothing.
			{Config: unknownUntilApplyConfig(srv, "v2", true), PlanOnly: true},
		},
	})
}
