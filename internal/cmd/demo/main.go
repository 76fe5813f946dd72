// Command demo walks through the provider against the local SCIM server:
// apply, drift detected and fixed, import of a user made outside Terraform,
// and destroy, which deactivates. `make demo` runs it.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

const demoToken = "demo-token"

func main() {
	terraform := flag.String("terraform", "terraform", "Terraform binary")
	providerDir := flag.String("provider-dir", "", "directory holding the built terraform-provider-scim binary")
	config := flag.String("config", "examples/demo", "demo configuration directory")
	workDir := flag.String("work-dir", ".demo/work", "scratch directory (recreated)")
	flag.Parse()
	if *providerDir == "" {
		log.Fatal("demo: -provider-dir is required")
	}
	if err := run(*terraform, *providerDir, *config, *workDir); err != nil {
		log.Fatalf("demo failed: %v", err)
	}
}

type demo struct {
	terraform string
	dir       string
	env       []string
	server    *scimtest.Server
}

func run(terraform, providerDir, config, workDir string) error {
	providerDir, _ = filepath.Abs(providerDir)
	workDir, _ = filepath.Abs(workDir)
	if err := os.RemoveAll(workDir); err != nil {
		return err
	}
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return err
	}
	if err := copyDir(config, workDir); err != nil {
		return err
	}
	cliConfig := filepath.Join(workDir, "..", "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"scim-terraform/scim\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		return err
	}

	server := scimtest.New(scimtest.Options{Token: demoToken})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpServer.Serve(ln) }()
	defer func() { _ = httpServer.Close() }()
	endpoint := "http://" + ln.Addr().String() + scimtest.BasePath

	d := &demo{terraform: terraform, dir: workDir, server: server, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig, "SCIM_ENDPOINT="+endpoint, "SCIM_TOKEN="+demoToken,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")}

	step("1. Local SCIM server at " + endpoint + "; applying " + config)
	if _, err := d.tf(0, "apply", "-auto-approve"); err != nil {
		return err
	}
	d.showUsers()

	step("2. Someone edits alice by hand in the app (title, deactivation) and adds erin to Platform")
	alice := d.userID("alice@example.com")
	server.Modify("Users", alice, func(doc map[string]any) {
		doc["title"] = "Changed by hand"
		doc["active"] = false
	})
	intruder := server.Put("Users", map[string]any{"userName": "erin@example.com", "displayName": "Erin Outsider", "active": true,
		"emails": []any{map[string]any{"value": "erin@example.com", "type": "work", "primary": true}}})
	for _, g := range server.All("Groups") {
		if g["displayName"] == "Platform" {
			server.Modify("Groups", fmt.Sprint(g["id"]), func(doc map[string]any) {
				members, _ := doc["members"].([]any)
				doc["members"] = append(members, map[string]any{"value": intruder})
			})
		}
	}
	step("   terraform plan shows the drift")
	if code, err := d.tf(2, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("expected a plan with changes (exit 2), got %d: %w", code, err)
	}
	step("   terraform apply fixes it, and the next plan is empty")
	if _, err := d.tf(0, "apply", "-auto-approve"); err != nil {
		return err
	}
	if _, err := d.tf(0, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("plan after the fix is not empty: %w", err)
	}

	step("3. erin, created outside Terraform, is imported by userName")
	imported := `
resource "scim_user" "erin" {
  user_name    = "erin@example.com"
  display_name = "Erin Outsider"
  emails       = [{ value = "erin@example.com", type = "work", primary = true }]
}
`
	if err := os.WriteFile(filepath.Join(workDir, "imported.tf"), []byte(imported), 0o600); err != nil {
		return err
	}
	if _, err := d.tf(0, "import", "scim_user.erin", "user_name:erin@example.com"); err != nil {
		return err
	}
	if _, err := d.tf(0, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("plan after import is not empty: %w", err)
	}

	step("4. The whole tenant is imported in one apply by the recipe in examples/tenant-import")
	tenant := &demo{terraform: d.terraform, dir: filepath.Join(workDir, "..", "tenant"), server: server, env: d.env}
	if err := os.RemoveAll(tenant.dir); err != nil {
		return err
	}
	if err := os.MkdirAll(tenant.dir, 0o755); err != nil {
		return err
	}
	if err := copyDir("examples/tenant-import", tenant.dir); err != nil {
		return err
	}
	if _, err := tenant.tf(0, "apply", "-auto-approve"); err != nil {
		return err
	}
	if _, err := tenant.tf(0, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("plan after the tenant import is not empty: %w", err)
	}

	step("5. terraform destroy deactivates the users; they stay in the app, inactive")
	if _, err := d.tf(0, "destroy", "-auto-approve"); err != nil {
		return err
	}
	d.showUsers()
	for _, doc := range server.All("Users") {
		if doc["active"] != false {
			return fmt.Errorf("user %v is still active after destroy", doc["userName"])
		}
	}
	step("Demo finished: every step behaved as expected.")
	return nil
}

func step(msg string) { fmt.Printf("\n\033[1m==> %s\033[0m\n", msg) }

// tf runs terraform in the work directory and checks its exit code.
func (d *demo) tf(wantCode int, args ...string) (int, error) {
	fmt.Printf("$ terraform %s\n", strings.Join(args, " "))
	cmd := exec.Command(d.terraform, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = d.dir, d.env
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(os.Stdout, &out)
	cmd.Stderr = io.MultiWriter(os.Stderr, &out)
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return code, err
	}
	if code != wantCode {
		return code, fmt.Errorf("terraform %s exited %d, want %d", args[0], code, wantCode)
	}
	return code, nil
}

func (d *demo) userID(userName string) string {
	for _, doc := range d.server.All("Users") {
		if doc["userName"] == userName {
			id, _ := doc["id"].(string)
			return id
		}
	}
	return ""
}

func (d *demo) showUsers() {
	docs := d.server.All("Users")
	sort.Slice(docs, func(i, j int) bool { return fmt.Sprint(docs[i]["userName"]) < fmt.Sprint(docs[j]["userName"]) })
	fmt.Println("   Users on the SCIM server:")
	for _, doc := range docs {
		fmt.Printf("   - %-22v active=%-5v title=%v\n", doc["userName"], doc["active"], doc["title"])
	}
}

func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
