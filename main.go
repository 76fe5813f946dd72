// Command terraform-provider-scim is the Terraform provider for SCIM 2.0
// user and group provisioning.
package main

import (
	"flag"
	"log"

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

	provider.TuneProcess()

	err := provider.Serve("registry.terraform.io/scim-terraform/scim", provider.New(version), debugMode)
	if err != nil {
		log.Fatalf("terraform-provider-scim %s (%s): %v", version, commit, err)
	}
}
