package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccDeactivateNotFoundIsChecked: an app that answers the deactivation
// PATCH with 404 while the user is still there and active (no PATCH route
// for users) must not have the destroy reported done. Once the answers are
// fixed, the destroy deactivates the user.
func TestAccDeactivateNotFoundIsChecked(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	broken := false
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		if !broken || r.Method != http.MethodPatch || !strings.Contains(r.URL.Path, "/Users/") {
			return false
		}
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"Not Found"}`))
		return true
	}})
	config := testAccUserConfig(srv, `user_name = "still-here@example.com"`)
	var id string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if doc := srv.Get("Users", id); doc == nil || doc["active"] != false {
				return fmt.Errorf("after destroy the user is %v, want it kept and inactive", doc)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config, Check: resource.TestCheckResourceAttrWith(userAddr, "id", func(v string) error { id = v; return nil })},
			{
				PreConfig:   func() { broken = true },
				Config:      config,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`404 to the deactivation[\s\S]*still\s+there\s+and\s+active`),
			},
			{
				PreConfig: func() {
					broken = false
					if doc := srv.Get("Users", id); doc["active"] != true {
						t.Errorf("the failed destroy changed the user: %v", doc)
					}
				},
				Config: config, PlanOnly: true,
			},
		},
	})
}

// TestAccDeactivateRemovesUser: under the generic dialect (which does not
// say deactivation deletes), an app that removes the user when deactivated
// still gives a clean destroy: the user is gone and cannot sign in.
func TestAccDeactivateRemovesUser(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{DeactivateMode: "delete"}})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(srv.All("Users")); n != 0 {
				return fmt.Errorf("%d users left", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: testAccUserConfig(srv, `user_name = "removed@example.com"`)}},
	})
}
