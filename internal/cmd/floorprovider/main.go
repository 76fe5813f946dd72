// Command floorprovider serves the benchmark floor provider (floor.go)
// under the real provider's address. FLOOR_SCHEMA picks a variant of the
// scim_user schema (variants.go); the default is the real one.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	scimprovider "github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

func main() {
	debug := flag.Bool("debug", false, "serve in debug mode and print TF_REATTACH_PROVIDERS")
	flag.Parse()
	scimprovider.TuneProcess()
	variant, err := lookupVariant(os.Getenv("FLOOR_SCHEMA"))
	if err != nil {
		log.Fatal(err)
	}
	err = scimprovider.Serve("registry.terraform.io/scim-terraform/scim", func() provider.Provider { return newFloor(variant) }, *debug)
	if err != nil {
		log.Fatal(err)
	}
}
