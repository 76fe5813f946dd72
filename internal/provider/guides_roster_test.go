package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
	"github.com/scim-terraform/terraform-provider-scim/internal/tfcli"
)

// copyTree copies the files under src into dst, keeping the layout.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, info.Mode().Perm()) // scripts stay executable
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rosterUsers checks which users each app holds, and which are active.
func rosterUsers(t *testing.T, apps map[string]*scimtest.TestServer, want map[string]string) {
	t.Helper()
	for app, srv := range apps {
		var got []string
		for _, u := range srv.All("Users") {
			state := "active"
			if u["active"] == false {
				state = "inactive"
			}
			got = append(got, fmt.Sprintf("%s:%s", u["userName"], state))
		}
		slices.Sort(got)
		if strings.Join(got, " ") != want[app] {
			t.Errorf("%s holds %v, want %s", app, got, want[app])
		}
	}
}

// builtProvider builds the provider binary once per test binary, for tests
// that run Terraform the way users do: one plugin process per provider
// configuration. (The test harness and newTFDir attach Terraform to one
// provider server in this process, which every configuration then shares,
// so provider aliases cannot be told apart there.)
var builtProvider = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "scim-provider-build")
	if err != nil {
		return "", err
	}
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-scim"), "../..").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return dir, nil
})

// builtProviderDir is a Terraform working directory at path whose CLI
// configuration (made by cliConfig from the built provider's directory)
// serves the provider the way a user's would.
func builtProviderDir(t *testing.T, path string, cliConfig func(providerDir string) string, env ...string) *tfcli.Dir {
	t.Helper()
	providerDir, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	work, err := tfcli.New(path, bin, cliConfig(providerDir), env...)
	if err != nil {
		t.Fatal(err)
	}
	return work
}

// devOverrides is the CLI configuration that serves the built provider.
func devOverrides(providerDir string) string {
	return tfcli.DevOverrides("scim-terraform/scim", providerDir)
}

// runWant runs terraform in work and fails t unless it exits with code.
func runWant(t *testing.T, work *tfcli.Dir, code int, args ...string) string {
	t.Helper()
	res, err := work.Run(nil, args...)
	if err == nil {
		err = res.Want(code, args...)
	}
	if err != nil {
		t.Fatal(err)
	}
	return res.Output
}

// TestAccRosterGuide runs the roster guide's example as a user would, with
// the Terraform CLI and the built provider in a copy of examples/guides (a
// module per app, and two provider configurations, which the test harness
// cannot run): one
// CSV file of people provisions two apps (Hyperproof and Hoppscotch
// models) through provider aliases; the plan after apply is empty; taking
// someone off the roster deactivates them in the app they had. On
// OpenTofu the provider for_each variant runs as well.
func TestAccRosterGuide(t *testing.T) {
	runsOnEveryCLI(t)
	variants := []string{"roster"}
	if strings.Contains(terraformVersionLine(t), "OpenTofu") {
		variants = append(variants, "roster_opentofu")
	}
	for _, variant := range variants {
		t.Run(variant, func(t *testing.T) {
			apps := map[string]*scimtest.TestServer{"hyperproof": newPresetServer(t, "hyperproof"), "hoppscotch": newPresetServer(t, "hoppscotch")}
			settings := map[string]map[string]string{}
			var env []string
			for name, srv := range apps {
				env = append(env, "TF_VAR_"+name+"_endpoint="+srv.URL, "TF_VAR_"+name+"_token="+srv.Token)
				settings[name] = map[string]string{"endpoint": srv.URL, "token": srv.Token, "vendor": name}
			}
			b, _ := json.Marshal(settings)
			env = append(env, "TF_VAR_apps="+string(b))
			testAccPreCheck(t)
			base := t.TempDir()
			copyTree(t, "../../examples/guides", base)
			work := builtProviderDir(t, filepath.Join(base, variant), devOverrides, env...)
			run := func(code int, args ...string) { t.Helper(); runWant(t, work, code, args...) }
			// Modules only: dev_overrides serve the provider, and init would
			// look it up in the registry.
			run(0, "get")
			run(0, "apply", "-auto-approve")
			rosterUsers(t, apps, map[string]string{
				"hyperproof": "alice@example.com:active bob@example.com:active",
				"hoppscotch": "alice@example.com:active carol@example.com:active",
			})
			run(0, "plan", "-detailed-exitcode")

			roster := filepath.Join(base, "roster", "people.csv")
			csv, err := os.ReadFile(roster)
			if err != nil {
				t.Fatal(err)
			}
			// Bob leaves Hyperproof (deactivated there) and Carol Hoppscotch,
			// which deletes a user it deactivates: each app as its guide says.
			left := string(csv)
			for _, row := range []string{"bob@example.com,Bob,Builder,Security,hyperproof\n", "carol@example.com,Carol,Chen,Engineering,hoppscotch\n"} {
				if !strings.Contains(left, row) {
					t.Fatalf("the roster no longer has the row %q the test expects", row)
				}
				left = strings.Replace(left, row, "", 1)
			}
			if err := os.WriteFile(roster, []byte(left), 0o600); err != nil {
				t.Fatal(err)
			}
			run(0, "apply", "-auto-approve")
			rosterUsers(t, apps, map[string]string{
				"hyperproof": "alice@example.com:active bob@example.com:inactive",
				"hoppscotch": "alice@example.com:active",
			})
			run(0, "plan", "-detailed-exitcode")
			// Both come back: Bob's account is reactivated, Carol's made again;
			// neither is duplicated.
			if err := os.WriteFile(roster, csv, 0o600); err != nil {
				t.Fatal(err)
			}
			run(0, "apply", "-auto-approve")
			rosterUsers(t, apps, map[string]string{
				"hyperproof": "alice@example.com:active bob@example.com:active",
				"hoppscotch": "alice@example.com:active carol@example.com:active",
			})
			run(0, "plan", "-detailed-exitcode")
			run(0, "destroy", "-auto-approve")
		})
	}
}
