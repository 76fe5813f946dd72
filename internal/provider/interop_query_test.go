package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/scim-terraform/terraform-provider-scim/internal/probe"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// TestAccInteropAdoption runs resource identity (Terraform 1.12+) and the
// list resources (Terraform 1.14+) against the SCIM servers this project
// did not write: identities on create, import by identity, and terraform
// query with a prefix, active, a raw filter and include_resource.
func TestAccInteropAdoption(t *testing.T) {
	runsOnEveryCLI(t)
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) { testInteropAdoption(t, endpoint) })
	}
}

func testInteropAdoption(t *testing.T, endpoint string) {
	config := fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "scim_user" "q1" {
  user_name = "interop-q1@example.com"
  title     = "Auditor"
  emails    = [{ value = "interop-q1@example.com", type = "work", primary = true }]
}

resource "scim_user" "q2" {
  user_name = "interop-q2@example.com"
}

resource "scim_user" "q3" {
  user_name = "interop-q3@example.com"
  active    = false
}

resource "scim_group" "q" {
  display_name = "Interop query"
  members      = [scim_user.q1.id, scim_user.q2.id]
}
`, endpoint)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState("scim_user.q1", tfjsonpath.New("id")),
					statecheck.ExpectIdentityValueMatchesState("scim_group.q", tfjsonpath.New("id")),
				},
			},
			{ResourceName: "scim_user.q1", ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: "scim_group.q", ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{
				Query:    true,
				SkipFunc: querySkip(t),
				Config: `
list "scim_user" "active_q" {
  provider = scim
  config {
    user_name_prefix = "interop-q"
    active           = true
  }
}

list "scim_user" "q1" {
  provider         = scim
  include_resource = true
  config {
    filter = "userName eq \"interop-q1@example.com\""
  }
}

list "scim_group" "q" {
  provider         = scim
  include_resource = true
  config {
    display_name_prefix = "Interop query"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("scim_user.active_q", 2),
					querycheck.ExpectLength("scim_user.q1", 1),
					querycheck.ExpectResourceKnownValues("scim_user.q1", nil, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("user_name"), KnownValue: knownvalue.StringExact("interop-q1@example.com")},
						{Path: tfjsonpath.New("title"), KnownValue: knownvalue.StringExact("Auditor")},
					}),
					querycheck.ExpectLength("scim_group.q", 1),
					querycheck.ExpectResourceKnownValues("scim_group.q", nil, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("members"), KnownValue: knownvalue.ListSizeExact(2)},
					}),
				},
			},
		},
	})
}

// querySkip skips a query step on Terraform before 1.14, where the rest of
// the test case still runs.
func querySkip(t *testing.T) func() (bool, error) {
	return func() (bool, error) {
		return terraformVersion(t).LessThan(version.Must(version.NewVersion("1.14.0"))), nil
	}
}

// TestAccInteropProbe runs scim-probe with its write round trip against the
// SCIM servers this project did not write: each must come out manageable,
// with the throwaway user and group removed, and the suggested block must
// carry the user and group lifecycle.
func TestAccInteropProbe(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			client, err := scim.New(scim.Config{Endpoint: endpoint, Token: "interop", MaxRetries: 1})
			if err != nil {
				t.Fatal(err)
			}
			report := probe.Run(context.Background(), client, probe.Options{Write: true})
			var text strings.Builder
			_ = report.WriteText(&text)
			t.Logf("scim-probe -write against %s:\n%s", name, text.String())
			if !report.Manageable {
				t.Fatal("probe says the app cannot be managed")
			}
			list := scimCall(t, "GET", endpoint+"/Users?count=1000", nil)
			for _, u := range asSlice(list["Resources"]) {
				doc := u.(map[string]any)
				if name := fmt.Sprint(doc["userName"]); strings.HasPrefix(name, "scim-probe-") && fmt.Sprint(doc["active"]) == "true" {
					t.Errorf("throwaway user %s left active", name)
				}
			}
			block := strings.Replace(report.Block, "  # token from SCIM_TOKEN\n", "  token    = \"interop\"\n", 1)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: block + `
resource "scim_user" "p" {
  user_name = "interop-probe@example.com"
  title     = "Engineer"
}

resource "scim_group" "p" {
  display_name = "Interop probe"
  members      = [scim_user.p.id]
}
`},
				},
			})
		})
	}
}
