package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// multiValueBody is a scim_user whose emails and roles are listed in the
// given orders (indexes into the fixed values below).
func multiValueBody(emails, roles []int) string {
	allEmails := []string{
		`{ value = "mv.work@example.com", type = "work", primary = true }`,
		`{ value = "mv.home@example.com", type = "home" }`,
		`{ value = "mv.other@example.com", type = "other" }`,
	}
	allRoles := []string{`{ value = "Auditor" }`, `{ value = "Admin" }`}
	pick := func(all []string, order []int) string {
		var out []string
		for _, i := range order {
			out = append(out, all[i])
		}
		return strings.Join(out, ", ")
	}
	return fmt.Sprintf("  user_name = \"mv@example.com\"\n  emails = [%s]\n  roles = [%s]\n", pick(allEmails, emails), pick(allRoles, roles))
}

func emailCheck(value, kind string, primary bool) knownvalue.Check {
	var p knownvalue.Check = knownvalue.Null()
	if primary {
		p = knownvalue.Bool(true)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"value": knownvalue.StringExact(value), "type": knownvalue.StringExact(kind), "primary": p, "display": knownvalue.Null(),
	})
}

// checkNoWrites fails when the server saw a write since its counts were reset.
func checkNoWrites(srv *scimtest.TestServer, what string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.Count("PATCH") + srv.Count("PUT") + srv.Count("POST"); n != 0 {
			return fmt.Errorf("%s sent %d writes, want 0", what, n)
		}
		return nil
	}
}

// Emails, phone numbers, roles and entitlements are lists that mean sets:
// the app returning them in another order, the configuration listing them
// in another order or one twice, and an import in the app's order all plan
// no change, while a value the app dropped is still drift.
func TestAccUserResource_multiValueOrder(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	config := func(emails, roles []int) string { return testAccUserConfig(srv, multiValueBody(emails, roles)) }
	reverseApp := func(s *terraform.State) error {
		srv.Modify("Users", s.RootModule().Resources[userAddr].Primary.ID, func(doc map[string]any) {
			for _, attr := range []string{"emails", "roles"} {
				values := slices.Clone(asSlice(doc[attr]))
				slices.Reverse(values)
				doc[attr] = values
			}
		})
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkUsersDeactivated(srv),
		Steps: []resource.TestStep{
			{Config: config([]int{0, 1, 2}, []int{0, 1}), Check: reverseApp},
			{
				// The app now returns every value in reverse order.
				PreConfig:        srv.ResetCounts,
				Config:           config([]int{0, 1, 2}, []int{0, 1}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("emails"), knownvalue.ListExact([]knownvalue.Check{
						emailCheck("mv.work@example.com", "work", true), emailCheck("mv.home@example.com", "home", false),
						emailCheck("mv.other@example.com", "other", false),
					})),
				},
				Check: checkNoWrites(srv, "the app's order"),
			},
			{
				// The configuration reorders, and lists one value twice.
				PreConfig:        srv.ResetCounts,
				Config:           config([]int{2, 0, 1, 0}, []int{1, 0}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            checkNoWrites(srv, "reordering the configuration"),
			},
			{
				ResourceName: userAddr,
				ImportState:  true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if got := states[0].Attributes["emails.0.value"]; got != "mv.other@example.com" {
						return fmt.Errorf("imported emails.0.value = %s, want the app's first value", got)
					}
					return nil
				},
			},
			{
				// An import block plans a no-op import though the
				// configuration's order is not the app's.
				ResourceName:    userAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				Config:          config([]int{1, 0, 2}, []int{0, 1}),
			},
			{
				// Yet another order plans no change; then the app drops a value.
				PreConfig:        srv.ResetCounts,
				Config:           config([]int{1, 2, 0}, []int{0, 1}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(checkNoWrites(srv, "another order"),
					func(s *terraform.State) error {
						srv.Modify("Users", s.RootModule().Resources[userAddr].Primary.ID, func(doc map[string]any) {
							doc["emails"] = asSlice(doc["emails"])[1:]
						})
						return nil
					}),
				ExpectNonEmptyPlan: true,
			},
			{
				// A value the app dropped is drift, and is restored.
				PreConfig: srv.ResetCounts,
				Config:    config([]int{1, 2, 0}, []int{0, 1}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkServerUser(srv, func(doc map[string]any) error {
					if n := len(asSlice(doc["emails"])); n != 3 {
						return fmt.Errorf("the app has %d emails after the update, want 3", n)
					}
					return nil
				}),
			},
		},
	})
}

// State written while emails and the like were sets (earlier builds) is read
// by the list schema unchanged: both are JSON arrays in state, so no schema
// version or upgrader is needed, and the values keep their stored order.
func TestUserStateFromSetSchema(t *testing.T) {
	const setEraState = `{"active": true, "adopt_existing": false, "destroy_mode": "deactivate", "display_name": "User 0",
		"emails": [{"display": null, "primary": null, "type": "home", "value": "home@example.com"},
		           {"display": null, "primary": true, "type": "work", "value": "user0@example.com"}],
		"enterprise": null, "entitlements": null, "extensions": null, "external_id": null, "id": "43389755",
		"locale": null, "name": {"family_name": "N0", "formatted": null, "given_name": "User", "honorific_prefix": null,
		"honorific_suffix": null, "middle_name": null}, "nick_name": null, "password_wo": null, "password_wo_version": null,
		"phone_numbers": null, "preferred_language": null, "profile_url": null, "roles": [{"display": null, "primary": null,
		"type": null, "value": "Auditor"}], "timeouts": null, "timezone": null, "title": "v2", "user_name": "user0@example.com",
		"user_type": null}`
	server, err := testAccProtoV6ProviderFactories["scim"]()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	resp, err := server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "scim_user", Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(setEraState)},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("upgrade: %v %v", err, resp.Diagnostics)
	}
	schema := userResourceSchema()
	raw, err := resp.UpgradedState.Unmarshal(schema.Type().TerraformType(ctx))
	if err != nil {
		t.Fatal(err)
	}
	state := tfsdk.State{Schema: schema, Raw: raw}
	var m userResourceModel
	if diags := state.Get(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	want := multiValues(multiValue("home@example.com", "home"), withPrimary(multiValue("user0@example.com", "work"), true))
	if !m.Emails.Equal(want) {
		t.Errorf("emails %v, want %v", m.Emails, want)
	}
	if len(m.Roles.Elements()) != 1 || !m.PhoneNumbers.IsNull() {
		t.Errorf("roles %v, phone_numbers %v", m.Roles, m.PhoneNumbers)
	}
}
