package provider

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccFromSourceGuide walks the "Using a build of the provider" guide
// with its own CLI configurations (examples/guides/from_source), only the
// placeholder paths replaced: with dev_overrides, plan and apply work
// without terraform init; with a filesystem mirror, terraform init installs
// the provider and records it in the lock file, then apply works.
func TestAccFromSourceGuide(t *testing.T) {
	testAccPreCheck(t)
	providerDir, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	example := "../../examples/guides/from_source"
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(example, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tc := range []struct{ name, rc, placeholder string }{
		{"dev_overrides", "dev_overrides.tfrc", "/home/you/terraform-provider-scim/bin"},
		{"filesystem_mirror", "filesystem_mirror.tfrc", "/home/you/terraform-providers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			target := providerDir
			if tc.name == "filesystem_mirror" {
				// The layout the guide tells users to make.
				target = t.TempDir()
				platform := runtime.GOOS + "_" + runtime.GOARCH
				dir := filepath.Join(target, "registry.terraform.io", "scim-terraform", "scim", "0.1.0", platform)
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.Join(providerDir, "terraform-provider-scim"), filepath.Join(dir, "terraform-provider-scim_v0.1.0")); err != nil {
					t.Fatal(err)
				}
			}
			rc := read(tc.rc)
			if !strings.Contains(rc, tc.placeholder) {
				t.Fatalf("%s no longer has the placeholder %s", tc.rc, tc.placeholder)
			}
			work := builtProviderDir(t, t.TempDir(), func(string) string { return strings.ReplaceAll(rc, tc.placeholder, target) },
				"TF_VAR_scim_endpoint="+srv.URL, "SCIM_TOKEN="+srv.Token)
			if err := work.Write("main.tf", read("main.tf")); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) { t.Helper(); runWant(t, work, 0, args...) }
			if tc.name == "filesystem_mirror" {
				run("init")
				if _, err := os.Stat(filepath.Join(work.Path, ".terraform.lock.hcl")); err != nil {
					t.Errorf("terraform init wrote no lock file: %v", err)
				}
			}
			run("apply", "-auto-approve")
			if users := srv.All("Users"); len(users) != 1 || users[0]["userName"] != "first.user@example.com" {
				t.Fatalf("the app holds %v, want the example's user", users)
			}
			run("destroy", "-auto-approve")
		})
	}
}
