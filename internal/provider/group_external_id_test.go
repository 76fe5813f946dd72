package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccGroupExternalIDKeptWhenUnset: scim_group follows scim_user's rule
// for external_id. A group an identity provider made (externalId set) is
// imported by a configuration that does not set it: the app's value stays.
// Set in the configuration it is written; removed from the configuration
// it is removed from the app; unset and unmanaged, a value the app gains
// later stays too.
func TestAccGroupExternalIDKeptWhenUnset(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	id := srv.Put("Groups", map[string]any{"schemas": []any{scim.SchemaGroup}, "displayName": "Auditors", "externalId": "idp-123"})
	group := func(extra string) string {
		return providerConfig(srv) + fmt.Sprintf(`
resource "scim_group" "g" {
  display_name = "Auditors"
  %s
}
`, extra)
	}
	externalID := func(want any) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := srv.Get("Groups", id)["externalId"]; got != want {
				return fmt.Errorf("the app's externalId is %v, want %v", got, want)
			}
			return nil
		}
	}
	noChange := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: group(fmt.Sprintf(`destroy_mode = "abandon"
}

import {
  to = scim_group.g
  id = %q`, id)),
				Check: resource.ComposeTestCheckFunc(externalID("idp-123"),
					resource.TestCheckResourceAttr("scim_group.g", "external_id", "idp-123")),
			},
			{Config: group(`destroy_mode = "abandon"`), ConfigPlanChecks: noChange, Check: externalID("idp-123")},
			{Config: group("destroy_mode = \"abandon\"\n  external_id = \"tf-1\""), Check: externalID("tf-1")},
			{
				Config: group(`destroy_mode = "abandon"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("scim_group.g", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("scim_group.g", tfjsonpath.New("external_id"), knownvalue.Null()),
				}},
				Check: externalID(nil),
			},
			{
				PreConfig: func() { srv.Modify("Groups", id, func(doc map[string]any) { doc["externalId"] = "idp-999" }) },
				Config:    group(`destroy_mode = "abandon"`), ConfigPlanChecks: noChange, Check: externalID("idp-999"),
			},
		},
	})
}
