package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

var (
	importCommand   = regexp.MustCompile(`terraform import (\S+) "?([^"\s]+)"?`)
	importBlockTo   = regexp.MustCompile(`to\s*=\s*(\S+)`)
	resourceAddress = regexp.MustCompile(`resource "([a-z_]+)" "([a-z_0-9]+)"`)
)

// TestAccImportExamples walks every import a resource page documents: the
// address of each `terraform import` command and import block is declared
// by the page's own example, and the example's objects import by each
// documented form (SCIM id, user_name:, display_name:, group/member id) and
// by identity (Terraform 1.12+).
func TestAccImportExamples(t *testing.T) {
	runsOnEveryCLI(t)
	dirs, _ := filepath.Glob("../../examples/resources/*")
	if len(dirs) == 0 {
		t.Fatal("no resource examples found")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			example := readExample(t, filepath.Join(dir, "resource.tf"))
			declared := map[string]bool{}
			for _, m := range resourceAddress.FindAllStringSubmatch(example, -1) {
				declared[m[1]+"."+m[2]] = true
			}
			commands := importCommand.FindAllStringSubmatch(readExample(t, filepath.Join(dir, "import.sh")), -1)
			blocks := importBlockTo.FindAllStringSubmatch(readExample(t, filepath.Join(dir, "import-by-identity.tf")), -1)
			if len(commands) == 0 || len(blocks) == 0 {
				t.Fatal("the page documents no import command or no import block")
			}
			for _, m := range append(commands, blocks...) {
				if !declared[m[1]] {
					t.Errorf("the import example names %s, which the page's example does not declare", m[1])
				}
			}
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			config := providerConfig(srv) + example
			steps := []resource.TestStep{{Config: config}}
			for _, m := range commands {
				addr, form := m[1], m[2]
				steps = append(steps, resource.TestStep{
					Config: config, ResourceName: addr, ImportState: true,
					ImportStateIdFunc: func(s *terraform.State) (string, error) { return documentedImportID(s, addr, form) },
				})
			}
			steps = append(steps, resource.TestStep{
				Config: config, ResourceName: blocks[0][1], ImportState: true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				// The page says extensions are not imported: only the keys
				// configured are managed, so the plan after import adds them.
				ExpectNonEmptyPlan: strings.Contains(example, "extensions = {"),
			})
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
				Steps:                    steps,
			})
		})
	}
}

func readExample(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// documentedImportID turns the documented import ID into the one for the
// object the example made: a SCIM id (or group/member pair) becomes the
// object's, a user_name: or display_name: form is kept as written.
func documentedImportID(s *terraform.State, addr, form string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", addr)
	}
	switch {
	case strings.Contains(form, ":"):
		return form, nil
	case strings.Contains(form, "/"):
		return rs.Primary.Attributes["group_id"] + "/" + rs.Primary.Attributes["member_id"], nil
	}
	return rs.Primary.ID, nil
}
