// Command terraform-provider-scim is the Terraform provider for SCIM 2.0
// user and group provisioning.
package main

import (
	"context"
	"flag"
	"log"

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

	provider.TuneProcess()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/scim-terraform/scim",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatalf("terraform-provider-scim %s (%s): %v", version, commit, err)
	}
}
