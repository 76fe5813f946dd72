// Command floorprovider serves the benchmark floor provider (floor.go)
// under the real provider's address.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	scimprovider "github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

func main() {
	debug := flag.Bool("debug", false, "serve in debug mode and print TF_REATTACH_PROVIDERS")
	flag.Parse()
	scimprovider.TuneProcess()
	err := scimprovider.Serve("registry.terraform.io/scim-terraform/scim", func() provider.Provider { return newFloor() }, *debug)
	if err != nil {
		log.Fatal(err)
	}
}
