package provider

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
	"github.com/scim-terraform/terraform-provider-scim/internal/tfcli"
)

// TestAccDriftDetectionGuide runs the drift detection guide's script as the
// scheduled job does, against the guide's configuration: no drift exits 0;
// a user and a group changed by hand exit 2 with both named in
// drift-report.md; after an apply it is 0 again; a wrong token exits 1
// with the plan's error, not a drift report.
func TestAccDriftDetectionGuide(t *testing.T) {
	testAccPreCheck(t)
	providerDir, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	base := t.TempDir()
	copyTree(t, "../../examples/guides/drift_detection", base)
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	work, err := tfcli.New(base, bin, tfcli.DevOverrides("scim-terraform/scim", providerDir),
		"SCIM_ENDPOINT="+srv.URL, "SCIM_TOKEN="+srv.Token)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := work.Run(nil, "apply", "-auto-approve"); err != nil || res.Code != 0 {
		t.Fatalf("apply: %v\n%s", err, res.Output)
	}
	check := func(wantCode int, extraEnv ...string) string {
		t.Helper()
		cmd := exec.Command("./check-drift.sh")
		cmd.Dir = base
		cmd.Env = append(append(append([]string(nil), work.Env...), "TERRAFORM="+bin), extraEnv...)
		out, err := cmd.CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != wantCode {
			t.Fatalf("check-drift.sh exited %d, want %d:\n%s", code, wantCode, out)
		}
		return string(out)
	}
	check(0)

	users := srv.All("Users")
	groups := srv.All("Groups")
	if len(users) != 1 || len(groups) != 1 {
		t.Fatalf("the example made %d users and %d groups, want 1 each", len(users), len(groups))
	}
	srv.Modify("Users", users[0]["id"].(string), func(doc map[string]any) { doc["title"] = "Changed by hand" })
	srv.Modify("Groups", groups[0]["id"].(string), func(doc map[string]any) { doc["members"] = []any{} })
	check(2)
	report, err := os.ReadFile(filepath.Join(base, "drift-report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- scim_user.auditor will be updated in-place", "- scim_group.auditors will be updated in-place"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("drift-report.md does not say %q:\n%s", want, report)
		}
	}

	if res, err := work.Run(nil, "apply", "-auto-approve"); err != nil || res.Code != 0 {
		t.Fatalf("apply: %v\n%s", err, res.Output)
	}
	check(0)

	out := check(1, "SCIM_TOKEN=wrong-token")
	if !strings.Contains(out, "401") {
		t.Errorf("a failed plan should show its error, got:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(base, "drift-report.md")); err == nil {
		t.Error("a failed plan left a drift report")
	}
	if res, err := work.Run(nil, "destroy", "-auto-approve"); err != nil || res.Code != 0 {
		t.Fatalf("destroy: %v\n%s", err, res.Output)
	}
}
