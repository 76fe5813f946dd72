package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccGoogleListNeedsFilter: Google Cloud Identity lists users only for
// a userName eq filter and has no paging. data.scim_users without a filter
// fails with a diagnostic that says what works (a lookup by userName, or
// import by id) instead of the app's bare 400; with the filter it works,
// and a refresh of many users reads them one by one.
func TestAccGoogleListNeedsFilter(t *testing.T) {
	srv := newPresetServer(t, "google_cloud_identity")
	seedUsers(srv, "g", 12)
	config := vendorProviderConfig(srv, "google_cloud_identity")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config + `data "scim_users" "all" {}`,
				ExpectError: regexp.MustCompile(`lists\s+users\s+only\s+for\s+a\s+filter[\s\S]*import\s+them\s+by\s+id[\s\S]*cannot\s+do\s+this`),
			},
			{
				Config: config + `data "scim_users" "one" { filter = "userName eq \"g0003@example.com\"" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_users.one", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				// 12 users refreshed: past auto paged refresh's 10 GETs, yet no
				// unfiltered listing is asked for.
				Config: config + `
resource "scim_user" "many" {
  count     = 12
  user_name = format("new%02d@example.com", count.index)
}
`,
			},
			{
				Config: config + `
resource "scim_user" "many" {
  count     = 12
  user_name = format("new%02d@example.com", count.index)
}
`,
				PlanOnly: true,
			},
		},
	})
}

// TestAccGitHubDeleteIsIrreversible: on GitHub Enterprise Managed Users a
// DELETE of a user is permanent, so a plan with destroy_mode = "delete"
// warns and says so; the default (deactivate) plans no warning.
func TestAccGitHubDeleteIsIrreversible(t *testing.T) {
	srv := newPresetServer(t, "github_emu")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: vendorProviderConfig(srv, "github_emu") + `
resource "scim_user" "test" {
  user_name    = "mona@example.com"
  destroy_mode = "delete"
}
`,
			// A warning does not fail the step; check it with the CLI below.
		}},
	})
	d := newTFDir(t)
	d.write(vendorProviderConfig(srv, "github_emu") + `
resource "scim_user" "test" {
  user_name    = "octo@example.com"
  destroy_mode = "delete"
}
`)
	out := d.mustRun("plan")
	if !regexp.MustCompile(`destroy_mode = "delete" cannot be undone in GitHub Enterprise\s+Managed Users[\s\S]*permanent`).MatchString(out) {
		t.Errorf("the plan does not warn that DELETE is irreversible:\n%s", out)
	}
}
