package main

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/benchconfig"
)

// TestFloors walks the benchmark's lifecycle (create, no-change plan,
// update, destroy) through each floor server and schema the bench uses, so
// a floor that Terraform would reject (an inconsistent plan or new state)
// fails here rather than in a long benchmark run.
func TestFloors(t *testing.T) {
	servers := map[string]func(tfprotov6.ProviderServer) tfprotov6.ProviderServer{
		"framework": func(s tfprotov6.ProviderServer) tfprotov6.ProviderServer { return s },
		"protocol":  newProtocolFloor,
	}
	for serverName, wrap := range servers {
		for _, schemaName := range []string{"real", "minimal"} {
			t.Run(serverName+"/"+schemaName, func(t *testing.T) {
				variant, err := lookupVariant(schemaName)
				if err != nil {
					t.Fatal(err)
				}
				factory := func() (tfprotov6.ProviderServer, error) {
					return wrap(providerserver.NewProtocol6(newFloor(variant))()), nil
				}
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){"scim": factory},
					Steps: []resource.TestStep{
						{
							Config: benchconfig.Users("user", 3, 0),
							ConfigStateChecks: []statecheck.StateCheck{
								statecheck.ExpectKnownValue("scim_user.u[0]", tfjsonpath.New("id"), knownvalue.StringRegexp(hexID)),
								statecheck.ExpectKnownValue("scim_user.u[2]", tfjsonpath.New("title"), knownvalue.StringExact("v1")),
							},
						},
						{
							Config: benchconfig.Users("user", 3, 1),
							ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction("scim_user.u[0]", plancheck.ResourceActionUpdate),
								plancheck.ExpectResourceAction("scim_user.u[1]", plancheck.ResourceActionNoop),
							}},
							ConfigStateChecks: []statecheck.StateCheck{
								statecheck.ExpectKnownValue("scim_user.u[0]", tfjsonpath.New("title"), knownvalue.StringExact("v2")),
							},
						},
					},
				})
			})
		}
	}
}

// hexID is the form of the ids the floor makes up (known).
var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestLookupVariantRejectsUnknownNames(t *testing.T) {
	if _, err := lookupVariant("no-such-schema"); err == nil {
		t.Fatal("lookupVariant accepted an unknown variant")
	}
	if _, err := lookupVariant(""); err != nil {
		t.Fatalf("the default variant: %v", err)
	}
}
