package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

const userAddr = "scim_user.test"

func testAccUserConfig(srv *scimtest.TestServer, body string) string {
	return providerConfig(srv) + fmt.Sprintf(`
resource "scim_user" "test" {
%s
}
`, body)
}

const testAccUserBasic = `
  user_name    = "alice@example.com"
  external_id  = "00u-alice"
  display_name = "Alice Example"
  title        = "Engineer"
  name = {
    given_name  = "Alice"
    family_name = "Example"
  }
  emails = [
    { value = "alice@example.com", type = "work", primary = true },
    { value = "alice@home.example", type = "home" },
  ]
  phone_numbers = [{ value = "+1 555 0100", type = "work" }]
  roles         = [{ value = "Compliance manager" }]
  enterprise = {
    department      = "Security"
    employee_number = "42"
  }
  extensions = {
    "urn:example:params:scim:schemas:extension:custom:2.0:User" = jsonencode({ team = "blue", level = 3 })
  }
`

// serverUser returns the stored user with this userName, or nil.
func serverUser(srv *scimtest.TestServer, userName string) map[string]any {
	for _, doc := range srv.All("Users") {
		if name, _ := doc["userName"].(string); strings.EqualFold(name, userName) {
			return doc
		}
	}
	return nil
}

// checkServerUser runs check against the stored user the state points at.
func checkServerUser(srv *scimtest.TestServer, check func(doc map[string]any) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[userAddr]
		if !ok {
			return fmt.Errorf("%s not in state", userAddr)
		}
		doc := srv.Get("Users", rs.Primary.ID)
		if doc == nil {
			return fmt.Errorf("user %s not on the server", rs.Primary.ID)
		}
		return check(doc)
	}
}

// checkUsersDeactivated is a CheckDestroy: every user the test made still
// exists on the server, inactive, since deactivate is the default destroy.
func checkUsersDeactivated(srv *scimtest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, doc := range srv.All("Users") {
			active, _ := doc["active"].(bool)
			handMade := doc["userName"] == "hand-made@example.com" // not Terraform's: it must stay active
			if active != handMade {
				return fmt.Errorf("user %v has active = %t after destroy", doc["userName"], active)
			}
		}
		return nil
	}
}

func TestAccUserResource_basic(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccUserConfig(srv, testAccUserBasic),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("user_name"), knownvalue.StringExact("alice@example.com")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("destroy_mode"), knownvalue.StringExact("deactivate")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("emails"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value": knownvalue.StringExact("alice@example.com"), "type": knownvalue.StringExact("work"),
							"primary": knownvalue.Bool(true), "display": knownvalue.Null(),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value": knownvalue.StringExact("alice@home.example"), "type": knownvalue.StringExact("home"),
							"primary": knownvalue.Null(), "display": knownvalue.Null(),
						}),
					})),
				},
				Check: checkServerUser(srv, func(doc map[string]any) error {
					ent, _ := doc["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
					custom, _ := doc["urn:example:params:scim:schemas:extension:custom:2.0:User"].(map[string]any)
					switch {
					case doc["externalId"] != "00u-alice" || doc["title"] != "Engineer":
						return fmt.Errorf("core attributes not stored: %v", doc)
					case ent["department"] != "Security":
						return fmt.Errorf("enterprise extension not stored: %v", doc)
					case custom["team"] != "blue":
						return fmt.Errorf("custom extension not stored: %v", doc)
					}
					return nil
				}),
			},
			{
				// Re-applying the same configuration is a no-op.
				Config: testAccUserConfig(srv, testAccUserBasic),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccUserResource_update(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config:            testAccUserConfig(srv, testAccUserBasic),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(userAddr, tfjsonpath.New("id"))},
			},
			{
				Config: testAccUserConfig(srv, `
  user_name    = "alice.renamed@example.com"
  display_name = "Alice Renamed"
  active       = false
  emails       = [{ value = "alice.renamed@example.com", type = "work", primary = true }]
  enterprise   = { department = "Platform" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(userAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("user_name"), knownvalue.StringExact("alice.renamed@example.com")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("title"), knownvalue.Null()),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("extensions"), knownvalue.Null()),
				},
				Check: checkServerUser(srv, func(doc map[string]any) error {
					if doc["userName"] != "alice.renamed@example.com" || doc["active"] != false || doc["title"] != nil {
						return fmt.Errorf("update not applied on the server: %v", doc)
					}
					if _, ok := doc["urn:example:params:scim:schemas:extension:custom:2.0:User"].(map[string]any)["team"]; ok {
						return fmt.Errorf("removed extension key still on the server: %v", doc)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccUserResource_import(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{Config: testAccUserConfig(srv, testAccUserBasic)},
			{
				ResourceName:      userAddr,
				ImportState:       true,
				ImportStateVerify: true,
				// Extensions are managed key by key, so an import cannot know which to track.
				ImportStateVerifyIgnore: []string{"extensions"},
			},
			{
				ResourceName:            userAddr,
				ImportState:             true,
				ImportStateId:           "user_name:ALICE@example.com",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"extensions", "user_name"},
			},
		},
	})
}

func TestAccUserResource_importUnknownUserName(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        testAccUserConfig(srv, `user_name = "nobody@example.com"`),
				ResourceName:  userAddr,
				ImportState:   true,
				ImportStateId: "user_name:nobody@example.com",
				ExpectError:   regexp.MustCompile(`No user with userName "nobody@example.com"`),
			},
		},
	})
}

func TestAccUserResource_drift(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{Config: testAccUserConfig(srv, testAccUserBasic)},
			{
				PreConfig: func() {
					id, _ := serverUser(srv, "alice@example.com")["id"].(string)
					srv.Modify("Users", id, func(doc map[string]any) {
						doc["title"] = "Changed by hand"
						doc["active"] = false
						doc["emails"] = []any{map[string]any{"value": "other@example.com", "type": "work"}}
					})
				},
				Config: testAccUserConfig(srv, testAccUserBasic),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectNonEmptyPlan(),
						plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkServerUser(srv, func(doc map[string]any) error {
					if doc["title"] != "Engineer" || doc["active"] != true {
						return fmt.Errorf("drift not corrected: %v", doc)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccUserResource_disappears(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	// Another object of the tenant: with none, the refresh would stop (the
	// collection lists nothing; see TestAccEmptiedTenantStopsRefresh).
	srv.Put("Users", map[string]any{"userName": "hand-made@example.com", "active": true})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config: testAccUserConfig(srv, testAccUserBasic),
				Check: func(s *terraform.State) error {
					if !srv.Remove("Users", s.RootModule().Resources[userAddr].Primary.ID) {
						return fmt.Errorf("user not on the server")
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionCreate)},
				},
			},
			{
				Config: testAccUserConfig(srv, testAccUserBasic),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error {
					if serverUser(srv, "alice@example.com") == nil {
						return fmt.Errorf("user not re-created")
					}
					return nil
				},
			},
		},
	})
}

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
