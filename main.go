// Command terraform-provider-scim is the Terraform provider for SCIM 2.0
// user and group provisioning.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

// Set by goreleaser with -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "dev"
	commit  = "none"
)

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run with support for debuggers like delve (prints TF_REATTACH_PROVIDERS)")
	flag.Parse()

	// Each Terraform operation allocates a lot briefly; with Go's default
	// GC the resident size grows to twice the live heap. Collecting at 50%
	// growth trades a little CPU for a smaller peak (a hard memory limit
	// made the collector thrash at 3,000 users). GOGC still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/scim-terraform/scim",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatalf("terraform-provider-scim %s (%s): %v", version, commit, err)
	}
}
