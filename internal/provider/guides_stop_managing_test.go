package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccStopManagingGuide walks the "Stop managing a user" guide with its
// example files (examples/guides/stop_managing): a removed block in place
// of a user's resource makes Terraform forget the user with no request
// that changes the app (the user stays active there); prevent_destroy on
// an emergency account makes a plan that would deactivate it (here
// terraform destroy) fail, for as long as its block is in the configuration.
func TestAccStopManagingGuide(t *testing.T) {
	testAccPreCheck(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	work := builtProviderDir(t, t.TempDir(), devOverrides, "TF_VAR_scim_endpoint="+srv.URL, "SCIM_TOKEN="+srv.Token)
	example := "../../examples/guides/stop_managing"
	use := func(files ...string) {
		t.Helper()
		old, _ := filepath.Glob(filepath.Join(work.Path, "*.tf"))
		for _, f := range old {
			_ = os.Remove(f)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(example, f))
			if err != nil {
				t.Fatal(err)
			}
			if err := work.Write(filepath.Base(f), string(b)); err != nil {
				t.Fatal(err)
			}
		}
	}
	run := func(code int, args ...string) string { t.Helper(); return runWant(t, work, code, args...) }
	user := func(name string) map[string]any {
		for _, u := range srv.All("Users") {
			if u["userName"] == name {
				return u
			}
		}
		return nil
	}
	use("provider.tf", "break_glass.tf", "contractor.tf")
	run(0, "apply", "-auto-approve")

	use("provider.tf", "break_glass.tf", "removed/removed.tf")
	writes := len(srv.Requests())
	run(0, "apply", "-auto-approve")
	for _, r := range srv.Requests()[writes:] {
		if r.Method != "GET" {
			t.Errorf("forgetting the contractor sent %s %s", r.Method, r.Path)
		}
	}
	if u := user("contractor@example.com"); u == nil || u["active"] == false {
		t.Errorf("the contractor is not active in the app after the removed block: %v", u)
	}
	if out := run(0, "state", "list"); regexp.MustCompile(`contractor`).MatchString(out) {
		t.Errorf("the contractor is still in the state:\n%s", out)
	}

	out := run(1, "plan", "-destroy")
	if !regexp.MustCompile(`(?s)prevent_destroy`).MatchString(out) {
		t.Errorf("the plan that would deactivate the break-glass account did not fail on prevent_destroy:\n%s", out)
	}
	if u := user("break-glass@example.com"); u == nil || u["active"] == false {
		t.Errorf("the break-glass account is not active: %v", u)
	}
}
