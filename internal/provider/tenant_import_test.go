package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// The tenant flow of the import guide, end to end on Terraform 1.14+: a
// tenant of 200 users and 10 groups with members becomes configuration
// with `terraform query -generate-config-out`, one apply imports all of it
// with no change and no write to the app, and the next plan is empty.
func TestAccTenantAdoptionByQuery(t *testing.T) {
	skipBelowTerraform(t, "1.14.0", "list resources and terraform query -generate-config-out")
	if strings.Contains(terraformVersionLine(t), "OpenTofu") {
		t.Skip("OpenTofu has no terraform query; its tenant import path is the for_each import blocks (TestAccUsersDataSource_importTenant)")
	}
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	userIDs, groupIDs := seedTenant(srv, 200, 10)
	d := newTFDir(t)
	d.write(providerConfig(srv))
	if err := d.dir.Write("tenant.tfquery.hcl", `
list "scim_user" "all" {
  provider         = scim
  include_resource = true
  limit            = 10000
}

list "scim_group" "all" {
  provider         = scim
  include_resource = true
  limit            = 10000
}
`); err != nil {
		t.Fatal(err)
	}
	d.mustRun("init")
	out := d.mustRun("query", "-generate-config-out=generated.tf")
	t.Logf("terraform query -generate-config-out=generated.tf (last lines):\n%s", lastLines(out, 6))
	generated, err := os.ReadFile(filepath.Join(d.dir.Path, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.Index(string(generated), `resource "scim_user"`); i >= 0 {
		t.Logf("generated.tf, first user:\n%s", firstLines(string(generated[i:]), 40))
	}
	count := func(pattern string) int { return len(regexp.MustCompile(pattern).FindAll(generated, -1)) }
	if users, groups, imports := count(`(?m)^resource "scim_user"`), count(`(?m)^resource "scim_group"`), count(`(?m)^import \{`); users != len(userIDs) || groups != len(groupIDs) || imports != len(userIDs)+len(groupIDs) {
		t.Fatalf("generated.tf has %d scim_user, %d scim_group and %d import blocks; want %d, %d and %d",
			users, groups, imports, len(userIDs), len(groupIDs), len(userIDs)+len(groupIDs))
	}
	srv.ResetCounts()
	out = d.mustRun("apply", "-auto-approve")
	if !strings.Contains(out, "Apply complete! Resources: 210 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("the apply did more than import:\n%s", lastLines(out, 20))
	}
	t.Logf("terraform apply: %s", lastLines(out, 1))
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if n := srv.Count(method); n != 0 {
			t.Errorf("%d %s requests during the import apply; an import writes nothing", n, method)
		}
	}
	code, out := d.run("plan", "-detailed-exitcode")
	if code != 0 {
		t.Fatalf("the plan after import is not empty (exit %d):\n%s", code, lastLines(out, 40))
	}
	t.Logf("terraform plan -detailed-exitcode: exit 0:\n%s", lastLines(out, 4))
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestAccImportGroupReadsMembersByFilter (issue 43, item 9): importing a
// group from an app whose reads never show members (members_read =
// "filter") stores the members the app holds, as the docs promise, so the
// configuration that lists them plans nothing.
func TestAccImportGroupReadsMembersByFilter(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{MembersNever: true}})
	uid := srv.Put("Users", map[string]any{"userName": "member@example.com", "active": true})
	srv.Put("Users", map[string]any{"userName": "other@example.com", "active": true})
	gid := srv.Put("Groups", map[string]any{"displayName": "Imported", "members": []any{map[string]any{"value": uid}}})
	d := newTFDir(t)
	d.write(providerConfigWith(srv, `dialect = { members_read = "filter" }`) + fmt.Sprintf(`
resource "scim_group" "g" {
  display_name = "Imported"
  members      = [%q]
}
`, uid))
	d.mustRun("init")
	d.mustRun("import", "scim_group.g", gid)
	if code, out := d.run("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Fatalf("the plan after importing the group is not empty (exit %d): the import did not read its members\n%s", code, out)
	}
}
