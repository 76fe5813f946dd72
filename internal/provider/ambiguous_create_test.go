package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
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
// group gets a 503 that never reached the app. A group of the same name was
// made by hand before; the user of the same name is made by hand just as
// the POST is sent (after the lookup that precedes it found none). The
// user create is refused as for any existing active user (adopt_existing
// is false); the group create makes a new group. Destroy leaves both
// hand-made objects as they were.
func TestAccFailedCreateNeverClaimsHandMade(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	admin := srv.Put("Users", map[string]any{"userName": "admin@example.com", "active": true})
	groupID := srv.Put("Groups", map[string]any{"displayName": "Ops", "members": []any{map[string]any{"value": admin}}})
	var userID atomic.Value
	var userPosts, groupPosts atomic.Int32
	groupFault := firstPostFault(scimtest.Fault503)
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost {
			return false
		}
		if strings.HasSuffix(r.URL.Path, "/Users") {
			if userPosts.Add(1) > 1 {
				return false
			}
			userID.Store(srv.Put("Users", map[string]any{"userName": "u@example.com", "active": true, "title": "Made by hand"}))
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return true
		}
		groupPosts.Add(1)
		return groupFault(w, r, act)
	}})
	handMadeIntact := func(*terraform.State) error {
		id, _ := userID.Load().(string)
		if id == "" || groupPosts.Load() < 2 {
			return fmt.Errorf("the faults were not met: %d user POSTs, %d group POSTs", userPosts.Load(), groupPosts.Load())
		}
		u := srv.Get("Users", id)
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
				ExpectError: regexp.MustCompile(`(?s)SCIM user already exists.*u@example\.com`),
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
