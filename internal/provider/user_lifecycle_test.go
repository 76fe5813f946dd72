package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccUserResource_destroyModes checks each destroy_mode on the server.
func TestAccUserResource_destroyModes(t *testing.T) {
	cases := []struct {
		mode  string
		check func(doc map[string]any, users int) error
	}{
		{"delete", func(doc map[string]any, users int) error {
			if users != 0 {
				return fmt.Errorf("destroy_mode = delete left %d users on the server", users)
			}
			return nil
		}},
		{"abandon", func(doc map[string]any, _ int) error {
			if doc == nil || doc["active"] != true {
				return fmt.Errorf("destroy_mode = abandon changed the user on the server: %v", doc)
			}
			return nil
		}},
		{"deactivate", func(doc map[string]any, _ int) error {
			if doc == nil || doc["active"] != false {
				return fmt.Errorf("destroy did not leave the user inactive on the server: %v", doc)
			}
			return nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			userName := tc.mode + "@example.com"
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					return tc.check(serverUser(srv, userName), len(srv.All("Users")))
				},
				Steps: []resource.TestStep{{Config: testAccUserConfig(srv, fmt.Sprintf(`
  user_name    = %q
  destroy_mode = %q
`, userName, tc.mode))}},
			})
		})
	}
}

// Destroy deactivates; declaring the user again brings back the same account.
func TestAccUserResource_recreateReactivatesSameID(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccUserConfig(srv, `user_name = "erin@example.com"`),
				Check: func(s *terraform.State) error {
					firstID = s.RootModule().Resources[userAddr].Primary.ID
					return nil
				},
			},
			{
				Config: providerConfig(srv),
				Check: func(*terraform.State) error {
					if doc := srv.Get("Users", firstID); doc == nil || doc["active"] != false {
						return fmt.Errorf("user not deactivated: %v", doc)
					}
					return nil
				},
			},
			{
				Config: testAccUserConfig(srv, `
  user_name = "Erin@example.com"
  title     = "Back again"
`),
				Check: func(s *terraform.State) error {
					if id := s.RootModule().Resources[userAddr].Primary.ID; id != firstID {
						return fmt.Errorf("re-create made a new user %s instead of reactivating %s", id, firstID)
					}
					if doc := srv.Get("Users", firstID); doc["active"] != true || doc["title"] != "Back again" {
						return fmt.Errorf("user not reactivated and updated: %v", doc)
					}
					if n := len(srv.All("Users")); n != 1 {
						return fmt.Errorf("%d users on the server, want 1", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccUserResource_adoptExisting(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	existing := srv.Put("Users", map[string]any{"userName": "frank@example.com", "active": true, "title": "Old"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{{
			Config: testAccUserConfig(srv, `
  user_name      = "frank@example.com"
  title          = "New"
  adopt_existing = true
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing)),
			},
			Check: checkServerUser(srv, func(doc map[string]any) error {
				if doc["title"] != "New" {
					return fmt.Errorf("adopted user not updated: %v", doc)
				}
				return nil
			}),
		}},
	})
}

func TestAccUserResource_conflict(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	existing := srv.Put("Users", map[string]any{"userName": "grace@example.com", "active": true})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccUserConfig(srv, `user_name = "GRACE@example.com"`),
			ExpectError: regexp.MustCompile(`SCIM user already exists[\s\S]*with\s+id\s+"` + existing +
				`"[\s\S]*terraform import[\s\S]*adopt_existing\s+=\s+true`),
		}},
	})
}

func TestAccUserResource_passwordWO(t *testing.T) {
	skipBelowTerraform(t, "1.11.0", "write-only attributes")
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	config := func(password string, version int) string {
		return testAccUserConfig(srv, fmt.Sprintf(`
  user_name           = "heidi@example.com"
  password_wo         = %q
  password_wo_version = %d
`, password, version))
	}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config: config("first-Secret-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[userAddr].Primary.ID
					if got := srv.Password(id); got != "first-Secret-1" {
						return fmt.Errorf("server password %q, want the configured one", got)
					}
					return nil
				},
			},
			{
				// A new password without a new version is not sent.
				Config: config("ignored-Secret-2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				Config: config("second-Secret-3", 2),
				Check: func(*terraform.State) error {
					if got := srv.Password(id); got != "second-Secret-3" {
						return fmt.Errorf("server password %q after version bump", got)
					}
					return nil
				},
			},
		},
	})
}

// The app may change the case of userName and emails (RFC 7643 makes them
// case-insensitive); that must not show as a diff.
func TestAccUserResource_userNameCase(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	config := testAccUserConfig(srv, `
  user_name = "Ivan.Mixed@Example.COM"
  emails    = [{ value = "Ivan.Mixed@Example.COM", type = "work", primary = true }]
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					id, _ := serverUser(srv, "ivan.mixed@example.com")["id"].(string)
					srv.Modify("Users", id, func(doc map[string]any) {
						doc["userName"] = "ivan.mixed@example.com"
						doc["emails"] = []any{map[string]any{"value": "IVAN.MIXED@EXAMPLE.COM", "type": "work", "primary": true}}
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
