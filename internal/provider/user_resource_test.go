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
	runsOnEveryCLI(t)
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
	runsOnEveryCLI(t)
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
	runsOnEveryCLI(t)
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
	runsOnEveryCLI(t)
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
	runsOnEveryCLI(t)
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
