package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// TestAccGuideExamples applies each vendor guide's example against the
// local server preset that behaves like that vendor. The examples read the
// endpoint and token from the environment, as the guides recommend, so
// these tests set SCIM_ENDPOINT and SCIM_TOKEN and cannot run in parallel.
func TestAccGuideExamples(t *testing.T) {
	for _, vendor := range []string{"hyperproof", "secureframe", "hoppscotch"} {
		t.Run(vendor, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("../../examples/guides", vendor, "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			srv := newPresetServer(t, vendor)
			t.Setenv("SCIM_ENDPOINT", srv.URL)
			t.Setenv("SCIM_TOKEN", srv.Token)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkUsersGoneOrInactive(srv),
				Steps:                    []resource.TestStep{{Config: string(body)}},
			})
		})
	}
}
