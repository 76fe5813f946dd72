package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// expectRequests checks the requests the server saw since the last reset,
// as "METHOD resource" strings, in order. Discovery (/ServiceProviderConfig,
// and /Schemas when extensions are configured, each read once per provider
// instance, that is once per Terraform command) is not a per-resource cost
// and is left out.
func expectRequests(srv *scimtest.TestServer, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range srv.Requests() {
			if strings.HasSuffix(r.Path, "/ServiceProviderConfig") || strings.HasSuffix(r.Path, "/Schemas") {
				continue
			}
			kind := "Users"
			if len(r.Path) > len(scimtest.BasePath)+len("/Users/") {
				kind = "Users/{id}"
			}
			got = append(got, r.Method+" "+kind)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("requests %v, want %v", got, want)
		}
		return nil
	}
}

// TestAccUserResource_requestEconomy pins the request minimum on a
// conforming server: create 2 (the lookup by userName that tells what
// existed before, so that a failed POST never claims a user made by
// someone else, then the POST), refresh 1 (GET), update 1 (PATCH
// answered with the user), deactivate 1 (PATCH answered with the user).
// Terraform refreshes before apply, which is the GET in update and destroy.
func TestAccUserResource_requestEconomy(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             expectRequests(srv, "GET Users/{id}", "PATCH Users/{id}"),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccUserConfig(srv, testAccUserBasic),
				Check:     expectRequests(srv, "GET Users", "POST Users"),
			},
			{
				PreConfig:    srv.ResetCounts,
				RefreshState: true,
				Check:        expectRequests(srv, "GET Users/{id}"),
			},
			{
				PreConfig: srv.ResetCounts,
				Config:    testAccUserConfig(srv, `user_name = "alice@example.com"`),
				Check:     expectRequests(srv, "GET Users/{id}", "PATCH Users/{id}"),
			},
			{
				// Reset right before the final destroy, which CheckDestroy counts.
				RefreshState: true,
				Check:        func(*terraform.State) error { srv.ResetCounts(); return nil },
			},
		},
	})
}
