// Command floorprovider serves the benchmark floor provider (floor.go)
// under the real provider's address. FLOOR_SCHEMA picks a variant of the
// scim_user schema (variants.go); the default is the real one.
// FLOOR_SERVER=protocol answers the per-instance resource calls without the
// framework (protocol.go); the default, "framework", serves them through it
// as the real provider does.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	scimprovider "github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

const address = "registry.terraform.io/scim-terraform/scim"

func main() {
	debug := flag.Bool("debug", false, "serve in debug mode and print TF_REATTACH_PROVIDERS")
	flag.Parse()
	scimprovider.TuneProcess()
	variant, err := lookupVariant(os.Getenv("FLOOR_SCHEMA"))
	if err != nil {
		log.Fatal(err)
	}
	floor := func() provider.Provider { return newFloor(variant) }
	switch server := os.Getenv("FLOOR_SERVER"); server {
	case "", "framework":
		err = scimprovider.Serve(address, floor, *debug)
	case "protocol":
		var opts []tf6server.ServeOpt
		if *debug {
			opts = append(opts, tf6server.WithManagedDebug())
		}
		err = tf6server.Serve(address, func() tfprotov6.ProviderServer {
			return newProtocolFloor(providerserver.NewProtocol6(floor())())
		}, opts...)
	default:
		log.Fatalf("FLOOR_SERVER=%q: want framework or protocol", server)
	}
	if err != nil {
		log.Fatal(err)
	}
}
