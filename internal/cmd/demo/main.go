// Command demo walks through the provider against the local SCIM server:
// apply, drift detected and fixed, import of a user made outside Terraform,
// and destroy, which deactivates. `make demo` runs it.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
	"github.com/scim-terraform/terraform-provider-scim/internal/tfcli"
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
	*tfcli.Dir
	server *scimtest.Server
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
	server := scimtest.New(scimtest.Options{Token: demoToken})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	httpServer := &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpServer.Serve(ln) }()
	defer func() { _ = httpServer.Close() }()
	endpoint := "http://" + ln.Addr().String() + scimtest.BasePath

	newDemo := func(path string) (*demo, error) {
		dir, err := tfcli.New(path, terraform, tfcli.DevOverrides("scim-terraform/scim", providerDir),
			"SCIM_ENDPOINT="+endpoint, "SCIM_TOKEN="+demoToken)
		if err != nil {
			return nil, err
		}
		dir.Echo = os.Stdout
		return &demo{Dir: dir, server: server}, nil
	}
	d, err := newDemo(workDir)
	if err != nil {
		return err
	}
	step("1. Local SCIM server at " + endpoint + "; applying " + config)
	if _, err := d.tf(0, "apply", "-auto-approve"); err != nil {
		return err
	}
	d.showUsers()
	if err := d.driftAndFix(); err != nil {
		return err
	}
	if err := d.importByUserName(); err != nil {
		return err
	}
	if err := d.queryTenant(); err != nil {
		return err
	}
	step("5. The whole tenant is imported in one apply by the for_each recipe in examples/tenant-import (Terraform 1.7+)")
	tenantPath := filepath.Join(workDir, "..", "tenant")
	if err := os.RemoveAll(tenantPath); err != nil {
		return err
	}
	tenant, err := newDemo(tenantPath)
	if err != nil {
		return err
	}
	if err := tenant.importTenant(); err != nil {
		return err
	}
	return d.destroyDeactivates()
}

// driftAndFix edits the app by hand, then shows plan finding it and apply
// putting it back.
func (d *demo) driftAndFix() error {
	step("2. Someone edits alice by hand in the app (title, deactivation) and adds erin to Platform")
	alice := d.userID("alice@example.com")
	d.server.Modify("Users", alice, func(doc map[string]any) {
		doc["title"] = "Changed by hand"
		doc["active"] = false
	})
	intruder := d.server.Put("Users", map[string]any{"userName": "erin@example.com", "displayName": "Erin Outsider", "active": true,
		"emails": []any{map[string]any{"value": "erin@example.com", "type": "work", "primary": true}}})
	for _, g := range d.server.All("Groups") {
		if g["displayName"] == "Platform" {
			d.server.Modify("Groups", fmt.Sprint(g["id"]), func(doc map[string]any) {
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
	return nil
}

func (d *demo) importByUserName() error {
	step("3. erin, created outside Terraform, is imported by userName")
	imported := `
resource "scim_user" "erin" {
  user_name    = "erin@example.com"
  display_name = "Erin Outsider"
  emails       = [{ value = "erin@example.com", type = "work", primary = true }]
}
`
	if err := d.Write("imported.tf", imported); err != nil {
		return err
	}
	if _, err := d.tf(0, "import", "scim_user.erin", "user_name:erin@example.com"); err != nil {
		return err
	}
	if _, err := d.tf(0, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("plan after import is not empty: %w", err)
	}
	return nil
}

// demoQuery lists the tenant with the list resources.
const demoQuery = `list "scim_user" "active" {
  provider = scim
  config {
    active = true
  }
}

list "scim_group" "all" {
  provider = scim
}
`

// queryTenant runs terraform query where the Terraform supports it (1.14+)
// and says so where it does not.
func (d *demo) queryTenant() error {
	res, err := d.Run(nil, "version")
	if err != nil {
		return err
	}
	first := strings.SplitN(strings.TrimSpace(res.Output), "\n", 2)[0]
	if !supportsQuery(first) {
		step("4. terraform query skipped: it needs Terraform 1.14 or later, and this is " + first +
			"; on older versions and OpenTofu, import a tenant with the for_each recipe (next step)")
		return nil
	}
	step("4. terraform query lists the tenant (list resources, Terraform 1.14+); -generate-config-out would write it as configuration")
	if err := d.Write("tenant.tfquery.hcl", demoQuery); err != nil {
		return err
	}
	_, err = d.tf(0, "query")
	return err
}

// supportsQuery reads `terraform version`'s first line ("Terraform v1.15.9").
func supportsQuery(versionLine string) bool {
	name, number, _ := strings.Cut(versionLine, " v")
	v, err := version.NewVersion(number)
	return name == "Terraform" && err == nil && !v.LessThan(version.Must(version.NewVersion("1.14.0")))
}

func (d *demo) importTenant() error {
	if err := copyDir("examples/tenant-import", d.Path); err != nil {
		return err
	}
	if _, err := d.tf(0, "apply", "-auto-approve"); err != nil {
		return err
	}
	if _, err := d.tf(0, "plan", "-detailed-exitcode"); err != nil {
		return fmt.Errorf("plan after the tenant import is not empty: %w", err)
	}
	return nil
}

func (d *demo) destroyDeactivates() error {
	step("6. terraform destroy deactivates the users; they stay in the app, inactive")
	if _, err := d.tf(0, "destroy", "-auto-approve"); err != nil {
		return err
	}
	d.showUsers()
	for _, doc := range d.server.All("Users") {
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
	res, err := d.Run(nil, args...)
	if err != nil {
		return res.Code, err
	}
	if res.Code != wantCode {
		return res.Code, fmt.Errorf("terraform %s exited %d, want %d", args[0], res.Code, wantCode)
	}
	return res.Code, nil
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
