package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
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

// TestAccRequiredAndSingleValuedAttributes: AWS IAM Identity Center needs
// display_name, given and family names on create, and keeps one email,
// which must be primary. Plans that break either fail before any request
// and name the attribute; a user that has them all is created.
func TestAccRequiredAndSingleValuedAttributes(t *testing.T) {
	srv := newPresetServer(t, "aws")
	config := vendorProviderConfig(srv, "aws_identity_center")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config + `
resource "scim_user" "test" {
  user_name = "jo@example.com"
  name      = { given_name = "Jo" }
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`AWS\s+IAM\s+Identity\s+Center\s+requires\s+display_name[\s\S]*requires\s+name.family_name`),
			},
			{
				Config: config + `
resource "scim_user" "test" {
  user_name    = "jo@example.com"
  display_name = "Jo Doe"
  name         = { given_name = "Jo", family_name = "Doe" }
  emails = [
    { value = "jo@example.com", type = "work", primary = true },
    { value = "jo@home.example", type = "home" },
  ]
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`takes\s+one\s+value\s+of\s+emails[\s\S]*must\s+be\s+the\s+primary\s+one`),
			},
			{
				Config: config + `
resource "scim_user" "test" {
  user_name    = "jo@example.com"
  display_name = "Jo Doe"
  name         = { given_name = "Jo", family_name = "Doe" }
  emails       = [{ value = "jo@example.com", type = "work" }]
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`needs\s+the\s+value\s+of\s+emails\s+to\s+be\s+primary`),
			},
			{
				Config: config + `
resource "scim_user" "test" {
  user_name    = "jo@example.com"
  display_name = "Jo Doe"
  name         = { given_name = "Jo", family_name = "Doe" }
  emails       = [{ value = "jo@example.com", type = "work", primary = true }]
}
`,
			},
		},
	})
	if n := srv.Count("POST"); n != 1 {
		t.Errorf("%d POSTs, want only the valid user's", n)
	}
}

// TestAccRequiredAttributesAreTheApps: with the preset's rules cleared,
// the same plans reach the AWS model, which refuses them (the model holds
// the rule, not only the preset); on a generic app, the dialect settings
// name its own rules.
func TestAccRequiredAttributesAreTheApps(t *testing.T) {
	srv := newPresetServer(t, "aws")
	provider := func(vendor, dialect string) string {
		return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = %q
  vendor   = %q
  dialect  = %s
}
`, srv.URL, srv.Token, vendor, dialect)
	}
	cleared := provider("aws_identity_center", `{ required_on_create = [], single_valued = [] }`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cleared + `
resource "scim_user" "test" {
  user_name    = "jo@example.com"
  display_name = "Jo Doe"
  name         = { given_name = "Jo" }
}
`,
				ExpectError: regexp.MustCompile(`HTTP\s+400[\s\S]*name\.familyName\s+is\s+required`),
			},
			{
				Config: cleared + `
resource "scim_user" "test" {
  user_name    = "jo@example.com"
  display_name = "Jo Doe"
  name         = { given_name = "Jo", family_name = "Doe" }
  emails       = [{ value = "jo@example.com", type = "work" }]
}
`,
				ExpectError: regexp.MustCompile(`HTTP\s+400[\s\S]*the\s+value\s+of\s+emails\s+must\s+be\s+primary`),
			},
			{
				Config: provider("generic", `{ required_on_create = ["title"], single_valued = ["roles"] }`) + `
resource "scim_user" "test" {
  user_name = "jo@example.com"
  roles     = [{ value = "a", primary = true }, { value = "b" }]
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`requires\s+title[\s\S]*takes\s+one\s+value\s+of\s+roles`),
			},
			{
				Config: provider("generic", `{ required_on_create = ["name.nickName"] }`) + `
resource "scim_user" "test" {
  user_name = "jo@example.com"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`dialect.required_on_create[\s\S]*name\.nickName`),
			},
		},
	})
}

// TestAccHCPTeamNameTaken: HCP Terraform's team names are unique. A
// scim_group named as an existing team fails with the app's 409 and says
// to import it; the team is neither claimed nor changed, and no second
// team appears.
func TestAccHCPTeamNameTaken(t *testing.T) {
	srv := newPresetServer(t, "hcp_terraform")
	teamID := srv.Put("Groups", map[string]any{"displayName": "Platform", "externalId": "made-elsewhere"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: vendorProviderConfig(srv, "hcp_terraform") + `
resource "scim_group" "platform" {
  display_name = "platform"
}
`,
			ExpectError: regexp.MustCompile(`HTTP\s+409[\s\S]*displayName\s+"platform"\s+is\s+already\s+taken[\s\S]*import\s+it`),
		}},
	})
	groups := srv.All("Groups")
	if len(groups) != 1 || groups[0]["id"] != teamID || groups[0]["externalId"] != "made-elsewhere" || groups[0]["displayName"] != "Platform" {
		t.Errorf("groups after the refused create: %v; want only the team made elsewhere, unchanged", groups)
	}
}

// TestAccGoogleListResourceNeedsFilter: `terraform query` of every user on
// Google Cloud Identity, which lists users only for a userName eq filter,
// fails with what works instead (a filter, or import by id), not the
// app's bare 400.
func TestAccGoogleListResourceNeedsFilter(t *testing.T) {
	runsOnEveryCLI(t)
	srv := newPresetServer(t, "google_cloud_identity")
	seedUsers(srv, "g", 3)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: vendorProviderConfig(srv, "google_cloud_identity")},
			{
				Query: true,
				Config: `
list "scim_user" "all" {
  provider = scim
}
`,
				ExpectError: regexp.MustCompile(`lists\s+users\s+only\s+for\s+a\s+filter[\s\S]*import\s+them\s+by\s+id`),
			},
		},
	})
}

// TestAccAdoptionNeedsNoCreateAttributes: with adopt_existing, a user AWS
// IAM Identity Center already has is taken over without the attributes a
// create needs (the plan warns instead of failing), and nothing is posted.
func TestAccAdoptionNeedsNoCreateAttributes(t *testing.T) {
	srv := newPresetServer(t, "aws")
	id := srv.Put("Users", map[string]any{"userName": "pat@example.com", "displayName": "Pat Doe", "active": true,
		"name": map[string]any{"givenName": "Pat", "familyName": "Doe"}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: vendorProviderConfig(srv, "aws_identity_center") + `
resource "scim_user" "pat" {
  user_name      = "pat@example.com"
  title          = "Auditor"
  adopt_existing = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("scim_user.pat", tfjsonpath.New("id"), knownvalue.StringExact(id)),
				statecheck.ExpectKnownValue("scim_user.pat", tfjsonpath.New("display_name"), knownvalue.StringExact("Pat Doe")),
			},
		}},
	})
	if n := srv.Count("POST"); n != 0 {
		t.Errorf("%d POSTs; want the existing user taken over", n)
	}
}
