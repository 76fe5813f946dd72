package provider

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// testAccProtoV6ProviderFactories runs the provider in-process for acceptance tests.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"scim": func() (tfprotov6.ProviderServer, error) {
		return NewReleasingServer(providerserver.NewProtocol6(New("test")())()), nil
	},
}

// cliLegEnv names the environment variable that scripts/acceptance-leg.sh
// sets on the legs that run the suite on a CLI other than the main one (the
// newest Terraform, OpenTofu): there only the tests marked by runsOnEveryCLI
// run, so each test runs once on the main CLI (make test) and only what
// differs between CLIs runs again.
const cliLegEnv = "SCIM_ACC_CLI_LEG"

// everyCLI holds the names of the tests marked by runsOnEveryCLI.
var everyCLI sync.Map

// runsOnEveryCLI marks a test that must run on every CLI leg, not only on
// the main one: a test of a feature some CLI versions lack (skipBelowTerraform
// marks those itself; a test with TerraformVersionChecks calls this),
// behaviour that differs between Terraform and OpenTofu, and each resource's
// and data source's representative lifecycle. Call it first in the test.
func runsOnEveryCLI(t *testing.T) {
	everyCLI.Store(t.Name(), true)
}

// skipUnlessThisCLILegRunsIt skips, on a secondary CLI leg, a test that
// runs on the main CLI only.
func skipUnlessThisCLILegRunsIt(t *testing.T) {
	t.Helper()
	leg := os.Getenv(cliLegEnv)
	if leg == "" {
		return
	}
	for name := t.Name(); ; name = name[:strings.LastIndex(name, "/")] {
		if _, ok := everyCLI.Load(name); ok {
			return
		}
		if !strings.Contains(name, "/") {
			break
		}
	}
	t.Skipf("runs on the main CLI only (make test), not on the %s leg: mark it with runsOnEveryCLI if it depends on the CLI", leg)
}

// testAccPreCheck fails early when no Terraform binary is available (tests
// must never download one) and skips, on a secondary CLI leg, the tests that
// run on the main CLI only.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	skipUnlessThisCLILegRunsIt(t)
	if os.Getenv("TF_ACC_TERRAFORM_PATH") != "" {
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("no terraform on PATH and TF_ACC_TERRAFORM_PATH unset; run `make terraform` (tests never download Terraform)")
	}
}

// terraformVersionLine is the first line of `terraform version` for the
// binary the tests use ("Terraform v1.11.4", "OpenTofu v1.12.6").
func terraformVersionLine(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	return strings.SplitN(string(out), "\n", 2)[0]
}

// terraformVersion returns the version of the Terraform binary the tests use.
func terraformVersion(t *testing.T) *version.Version {
	t.Helper()
	first := strings.Fields(terraformVersionLine(t))
	v, err := version.NewVersion(strings.TrimPrefix(first[len(first)-1], "v"))
	if err != nil {
		t.Fatalf("parsing terraform version %q: %v", first, err)
	}
	return v
}

// skipBelowTerraform skips a test that needs a newer Terraform.
// It marks the test as one that runs on every CLI leg: a feature that
// depends on the version must run on each CLI that has it.
func skipBelowTerraform(t *testing.T, minimum, why string) {
	t.Helper()
	runsOnEveryCLI(t)
	if terraformVersion(t).LessThan(version.Must(version.NewVersion(minimum))) {
		t.Skipf("needs Terraform >= %s (%s); found %s", minimum, why, terraformVersion(t))
	}
}

// providerConfig is the provider block pointing at a test server.
func providerConfig(srv *scimtest.TestServer) string {
	return providerConfigWith(srv, "")
}

// providerConfigWith is providerConfig with more settings, such as a dialect block.
func providerConfigWith(srv *scimtest.TestServer, settings string) string {
	return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = %q
  %s
}
`, srv.URL, srv.Token, settings)
}
