package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// exampleSeed is what data source examples expect to find in the app.
func exampleSeed(srv *scimtest.TestServer) {
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com", "externalId": "00u1abcd", "active": true,
		"emails": []any{map[string]any{"value": "alice@example.com", "type": "work", "primary": true}}})
	srv.Put("Users", map[string]any{"userName": "bob@example.com", "active": false})
	srv.Put("Groups", map[string]any{"displayName": "Engineering", "members": []any{map[string]any{"value": alice}}})
}

// TestAccExamples applies every resource and data source example of the
// docs against a fresh local server, so the docs never show a broken example.
func TestAccExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/resources/*/resource*.tf")
	dataFiles, _ := filepath.Glob("../../examples/data-sources/*/data-source*.tf")
	files = append(files, dataFiles...)
	if len(files) == 0 {
		t.Fatal("no examples found")
	}
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			if strings.Contains(file, "data-sources") {
				exampleSeed(srv)
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: providerConfig(srv) + string(body)}},
			})
		})
	}
}

// TestAccListResourceExamples runs every list resource example of the docs
// with `terraform query` (Terraform 1.14+) against a seeded local server.
func TestAccListResourceExamples(t *testing.T) {
	runsOnEveryCLI(t)
	files, _ := filepath.Glob("../../examples/list-resources/*/list-resource*.tfquery.hcl")
	if len(files) == 0 {
		t.Fatal("no list resource examples found")
	}
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			exampleSeed(srv)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
				Steps: []resource.TestStep{
					{Config: providerConfig(srv)},
					{Query: true, Config: string(body)},
				},
			})
		})
	}
}

// TestAccProviderExample applies the index page's example as a user would
// write it: required_providers with the registry address and a version
// constraint, endpoint and token from variables.
func TestAccProviderExample(t *testing.T) {
	runsOnEveryCLI(t)
	body, err := os.ReadFile("../../examples/provider/provider.tf")
	if err != nil {
		t.Fatal(err)
	}
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "scim-terraform")
	t.Setenv("TF_VAR_scim_endpoint", srv.URL)
	t.Setenv("TF_VAR_scim_token", srv.Token)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{Config: string(body) + `
resource "scim_user" "alice" {
  user_name = "alice@example.com"
}
`}},
	})
}
