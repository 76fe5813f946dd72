package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccGuideExamples applies each guide's example against the local
// server preset that behaves like the app. The examples read the endpoint
// and token from the environment, as the guides recommend, so these tests
// set SCIM_ENDPOINT and SCIM_TOKEN and cannot run in parallel.
func TestAccGuideExamples(t *testing.T) {
	guides := []struct {
		dir, server string
		// seed prepares the app as the guide assumes it is; check verifies
		// what the guide promises.
		seed  func(*scimtest.TestServer)
		check func(*scimtest.TestServer) error
	}{
		{dir: "hyperproof", server: "hyperproof"},
		{dir: "secureframe", server: "secureframe"},
		{dir: "hoppscotch", server: "hoppscotch"},
		{dir: "aws_identity_center", server: "aws"},
		{dir: "entra", server: "entra"},
		{dir: "github_emu", server: "github_emu"},
		{dir: "slack", server: "slack"},
		{dir: "salesforce", server: "salesforce"},
		{dir: "databricks", server: "databricks"},
		{dir: "miro", server: "miro"},
		{dir: "google_cloud_identity", server: "google_cloud_identity"},
		{dir: "hcp_terraform", server: "generic"},
		{dir: "split_tenant", server: "generic"},
		{
			// Users an IdP provisioned are adopted, not duplicated, and keep
			// what the configuration does not set.
			dir: "migrate_from_idp", server: "generic",
			seed: func(srv *scimtest.TestServer) {
				for _, u := range []string{"alice@example.com", "bob@example.com"} {
					srv.Put("Users", map[string]any{"userName": u, "active": true, "externalId": "okta-" + u, "title": "Set by the IdP"})
				}
			},
			check: func(srv *scimtest.TestServer) error {
				users := srv.All("Users")
				if len(users) != 2 {
					return fmt.Errorf("%d users after the migration, want the 2 adopted", len(users))
				}
				for _, u := range users {
					if u["externalId"] == nil || u["title"] != "Set by the IdP" {
						return fmt.Errorf("adoption changed what the configuration does not set: %v", u)
					}
				}
				return nil
			},
		},
	}
	for _, g := range guides {
		t.Run(g.dir, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("../../examples/guides", g.dir, "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			srv := newPresetServer(t, g.server)
			if g.seed != nil {
				g.seed(srv)
			}
			t.Setenv("SCIM_ENDPOINT", srv.URL)
			t.Setenv("SCIM_TOKEN", srv.Token)
			step := resource.TestStep{Config: string(body)}
			if g.check != nil {
				step.Check = func(*terraform.State) error { return g.check(srv) }
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkUsersGoneOrInactive(srv),
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

// TestDiscoveryDefaultsDocumented: the compatibility guide's list of
// presets with discovery off is the preset data's.
func TestDiscoveryDefaultsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/guides/scim-compatibility.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `discovery` \\| `true` \\(`false` for ([^)]*)\\)").FindStringSubmatch(string(b))
	if row == nil {
		t.Fatal("the compatibility guide has no discovery row listing the presets with discovery off")
	}
	want := presetsWhere(func(d scim.Dialect) bool { return !d.Discover && d.Name != "proof" })
	if got := row[1]; got != want {
		t.Errorf("the guide says discovery is off for %s; the preset data says %s", got, want)
	}
}
