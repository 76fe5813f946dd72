package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
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
							if strings.Contains(string(data), secret) {
								return fmt.Errorf("the budget state shows %q", secret)
							}
						}
						return budgetNamesHideTheApp(dir, srv)
					},
				}},
			})
		})
	}
}

// budgetNamesHideTheApp: the budget directory holds only its key and files
// named by a keyed digest, none showing the token, the endpoint or its host,
// nor a plain (unkeyed) digest of them, which could be guessed offline.
func budgetNamesHideTheApp(dir string, srv *scimtest.TestServer) error {
	endpoint := strings.TrimRight(srv.URL, "/")
	u, err := url.Parse(endpoint)
	if err != nil {
		return err
	}
	plain := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:16]) }
	shown := []string{srv.Token, u.Host, u.Port(), plain(srv.Token), plain(endpoint),
		plain(strings.Join([]string{endpoint, srv.Token, "", "", ""}, "\x00"))}
	digestNamed := regexp.MustCompile(`^[0-9a-f]{32}\.(json|lock)$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != "key" && !digestNamed.MatchString(e.Name()) {
			return fmt.Errorf("%s holds %q, neither the key nor a digest-named budget file", dir, e.Name())
		}
		for _, s := range shown {
			if strings.Contains(e.Name(), s) {
				return fmt.Errorf("budget file %q shows %q or its plain digest", e.Name(), s)
			}
		}
	}
	return nil
}
