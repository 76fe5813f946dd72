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

// derivingQuirks: an app that composes name.formatted and displayName from
// the name parts on every change of them, and lower-cases emails.
var derivingQuirks = scimtest.Quirks{DeriveNames: true, LowercaseEmails: true}

func derivedUserConfig(srv *scimtest.TestServer, body string) string {
	return testAccUserConfig(srv, `
  user_name = "Derived@Example.com"
  emails    = [{ value = "Derived@Example.com", type = "work", primary = true }]
`+body)
}

// seedInactiveWithAppValues stores an inactive user holding values the app
// filled in itself, as destroy (deactivate) or an admin leaves them.
func seedInactiveWithAppValues(srv *scimtest.TestServer, userName string) string {
	return srv.Put("Users", map[string]any{
		"userName": userName, "active": false, "title": "Set in the app", "nickName": "Nick",
		"name":         map[string]any{"givenName": "Old", "familyName": "Name", "formatted": "Old Name"},
		"phoneNumbers": []any{map[string]any{"value": "+15550199", "type": "mobile"}},
		"addresses":    []any{map[string]any{"locality": "Paris", "type": "work"}},
	})
}

// TestAccRealApps_derivedValues: on an app that derives and normalises
// values, create (as a reactivation that must keep what the configuration
// does not set), update, import and a name change with and without a
// configured display name all apply without "inconsistent result" and
// leave an empty plan.
func TestAccRealApps_derivedValues(t *testing.T) {
	for name, q := range map[string]scimtest.Quirks{
		"derive_names":     {DeriveNames: true},
		"lowercase_emails": {LowercaseEmails: true},
		"both":             derivingQuirks,
	} {
		t.Run(name, func(t *testing.T) { testDerivedValues(t, q) })
	}
}

func testDerivedValues(t *testing.T, q scimtest.Quirks) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: q})
	id := seedInactiveWithAppValues(srv, "derived@example.com")
	// derived is what the app holds for a value it derives, or, on an app
	// that does not, what it holds otherwise.
	derived := func(ifDerived string, otherwise knownvalue.Check) knownvalue.Check {
		if q.DeriveNames {
			return knownvalue.StringExact(ifDerived)
		}
		return otherwise
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				// Reactivation: the POST conflicts, the inactive user is taken
				// over; displayName is sent after the name parts, so the
				// derived value does not overwrite it.
				Config: derivedUserConfig(srv, `
  display_name = "Ally"
  name         = { given_name = "Alice", family_name = "Example" }
`),
				ExpectNonEmptyPlan: false,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Ally")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("name").AtMapKey("formatted"), derived("Alice Example", knownvalue.StringExact("Old Name"))),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("title"), knownvalue.StringExact("Set in the app")),
				},
				Check: checkServerUser(srv, func(doc map[string]any) error {
					switch {
					case doc["active"] != true:
						return fmt.Errorf("not reactivated: %v", doc)
					case doc["title"] != "Set in the app" || doc["nickName"] != "Nick":
						return fmt.Errorf("takeover removed attributes the configuration does not set: %v", doc)
					case len(asSlice(doc["phoneNumbers"])) != 1 || len(asSlice(doc["addresses"])) != 1:
						return fmt.Errorf("takeover removed phone numbers or addresses: %v", doc)
					case doc["displayName"] != "Ally":
						return fmt.Errorf("displayName %v", doc["displayName"])
					}
					return nil
				}),
			},
			{
				// A name change: parts first, then displayName; no re-send needed.
				PreConfig: srv.ResetCounts,
				Config: derivedUserConfig(srv, `
  display_name = "Ally"
  name         = { given_name = "Alicia", family_name = "Example" }
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("name").AtMapKey("formatted"), derived("Alicia Example", knownvalue.StringExact("Old Name"))),
				},
				Check: func(*terraform.State) error {
					if n := srv.Count("PATCH"); n != 1 {
						return fmt.Errorf("%d PATCH requests for one update, want 1", n)
					}
					return nil
				},
			},
			{
				// display_name no longer configured: removed from the app.
				Config: derivedUserConfig(srv, `
  name = { given_name = "Alicia", family_name = "Example" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("display_name"), knownvalue.Null()),
				}},
			},
			{
				// A name change with display_name unset: the app's derived value
				// is known only after apply, and stored without a diff.
				Config: derivedUserConfig(srv, `
  name = { given_name = "Alice", family_name = "Renamed" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(userAddr, tfjsonpath.New("display_name")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("display_name"), derived("Alice Renamed", knownvalue.Null())),
				},
			},
			{
				// A change elsewhere keeps the derived display name planned as it is.
				Config: derivedUserConfig(srv, `
  name  = { given_name = "Alice", family_name = "Renamed" }
  title = "Engineer"
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(userAddr, tfjsonpath.New("display_name"), derived("Alice Renamed", knownvalue.Null())),
				}},
			},
			{
				// The app holds the user name and (lower-casing) the email in
				// another case; state keeps the configuration's spelling (both
				// compare case-insensitively), an import reads the app's.
				ResourceName: userAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"extensions", "emails.0.value", "user_name"},
			},
		},
	})
}

// TestAccRealApps_derivedValuesOnCreate: a plain create on the deriving
// app, with display_name configured: the POST stores the derived name, and
// the configured one is sent once more.
func TestAccRealApps_derivedValuesOnCreate(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: derivingQuirks})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{{
			Config: derivedUserConfig(srv, `
  display_name = "Ally"
  name         = { given_name = "Alice", family_name = "Example", formatted = "Dr. Alice Example" }
`),
			Check: checkServerUser(srv, func(doc map[string]any) error {
				name, _ := doc["name"].(map[string]any)
				if doc["displayName"] != "Ally" || name["formatted"] != "Dr. Alice Example" {
					return fmt.Errorf("server user %v", doc)
				}
				return nil
			}),
		}},
	})
}

// TestAccRealApps_valueTheAppWillNotStore: an app that rewrites phone
// numbers into its canonical form. The apply fails with a diagnostic that
// names the attribute and both values, state holds the app's value, and
// writing the app's form converges.
func TestAccRealApps_valueTheAppWillNotStore(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{CanonicalPhones: true}})
	cfg := func(phone string) string {
		return testAccUserConfig(srv, fmt.Sprintf(`
  user_name     = "phone@example.com"
  phone_numbers = [{ value = %q, type = "work" }]
`, phone))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{
				Config:      cfg("+1 555 0100"),
				ExpectError: regexp.MustCompile(`(?s)The app stored another value than configured.*phone_numbers.*phoneNumbers was sent as\s+\["\+1 555 0100"\],\s+twice,\s+but\s+the\s+app\s+stored\s+\["\+15550100"\].*Write\s+the\s+value\s+in\s+the\s+app's\s+form`),
			},
			{
				Config: cfg("+15550100"),
				Check: checkServerUser(srv, func(doc map[string]any) error {
					if len(srv.All("Users")) != 1 {
						return fmt.Errorf("%d users on the server, want the one user taken back", len(srv.All("Users")))
					}
					return nil
				}),
			},
		},
	})
}
