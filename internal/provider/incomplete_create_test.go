package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccUserCreateFailingAfterPostIsKept: the POST makes the user, but the
// write that follows it (the app derived displayName from the name, so it
// is sent once more) fails. The user is saved in state with an error that
// says the next apply finishes the job; the next apply does, without a
// second account or an "already exists".
func TestAccUserCreateFailingAfterPostIsKept(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{DeriveNames: true}})
	var failing atomic.Bool
	failing.Store(true)
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: scimtest.Quirks{DeriveNames: true},
		Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			if r.Method == http.MethodPatch && failing.Load() {
				http.Error(w, "upstream unavailable", http.StatusBadGateway)
				return true
			}
			return false
		}})
	config := providerConfigWith(srv, "max_retries = 0") + `
resource "scim_user" "u" {
  user_name    = "derived@example.com"
  display_name = "Chosen Name"
  name = {
    given_name  = "Given"
    family_name = "Family"
  }
}
`
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`SCIM user created, but not finished`),
			},
			{
				PreConfig: func() { failing.Store(false) },
				Config:    config,
				Check: func(s *terraform.State) error {
					users := srv.All("Users")
					if len(users) != 1 {
						return fmt.Errorf("%d users on the server, want 1", len(users))
					}
					id := s.RootModule().Resources["scim_user.u"].Primary.ID
					if users[0]["id"] != id || users[0]["displayName"] != "Chosen Name" || users[0]["active"] != true {
						return fmt.Errorf("state id %s, server user %v", id, users[0])
					}
					return nil
				},
			},
		},
	})
}
