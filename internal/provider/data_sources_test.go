package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// A userName with a quote and a backslash: the filter must select it, and
// only it.
const trickyUserName = `o"brien\admin@example.com`

func TestAccUserDataSource(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	tricky := srv.Put("Users", map[string]any{"userName": trickyUserName, "externalId": "ext-1", "active": true, "title": "Tricky"})
	srv.Put("Users", map[string]any{"userName": `o"brien`, "active": true})
	srv.Put("Users", map[string]any{"userName": "twin1@example.com", "externalId": "dup"})
	srv.Put("Users", map[string]any{"userName": "twin2@example.com", "externalId": "dup"})
	one := func(arg string) string {
		return providerConfig(srv) + fmt.Sprintf("data \"scim_user\" \"test\" {\n  %s\n}\n", arg)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// The last step's configuration is used for the final destroy, so errors come first.
			{Config: providerConfig(srv) + `data "scim_user" "test" {}`, ExpectError: regexp.MustCompile(`(?i)exactly one of`)},
			{Config: one(`user_name = "nobody@example.com"`), ExpectError: regexp.MustCompile(`No user with userName\s+nobody@example.com`)},
			{Config: one(`id = "no-such-id"`), ExpectError: regexp.MustCompile(`No user with id no-such-id`)},
			{Config: one(`external_id = "dup"`), ExpectError: regexp.MustCompile(`matches\s+users`)},
			{
				Config: one(fmt.Sprintf("user_name = %q", "O\"BRIEN\\admin@example.com")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_user.test", tfjsonpath.New("id"), knownvalue.StringExact(tricky)),
					statecheck.ExpectKnownValue("data.scim_user.test", tfjsonpath.New("title"), knownvalue.StringExact("Tricky")),
				},
			},
			{
				Config: one(fmt.Sprintf("id = %q", tricky)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_user.test", tfjsonpath.New("user_name"), knownvalue.StringExact(trickyUserName)),
				},
			},
			{
				Config: one(`external_id = "ext-1"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_user.test", tfjsonpath.New("id"), knownvalue.StringExact(tricky)),
				},
			},
		},
	})
}

func TestAccUsersDataSource_paging(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 7})
	seedUsers(srv, "page", 20)
	srv.Put("Users", map[string]any{"userName": trickyUserName, "active": false})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetCounts,
				Config:    providerConfig(srv) + `data "scim_users" "all" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(21)),
				},
			},
			{
				Config: providerConfig(srv) + `
data "scim_users" "tricky" {
  filter = "userName eq \"O\\\"BRIEN\\\\admin@example.com\""
}
data "scim_users" "inactive" {
  filter = "active eq false"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_users.tricky", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"user_name": knownvalue.StringExact(trickyUserName)}),
					})),
					statecheck.ExpectKnownValue("data.scim_users.inactive", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				Config:      providerConfig(srv) + `data "scim_users" "bad" { filter = "userName eq" }`,
				ExpectError: regexp.MustCompile(`invalidFilter`),
			},
		},
	})
}

func TestAccGroupDataSources(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 7})
	users := seedUsers(srv, "gds", 2)
	eng := srv.Put("Groups", map[string]any{"displayName": "Engineering", "externalId": "grp-eng",
		"members": []any{map[string]any{"value": users[0]}, map[string]any{"value": users[1], "display": "x"}}})
	for i := 0; i < 9; i++ {
		srv.Put("Groups", map[string]any{"displayName": fmt.Sprintf("Team %d", i)})
	}
	srv.Put("Groups", map[string]any{"displayName": "Twins"})
	srv.Put("Groups", map[string]any{"displayName": "Twins"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "scim_group" "by_name" {
  display_name = "engineering"
}
data "scim_groups" "all" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.scim_group.by_name", tfjsonpath.New("id"), knownvalue.StringExact(eng)),
					statecheck.ExpectKnownValue("data.scim_group.by_name", tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(sortedIDs(users)[0]), knownvalue.StringExact(sortedIDs(users)[1]),
					})),
					statecheck.ExpectKnownValue("data.scim_groups.all", tfjsonpath.New("groups"), knownvalue.ListSizeExact(12)),
				},
			},
			{
				Config:      providerConfig(srv) + `data "scim_group" "x" { display_name = "Twins" }`,
				ExpectError: regexp.MustCompile(`2 groups are named "Twins"`),
			},
			{
				Config:      providerConfig(srv) + `data "scim_group" "x" { display_name = "Nope" }`,
				ExpectError: regexp.MustCompile(`No group with displayName "Nope"`),
			},
			{
				Config:      providerConfig(srv) + `data "scim_group" "x" { id = "nope" }`,
				ExpectError: regexp.MustCompile(`No group with id "nope"`),
			},
		},
	})
}

func TestAccServiceProviderConfigDataSource(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 50})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `data "scim_service_provider_config" "this" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.scim_service_provider_config.this", tfjsonpath.New("patch_supported"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.scim_service_provider_config.this", tfjsonpath.New("filter_max_results"), knownvalue.Int64Exact(50)),
				statecheck.ExpectKnownValue("data.scim_service_provider_config.this", tfjsonpath.New("dialect"), knownvalue.StringExact("generic")),
			},
		}},
	})
}

// expectOnlyImports passes when every planned change is a no-op import.
type expectOnlyImports struct{ want int }

func (e expectOnlyImports) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imports := 0
	for _, rc := range req.Plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() {
			resp.Error = fmt.Errorf("%s: planned %v, want only a no-op import", rc.Address, rc.Change.Actions)
			return
		}
		if rc.Change.Importing != nil {
			imports++
		}
	}
	if imports != e.want {
		resp.Error = fmt.Errorf("%d imports planned, want %d", imports, e.want)
	}
}

// The documented whole-tenant recipe (examples/tenant-import) imports 50
// users and 5 groups made outside Terraform, and the plan after it is empty.
func TestAccTenantImport(t *testing.T) {
	skipBelowTerraform(t, "1.7.0", "import blocks with for_each")
	recipe, err := os.ReadFile("../../examples/tenant-import/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	srv := scimtest.NewTestServer(t, scimtest.Options{PageCap: 20})
	var ids []string
	for i := 0; i < 50; i++ {
		doc := map[string]any{
			"userName": fmt.Sprintf("Tenant.User%02d@Example.com", i), "active": i%7 != 0,
			"displayName": fmt.Sprintf("User %02d", i), "externalId": fmt.Sprintf("ext-%02d", i),
			"name":   map[string]any{"givenName": "User", "familyName": fmt.Sprint(i), "formatted": fmt.Sprintf("User %d", i)},
			"emails": []any{map[string]any{"value": fmt.Sprintf("user%02d@example.com", i), "type": "work", "primary": true, "display": "d"}},
		}
		if i%5 == 0 {
			doc["title"] = "Manager"
			doc["roles"] = []any{map[string]any{"value": "admin", "primary": false}}
			doc["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = map[string]any{"department": "Ops"}
		}
		ids = append(ids, srv.Put("Users", doc))
	}
	for g := 0; g < 5; g++ {
		var members []any
		for _, id := range ids[g*10 : g*10+g+1] {
			members = append(members, map[string]any{"value": id, "display": "x", "type": "User"})
		}
		srv.Put("Groups", map[string]any{"displayName": fmt.Sprintf("Group %d", g), "members": members})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + string(recipe),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{expectOnlyImports{want: 55}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Destroy within a step: the harness's own final destroy cannot
				// read for_each (string-keyed) state.
				Config: providerConfig(srv),
			},
		},
	})
}

// TestAccListDataSourcesCheckTheFilter: an app that ignores filters returns
// everyone; scim_users and scim_groups still hold only what the filter
// describes, since every result is checked against it.
func TestAccListDataSourcesCheckTheFilter(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{FilterMode: "ignore"}})
	seedTenant(srv, 30, 3)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
data "scim_users" "inactive_engineers" {
  filter = "title eq \"Engineer\" and active eq false"
}
data "scim_groups" "g01" {
  filter = "displayName eq \"g01\""
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// users 9 and 24: multiples of 3, and every fifth one is inactive
				statecheck.ExpectKnownValue("data.scim_users.inactive_engineers", tfjsonpath.New("users"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.scim_groups.g01", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("g01")}),
				})),
			},
		}},
	})
}
