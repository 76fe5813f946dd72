package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// putOnlyCase is one way an app without PATCH shows itself.
type putOnlyCase struct {
	name    string
	quirks  scimtest.Quirks
	dialect string // HCL of the provider's dialect block, if any
	// patchAttempts is the most PATCH requests the server may see: one per
	// provider process when the provider learns from a 405 (each Terraform
	// command starts the provider anew), none when it is told up front.
	learnsFrom405 bool
}

var putOnlyCases = []putOnlyCase{
	// 405 on PATCH and no discovery document: learned from the first answer.
	{name: "405", quirks: scimtest.Quirks{NoPatch: true, NoDiscovery: true}, learnsFrom405: true},
	// The app says patch.supported = false (and would take a PATCH anyway).
	{name: "discovery", quirks: scimtest.Quirks{PatchUnsupportedInSPC: true}},
	// The user says so; the app refuses PATCH and has no discovery.
	{name: "dialect", quirks: scimtest.Quirks{NoPatch: true, NoDiscovery: true},
		dialect: `dialect = { update_method = "put", discovery = false }`},
}

func putOnlyConfig(srv *scimtest.TestServer, pc putOnlyCase, title, groupName string, members []string) string {
	return putOnlyGroupsConfig(srv, pc, groupName, members) + fmt.Sprintf(`
resource "scim_user" "test" {
  user_name    = "putonly@example.com"
  display_name = "Put Only"
  title        = %q
  name         = { given_name = "Put", family_name = "Only" }
  emails       = [{ value = "putonly@example.com", type = "work", primary = true }]
}
`, title)
}

// putOnlyGroupsConfig is the configuration without scim_user.test.
func putOnlyGroupsConfig(srv *scimtest.TestServer, pc putOnlyCase, groupName string, members []string) string {
	return providerConfigWith(srv, pc.dialect) + fmt.Sprintf(`
resource "scim_user" "member" {
  user_name = "member@example.com"
}

resource "scim_group" "test" {
  display_name = %q
  members      = %s
}

resource "scim_group" "open" {
  display_name = "Open group"
}

resource "scim_group_member" "test" {
  group_id  = scim_group.open.id
  member_id = scim_user.member.id
}
`, groupName, hclList(members))
}

// checkNoPatchAccepted: the server never applied a PATCH, and saw at most
// the attempts the case allows.
func checkNoPatchAccepted(srv *scimtest.TestServer, pc putOnlyCase) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := srv.Count("PATCH")
		if pc.learnsFrom405 {
			return nil // every attempt was answered 405; the PUT checks below show the writes landed
		}
		if n != 0 {
			return fmt.Errorf("%d PATCH requests sent to an app that does not support PATCH", n)
		}
		return nil
	}
}

// TestAccRealApps_noPatch runs the whole lifecycle on apps without PATCH:
// create, update, out-of-band edit and its restore, import, destroy
// (deactivation), re-create (reactivation), group rename, membership
// changes and scim_group_member, with every write as GET, merge and PUT.
func TestAccRealApps_noPatch(t *testing.T) {
	for _, pc := range putOnlyCases {
		t.Run(pc.name, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: pc.quirks})
			if pc.quirks.PatchUnsupportedInSPC {
				// Refuse PATCH too, after discovery said so: proves none is sent.
				q := pc.quirks
				q.NoPatch = true
				srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: q})
			}
			extra := seedUsers(srv, "extra", 2)
			userID := func(s *terraform.State) string { return s.RootModule().Resources[userAddr].Primary.ID }
			var firstID string
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: resource.ComposeTestCheckFunc(checkNoPatchAccepted(srv, pc),
					func(*terraform.State) error {
						for _, name := range []string{"putonly@example.com", "member@example.com"} {
							if active, _ := serverUser(srv, name)["active"].(bool); active {
								return fmt.Errorf("%s still active after destroy", name)
							}
						}
						return nil
					},
					func(*terraform.State) error {
						if len(srv.All("Groups")) != 0 {
							return fmt.Errorf("groups left after destroy")
						}
						return nil
					}),
				Steps: []resource.TestStep{
					{
						Config: putOnlyConfig(srv, pc, "Engineer", "Put group", extra[:1]),
						Check: resource.ComposeTestCheckFunc(
							checkServerUser(srv, func(doc map[string]any) error {
								if doc["title"] != "Engineer" || doc["displayName"] != "Put Only" {
									return fmt.Errorf("server user %v", doc)
								}
								return nil
							}),
							func(s *terraform.State) error { firstID = userID(s); return nil },
							checkNoPatchAccepted(srv, pc),
						),
					},
					{
						// Update, rename and membership change, all as PUT.
						PreConfig: func() {
							// Unmanaged attributes the app holds must survive every PUT.
							srv.Modify("Users", firstID, func(doc map[string]any) { doc["nickName"] = "kept by the app" })
						},
						Config: putOnlyConfig(srv, pc, "Lead", "Put group renamed", extra),
						Check: resource.ComposeTestCheckFunc(
							checkServerUser(srv, func(doc map[string]any) error {
								if doc["title"] != "Lead" || doc["nickName"] != "kept by the app" {
									return fmt.Errorf("server user after update %v", doc)
								}
								return nil
							}),
							checkGroupNamed(srv, "Put group renamed", extra),
							checkNoPatchAccepted(srv, pc),
						),
					},
					{
						// An out-of-band edit shows as drift and is put back.
						PreConfig: func() {
							srv.Modify("Users", firstID, func(doc map[string]any) { doc["title"] = "Changed by hand" })
						},
						Config: putOnlyConfig(srv, pc, "Lead", "Put group renamed", extra),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
						},
						Check: resource.ComposeTestCheckFunc(
							checkServerUser(srv, func(doc map[string]any) error {
								if doc["title"] != "Lead" {
									return fmt.Errorf("title %v not restored", doc["title"])
								}
								return nil
							}),
							checkNoPatchAccepted(srv, pc),
						),
					},
					{
						ResourceName: userAddr, ImportState: true, ImportStateVerify: true,
						ImportStateVerifyIgnore: []string{"extensions"},
					},
					{
						// Destroy the user (deactivation as a PUT) ...
						Config: putOnlyGroupsConfig(srv, pc, "Put group renamed", extra),
						Check: func(*terraform.State) error {
							doc := srv.Get("Users", firstID)
							if active, _ := doc["active"].(bool); active {
								return fmt.Errorf("user not deactivated by a PUT: %v", doc)
							}
							return nil
						},
					},
					{
						// ... and bring it back: the inactive user is reactivated, not duplicated.
						Config: putOnlyConfig(srv, pc, "Lead", "Put group renamed", extra),
						Check: resource.ComposeTestCheckFunc(
							func(s *terraform.State) error {
								if id := userID(s); id != firstID {
									return fmt.Errorf("re-created as %s, want the reactivated %s", id, firstID)
								}
								if active, _ := srv.Get("Users", firstID)["active"].(bool); !active {
									return fmt.Errorf("user not reactivated")
								}
								return nil
							},
							checkNoPatchAccepted(srv, pc),
						),
					},
				},
			})
		})
	}
}

// checkGroupNamed: the server has a group with this name and these members.
func checkGroupNamed(srv *scimtest.TestServer, name string, members []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, g := range srv.All("Groups") {
			if g["displayName"] != name {
				continue
			}
			var have []string
			for _, m := range asSlice(g["members"]) {
				have = append(have, fmt.Sprint(m.(map[string]any)["value"]))
			}
			if !sameIDSet(have, members) {
				return fmt.Errorf("group %q has members %v, want %v", name, have, members)
			}
			return nil
		}
		return fmt.Errorf("no group named %q on the server", name)
	}
}

// TestAccRealApps_updateMethodShown: data.scim_service_provider_config says
// how writes go, as discovery found it.
func TestAccRealApps_updateMethodShown(t *testing.T) {
	for want, q := range map[string]scimtest.Quirks{"patch": {}, "put": {PatchUnsupportedInSPC: true}} {
		t.Run(want, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: q})
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerConfig(srv) + `data "scim_service_provider_config" "this" {}`,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.scim_service_provider_config.this", tfjsonpath.New("update_method"), knownvalue.StringExact(want)),
						statecheck.ExpectKnownValue("data.scim_service_provider_config.this", tfjsonpath.New("consistency_window"), knownvalue.StringExact("0s")),
					},
				}},
			})
		})
	}
}
