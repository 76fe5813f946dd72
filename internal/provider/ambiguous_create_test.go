package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// firstPostFault answers the first POST to each collection with the given
// fault: Fault503 before the server acts, FaultResetAfter after it acted.
func firstPostFault(kind string) func(http.ResponseWriter, *http.Request, func() *scimtest.Response) bool {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost {
			return false
		}
		mu.Lock()
		first := !seen[r.URL.Path]
		seen[r.URL.Path] = true
		mu.Unlock()
		if !first {
			return false
		}
		switch kind {
		case scimtest.Fault503:
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
		case scimtest.FaultResetAfter:
			act()
			scimtest.DropConnection(w)
		}
		return true
	}
}

// handMade puts an active user u@example.com and a group Ops with that
// user as its member on the server, as an admin would by hand.
func handMade(srv *scimtest.TestServer) (userID, groupID string) {
	userID = srv.Put("Users", map[string]any{"userName": "u@example.com", "active": true, "title": "Made by hand"})
	groupID = srv.Put("Groups", map[string]any{"displayName": "Ops", "members": []any{map[string]any{"value": userID}}})
	return userID, groupID
}

const ambiguousCreateConfig = `
resource "scim_user" "u" {
  user_name = "u@example.com"
  title     = "From Terraform"
}

resource "scim_group" "ops" {
  display_name = "Ops"
}
`

// TestAccFailedCreateNeverClaimsHandMade: the first POST of a user and of a
// group gets a 503 that never reached the app, where a user and a group of
// the same names were made by hand. The user create is refused as for any
// existing active user (adopt_existing is false); the group create makes a
// new group. Destroy leaves both hand-made objects as they were.
func TestAccFailedCreateNeverClaimsHandMade(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	userID, groupID := handMade(srv)
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: firstPostFault(scimtest.Fault503)})
	handMadeIntact := func(*terraform.State) error {
		u := srv.Get("Users", userID)
		if u == nil || u["active"] != true || u["title"] != "Made by hand" {
			return fmt.Errorf("the hand-made user changed: %v", u)
		}
		g := srv.Get("Groups", groupID)
		if g == nil || len(asSlice(g["members"])) != 1 {
			return fmt.Errorf("the hand-made group changed: %v", g)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             handMadeIntact,
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(srv) + ambiguousCreateConfig,
				ExpectError: regexp.MustCompile(`(?s)SCIM user already exists.*` + userID),
			},
			{
				// The group made by the first step is this configuration's own.
				Config: providerConfig(srv) + `
resource "scim_group" "ops" {
  display_name = "Ops"
}
`,
				Check: resource.ComposeTestCheckFunc(
					handMadeIntact,
					func(s *terraform.State) error {
						id := s.RootModule().Resources["scim_group.ops"].Primary.ID
						if id == groupID {
							return fmt.Errorf("scim_group.ops claimed the hand-made group %s", groupID)
						}
						if n := len(srv.All("Groups")); n != 2 {
							return fmt.Errorf("%d groups on the server, want the hand-made one and this one", n)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccLostCreateAnswerClaimsOwnObject: the app made the user and the group
// but the answer to each first POST was lost. Each is claimed as created,
// once: no duplicate, no orphan, an empty plan afterwards.
func TestAccLostCreateAnswerClaimsOwnObject(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: firstPostFault(scimtest.FaultResetAfter)})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + ambiguousCreateConfig,
			Check: func(s *terraform.State) error {
				if n, m := len(srv.All("Users")), len(srv.All("Groups")); n != 1 || m != 1 {
					return fmt.Errorf("%d users and %d groups on the server, want one of each", n, m)
				}
				for addr, kind := range map[string]string{"scim_user.u": "Users", "scim_group.ops": "Groups"} {
					if srv.Get(kind, s.RootModule().Resources[addr].Primary.ID) == nil {
						return fmt.Errorf("%s is not the object on the server", addr)
					}
				}
				return nil
			},
		}},
	})
}
