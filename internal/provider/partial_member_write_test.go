package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccPartialMemberWriteIsNotHidden: on Entra's SCIM API a member swap
// is two requests (add, then remove). When the removal fails after the
// addition was kept, the state must still list the added member: refresh
// there checks only the members the state lists, so a member left out of
// it would keep the group's access unseen. Rolling the configuration back
// then plans the removal, and the apply leaves exactly the old members.
func TestAccPartialMemberWriteIsNotHidden(t *testing.T) {
	opts, _ := scimtest.Preset("entra")
	var failRemovals atomic.Bool
	var srv *scimtest.TestServer
	opts.Fault = func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		if !failRemovals.Load() || r.Method != http.MethodPatch || !strings.Contains(strings.ToLower(r.URL.Path), "/groups/") {
			return false
		}
		// The server has read and recorded the body: this is the last request.
		requests := srv.Requests()
		if !strings.Contains(requests[len(requests)-1].Body, `"remove"`) {
			return false
		}
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		return true
	}
	srv = scimtest.NewTestServer(t, opts)
	alice := srv.Put("Users", map[string]any{"userName": "alice@example.com", "displayName": "Alice",
		"name": map[string]any{"givenName": "Alice", "familyName": "A"}})
	bob := srv.Put("Users", map[string]any{"userName": "bob@example.com", "displayName": "Bob",
		"name": map[string]any{"givenName": "Bob", "familyName": "B"}})
	config := func(members ...string) string {
		return fmt.Sprintf(`
provider "scim" {
  endpoint    = %q
  token       = %q
  vendor      = "entra"
  max_retries = 0
}

resource "scim_group" "test" {
  display_name = "Partial"
  members      = %s
}
`, srv.URL, srv.Token, hclList(members))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(alice), Check: checkServerMembers(srv, []string{alice})},
			{
				PreConfig:   func() { failRemovals.Store(true) },
				Config:      config(bob),
				ExpectError: regexp.MustCompile(`503`),
				Check:       checkServerMembers(srv, []string{alice, bob}),
			},
			{
				// The app holds alice and bob; the state must not hide bob.
				PreConfig: func() { failRemovals.Store(false) },
				Config:    config(alice),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("scim_group.test", plancheck.ResourceActionUpdate)},
				},
				Check: checkServerMembers(srv, []string{alice}),
			},
			{Config: config(alice), PlanOnly: true},
		},
	})
}
