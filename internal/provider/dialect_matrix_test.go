package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// dialectCase pairs a server preset (a local server behaving like a vendor)
// with the provider's vendor preset for it.
type dialectCase struct {
	server, vendor string
	// groups is false where the app has no groups: scim_group must then
	// fail at plan time.
	groups bool
	// deleteUsers is false where the app refuses DELETE.
	deleteUsers bool
}

// importIgnore lists attributes an import cannot read on this app: members
// are invisible on servers that never return them (AWS); the next apply
// adds the configured ones again, which such servers treat as a no-op.
// Entra's SCIM API reads members by filter too.
func (dc dialectCase) importIgnore() []string {
	if dc.server == "aws" || dc.server == "entra" {
		return []string{"members"}
	}
	return nil
}

var dialectCases = []dialectCase{
	{"generic", "generic", true, true},
	{"hyperproof", "hyperproof", true, false},
	{"secureframe", "secureframe", false, false},
	{"hoppscotch", "hoppscotch", false, true},
	{"aws", "aws_identity_center", true, true},
	{"entra", "entra", true, true},
	{"github_emu", "github_emu", true, true},
	{"slack", "slack", true, true},
	{"salesforce", "salesforce", true, false},
	{"databricks", "databricks", true, true},
	{"miro", "miro", true, true},
	{"google_cloud_identity", "google_cloud_identity", true, true},
	{"hcp_terraform", "hcp_terraform", true, true},
	// The sloppy server with no preset: discovery and tolerance only.
	{"sloppy", "generic", true, true},
}

func vendorProviderConfig(srv *scimtest.TestServer, vendor string) string {
	return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = %q
  vendor   = %q
}
`, srv.URL, srv.Token, vendor)
}

func newPresetServer(t *testing.T, name string) *scimtest.TestServer {
	t.Helper()
	opts, ok := scimtest.Preset(name)
	if !ok {
		t.Fatalf("no server preset %q", name)
	}
	return scimtest.NewTestServer(t, opts)
}

// checkUsersGoneOrInactive: destroy deactivated every user, or the app
// removed them on deactivation (allowed for some apps).
func checkUsersGoneOrInactive(srv *scimtest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, doc := range srv.All("Users") {
			if active := fmt.Sprint(doc["active"]); strings.EqualFold(active, "true") {
				return fmt.Errorf("user %v still active after destroy", doc["userName"])
			}
		}
		return nil
	}
}

// TestAccDialectMatrix_user runs the scim_user lifecycle (create, update,
// import, drift, destroy) against every server preset with its provider preset.
func TestAccDialectMatrix_user(t *testing.T) {
	for _, dc := range dialectCases {
		t.Run(dc.server, func(t *testing.T) {
			srv := newPresetServer(t, dc.server)
			cfg := func(title string) string {
				return vendorProviderConfig(srv, dc.vendor) + fmt.Sprintf(`
resource "scim_user" "test" {
  user_name    = "matrix@example.com"
  display_name = "Matrix User"
  title        = %q
  emails       = [{ value = "matrix@example.com", type = "work", primary = true }]
  name         = { given_name = "Matrix", family_name = "User" }
}
`, title)
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkUsersGoneOrInactive(srv),
				Steps: []resource.TestStep{
					{Config: cfg("First")},
					{
						Config: cfg("Second"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
						},
						Check: checkServerUser(srv, func(doc map[string]any) error {
							if doc["title"] != "Second" {
								return fmt.Errorf("update not applied: %v", doc)
							}
							return nil
						}),
					},
					{ResourceName: userAddr, ImportState: true, ImportStateVerify: true},
					{
						PreConfig: func() {
							for _, doc := range srv.All("Users") {
								srv.Modify("Users", fmt.Sprint(doc["id"]), func(d map[string]any) { d["title"] = "By hand" })
							}
						},
						Config: cfg("Second"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
				},
			})
		})
	}
}

// TestAccDialectMatrix_group runs the scim_group lifecycle where the app has
// groups, and checks that it fails at plan time, naming the app, where not.
func TestAccDialectMatrix_group(t *testing.T) {
	for _, dc := range dialectCases {
		t.Run(dc.server, func(t *testing.T) {
			srv := newPresetServer(t, dc.server)
			users := seedUsers(srv, "mx", 3)
			cfg := func(members []string) string {
				return vendorProviderConfig(srv, dc.vendor) + fmt.Sprintf(`
resource "scim_group" "test" {
  display_name = "Matrix Group"
  members      = %s
}
`, hclList(members))
			}
			if !dc.groups {
				resource.ParallelTest(t, resource.TestCase{
					PreCheck:                 func() { testAccPreCheck(t) },
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config:      cfg(users[:1]),
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(`scim_group is not supported by [A-Z]\w+[\s\S]*does\s+not\s+support\s+SCIM\s+groups`),
					}},
				})
				if n := srv.Count("POST"); n != 0 {
					t.Errorf("%d POST requests sent before the plan failed", n)
				}
				return
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkGroupsDeleted(srv),
				Steps: []resource.TestStep{
					{Config: cfg(users[:2]), Check: checkServerMembers(srv, users[:2])},
					{Config: cfg(users[1:]), Check: checkServerMembers(srv, users[1:])},
					{ResourceName: groupAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: dc.importIgnore()},
					{
						// A member removed in the app shows as drift and is put back.
						PreConfig: func() {
							for _, g := range srv.All("Groups") {
								srv.Modify("Groups", fmt.Sprint(g["id"]), func(doc map[string]any) {
									doc["members"] = []any{map[string]any{"value": users[1]}}
								})
							}
						},
						Config: cfg(users[1:]),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionUpdate)},
						},
						Check: checkServerMembers(srv, users[1:]),
					},
				},
			})
		})
	}
}

// TestAccDialectMatrix_destroyDelete: destroy_mode = "delete" fails at plan
// time on apps without DELETE, and works elsewhere.
func TestAccDialectMatrix_destroyDelete(t *testing.T) {
	for _, dc := range dialectCases {
		t.Run(dc.server, func(t *testing.T) {
			srv := newPresetServer(t, dc.server)
			step := resource.TestStep{Config: vendorProviderConfig(srv, dc.vendor) + `
resource "scim_user" "test" {
  user_name    = "deleted@example.com"
  display_name = "Deleted User"
  name         = { given_name = "Deleted", family_name = "User" }
  destroy_mode = "delete"
}
`}
			if !dc.deleteUsers {
				step.PlanOnly = true
				step.ExpectError = regexp.MustCompile(`destroy_mode = "delete" is not supported by`)
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

func TestAccProvider_proofFailsAtConfigure(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: vendorProviderConfig(srv, "proof") + `
resource "scim_user" "test" {
  user_name = "x@example.com"
}
`,
			ExpectError: regexp.MustCompile(`Proof cannot be managed through SCIM[\s\S]*no\s+SCIM\s+endpoint[\s\S]*SAML[\s\S]*identity\s+provider`),
		}},
	})
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests sent for vendor = proof, want none", n)
	}
}

func TestAccDialect_passwordRefusedAtPlan(t *testing.T) {
	skipBelowTerraform(t, "1.11.0", "write-only attributes")
	srv := newPresetServer(t, "hyperproof")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: vendorProviderConfig(srv, "hyperproof") + `
resource "scim_user" "test" {
  user_name   = "pw@example.com"
  password_wo = "Secret-123"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`password_wo is not supported by Hyperproof`),
		}},
	})
}

func TestAccDialect_unknownExtensionRefusedAtPlan(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
resource "scim_user" "test" {
  user_name  = "ext@example.com"
  extensions = { "urn:example:not:listed:User" = jsonencode({ a = 1 }) }
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Unknown schema extension[\s\S]*does not list the schema\s+"urn:example:not:listed:User"`),
		}},
	})
}

// A 401 names the credential the app expects.
func TestAccDialect_unauthorizedNamesCredential(t *testing.T) {
	srv := newPresetServer(t, "hyperproof")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "a-rest-api-token"
  vendor   = "hyperproof"
}
resource "scim_user" "test" {
  user_name = "x@example.com"
}
`, srv.URL),
			ExpectError: regexp.MustCompile(`HTTP 401[\s\S]*Settings\s+>\s+Authentication\s+>\s+Provisioning,\s+not\s+a\s+REST\s+API\s+token`),
		}},
	})
}

// TestAccDialectMatrix_memberLimits: on every preset with groups, one
// change replaces a group's members with as many others, one more than a
// single PATCH may add or remove under the preset's limits (101 where the
// cap is 100, 21 on Entra, 8,001 on Miro), and the app ends with exactly
// the new members.
func TestAccDialectMatrix_memberLimits(t *testing.T) {
	for _, dc := range dialectCases {
		if !dc.groups {
			continue
		}
		t.Run(dc.server, func(t *testing.T) {
			d, _ := scim.Preset(dc.vendor)
			adds, removes := d.MemberChunkSize, d.MemberChunkSize
			if d.MemberAddsPerRequest > 0 {
				adds = min(adds, d.MemberAddsPerRequest)
			}
			if d.MemberRemovesPerRequest > 0 {
				removes = min(removes, d.MemberRemovesPerRequest)
			}
			n := max(adds, removes) + 1
			srv := newPresetServer(t, dc.server)
			users := seedUsers(srv, "ml", 2*n)
			cfg := func(members []string) string {
				return vendorProviderConfig(srv, dc.vendor) + fmt.Sprintf(`
resource "scim_group" "test" {
  display_name = "Member limits"
  members      = %s
}
`, hclList(members))
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: cfg(users[:n]), Check: checkServerMembers(srv, users[:n])},
					{Config: cfg(users[n:]), Check: checkServerMembers(srv, users[n:])},
				},
			})
		})
	}
}
