package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/scim-terraform/terraform-provider-scim/internal/tfcli"
)

// tfDir is a Terraform working directory driven directly with the CLI, for
// tests that must survive a failing apply (plugin-testing fails the test on
// the first unexpected error). The provider runs in this process and
// Terraform attaches to it.
type tfDir struct {
	t   *testing.T
	dir *tfcli.Dir
}

func newTFDir(t *testing.T) *tfDir {
	t.Helper()
	testAccPreCheck(t)
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	// OpenTofu resolves "scim-terraform/scim" in its own registry's namespace.
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	address := host + "/scim-terraform/scim"
	go func() {
		_ = tf6server.Serve(address,
			func() tfprotov6.ProviderServer {
				return NewReleasingServer(providerserver.NewProtocol6(New("test")())())
			},
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	cfg := <-reattach
	t.Cleanup(func() { cancel(); <-closed })
	attach, _ := json.Marshal(map[string]any{address: map[string]any{
		"Protocol": "grpc", "ProtocolVersion": 6, "Pid": os.Getpid(), "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	dir, err := tfcli.New(t.TempDir(), bin, "", "TF_REATTACH_PROVIDERS="+string(attach))
	if err != nil {
		t.Fatal(err)
	}
	return &tfDir{t: t, dir: dir}
}

func (d *tfDir) write(config string) {
	d.t.Helper()
	body := "terraform {\n  required_providers {\n    scim = { source = \"scim-terraform/scim\" }\n  }\n}\n" + config
	if err := d.dir.Write("main.tf", body); err != nil {
		d.t.Fatal(err)
	}
}

// run runs terraform and returns its exit code and output.
func (d *tfDir) run(args ...string) (int, string) {
	d.t.Helper()
	res, err := d.dir.Run(nil, args...)
	if err != nil {
		d.t.Fatal(err)
	}
	return res.Code, res.Output
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
