// Command floorprovider serves the benchmark floor provider (see
// internal/bench/floor) under the real provider's address.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/scim-terraform/terraform-provider-scim/internal/bench/floor"
	scimprovider "github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

func main() {
	debug := flag.Bool("debug", false, "serve in debug mode and print TF_REATTACH_PROVIDERS")
	flag.Parse()
	scimprovider.TuneProcess()
	err := scimprovider.Serve("registry.terraform.io/scim-terraform/scim", func() provider.Provider { return floor.New() }, *debug)
	if err != nil {
		log.Fatal(err)
	}
}
