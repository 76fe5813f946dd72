package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccSharedBudgetDirectory: the pace runs on one machine share lives in
// SCIM_RATE_LIMIT_DIR (a key and one state file per app, named by a keyed
// digest that shows neither endpoint nor token); share_rate_limit = false
// writes nothing there.
func TestAccSharedBudgetDirectory(t *testing.T) {
	for _, share := range []bool{true, false} {
		t.Run(fmt.Sprintf("share_rate_limit=%v", share), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "rate-limits")
			t.Setenv("SCIM_RATE_LIMIT_DIR", dir)
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			config := providerConfigWith(srv, fmt.Sprintf("share_rate_limit = %v", share)) + `
resource "scim_user" "u" {
  user_name = "budget@example.com"
}
`
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					Check: func(*terraform.State) error {
						states, _ := filepath.Glob(filepath.Join(dir, "*.json"))
						if share && len(states) != 1 {
							return fmt.Errorf("budget states in %s: %v, want one", dir, states)
						}
						if !share {
							if _, err := os.Stat(dir); !os.IsNotExist(err) {
								return fmt.Errorf("share_rate_limit = false wrote to %s", dir)
							}
							return nil
						}
						data, err := os.ReadFile(states[0])
						if err != nil {
							return err
						}
						for _, secret := range []string{srv.Token, srv.URL} {
							if filepath.Base(states[0]) == secret || strings.Contains(string(data), secret) {
								return fmt.Errorf("the budget state shows %q", secret)
							}
						}
						return nil
					},
				}},
			})
		})
	}
}
