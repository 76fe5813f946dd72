package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// tfDir is a Terraform working directory driven directly with the CLI, for
// tests that must survive a failing apply (plugin-testing fails the test on
// the first unexpected error). The provider runs in this process and
// Terraform attaches to it.
type tfDir struct {
	t   *testing.T
	dir string
	env []string
}

func newTFDir(t *testing.T) *tfDir {
	t.Helper()
	testAccPreCheck(t)
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve("registry.terraform.io/scim-terraform/scim",
			func() tfprotov6.ProviderServer {
				return NewReleasingServer(providerserver.NewProtocol6(New("test")())())
			},
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	cfg := <-reattach
	t.Cleanup(func() { cancel(); <-closed })
	attach, _ := json.Marshal(map[string]any{"registry.terraform.io/scim-terraform/scim": map[string]any{
		"Protocol": "grpc", "ProtocolVersion": 6, "Pid": os.Getpid(), "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d := &tfDir{t: t, dir: dir, env: append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(attach),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")}
	return d
}

func (d *tfDir) write(config string) {
	d.t.Helper()
	body := "terraform {\n  required_providers {\n    scim = { source = \"scim-terraform/scim\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(d.dir, "main.tf"), []byte(body), 0o600); err != nil {
		d.t.Fatal(err)
	}
}

// run runs terraform and returns its exit code and output.
func (d *tfDir) run(args ...string) (int, string) {
	d.t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	flags := []string{"-no-color"}
	switch args[0] {
	case "init", "plan", "apply", "destroy", "import":
		flags = append(flags, "-input=false")
	}
	cmd := exec.Command(bin, append(args, flags...)...)
	cmd.Dir, cmd.Env = d.dir, d.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if cmd.ProcessState == nil {
		d.t.Fatalf("terraform %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

func (d *tfDir) mustRun(args ...string) string {
	d.t.Helper()
	code, out := d.run(args...)
	if code != 0 {
		d.t.Fatalf("terraform %v exited %d:\n%s", args, code, out)
	}
	return out
}

// stateIDs returns address -> id of every resource instance in the state.
func (d *tfDir) stateIDs() map[string]string {
	d.t.Helper()
	out := d.mustRun("show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &state); err != nil {
		d.t.Fatalf("terraform show -json: %v", err)
	}
	ids := map[string]string{}
	for _, r := range state.Values.RootModule.Resources {
		ids[r.Address] = fmt.Sprint(r.Values["id"])
	}
	return ids
}
