// Command floorprovider serves the benchmark floor provider (see
// internal/bench/floor) under the real provider's address.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/scim-terraform/terraform-provider-scim/internal/bench/floor"
	scimprovider "github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

func main() {
	debug := flag.Bool("debug", false, "serve in debug mode and print TF_REATTACH_PROVIDERS")
	flag.Parse()
	scimprovider.TuneProcess()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return floor.New() }, providerserver.ServeOpts{
		Address: "registry.terraform.io/scim-terraform/scim",
		Debug:   *debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
