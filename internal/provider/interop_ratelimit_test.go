package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccInteropRateLimited applies, updates and destroys users through
// express-rate-limit in front of SCIMMY (scripts/interop.sh): Terraform's
// ten parallel operations run into a limit of a few requests per second,
// announced only in X-RateLimit-* headers or in a draft-8 RateLimit-Policy,
// and every step still succeeds with each user created once.
func TestAccInteropRateLimited(t *testing.T) {
	raw := os.Getenv("SCIM_INTEROP_RATE_LIMITED")
	if raw == "" {
		t.Skip("SCIM_INTEROP_RATE_LIMITED is not set: run scripts/interop.sh (CI does)")
	}
	const users = 25
	for _, pair := range strings.Split(raw, ",") {
		name, endpoint, _ := strings.Cut(pair, "=")
		t.Run(name, func(t *testing.T) {
			config := func(title string) string {
				return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "scim_user" "many" {
  count     = %d
  user_name = "interop-rl-%s-${count.index}@example.com"
  title     = %q
}
`, endpoint, users, name, title)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config("first"), Check: distinctIDs("scim_user.many", users)},
					{Config: config("second"), Check: resource.TestCheckResourceAttr("scim_user.many.24", "title", "second")},
				},
			})
		})
	}
}

// distinctIDs checks that count instances of a resource hold count
// different ids: no retried create made a second object.
func distinctIDs(prefix string, count int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		seen := map[string]bool{}
		for i := range count {
			r, ok := s.RootModule().Resources[fmt.Sprintf("%s.%d", prefix, i)]
			if !ok {
				return fmt.Errorf("%s.%d is not in state", prefix, i)
			}
			seen[r.Primary.ID] = true
		}
		if len(seen) != count {
			return fmt.Errorf("%d instances of %s hold %d distinct ids", count, prefix, len(seen))
		}
		return nil
	}
}
