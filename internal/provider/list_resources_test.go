package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// seedTenant puts users and groups straight into the server, as an
// existing tenant has them: users u000..u<n-1>@example.com (every fifth
// one deactivated, every third one with a title), and groups g00..g<m-1>
// whose members are the users whose number is a multiple of the group's.
func seedTenant(srv *scimtest.TestServer, users, groups int) (userIDs, groupIDs []string) {
	for i := range users {
		doc := map[string]any{
			"schemas":  []any{scim.SchemaUser},
			"userName": fmt.Sprintf("u%03d@example.com", i),
			"active":   i%5 != 4,
			"name":     map[string]any{"givenName": "User", "familyName": fmt.Sprintf("Number %d", i)},
			"emails":   []any{map[string]any{"value": fmt.Sprintf("u%03d@example.com", i), "type": "work", "primary": true}},
		}
		if i%3 == 0 {
			doc["title"] = "Engineer"
			doc["displayName"] = fmt.Sprintf("User %d", i)
		}
		userIDs = append(userIDs, srv.Put("Users", doc))
	}
	for g := range groups {
		var members []any
		for i, id := range userIDs {
			if i%(g+2) == 0 {
				members = append(members, map[string]any{"value": id})
			}
		}
		groupIDs = append(groupIDs, srv.Put("Groups", map[string]any{
			"schemas": []any{scim.SchemaGroup}, "displayName": fmt.Sprintf("g%02d", g), "members": members,
		}))
	}
	return userIDs, groupIDs
}

// `terraform query` lists users and groups, narrowed by a raw filter, a
// prefix and active, with identities, display names and (with
// include_resource) the objects an import would store.
func TestAccListResources(t *testing.T) {
	runsOnEveryCLI(t)
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	userIDs, groupIDs := seedTenant(srv, 30, 3)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_14_0), // list resources and terraform query
		},
		Steps: []resource.TestStep{
			{Config: providerConfig(srv)}, // a query needs an initialized working directory
			{
				Query: true,
				// Query files sit beside the configuration of the previous
				// step, which holds the provider block.
				Config: `
list "scim_user" "all" {
  provider = scim
  limit    = 1000
}

list "scim_user" "u01_active" {
  provider = scim
  config {
    user_name_prefix = "U01"
    active           = true
  }
}

list "scim_user" "engineers" {
  provider         = scim
  include_resource = true
  config {
    filter = "title eq \"Engineer\""
  }
}

list "scim_user" "first_five" {
  provider = scim
  limit    = 5
}

list "scim_group" "all" {
  provider         = scim
  include_resource = true
}

list "scim_group" "g01" {
  provider = scim
  config {
    display_name_prefix = "g01"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("scim_user.all", 30),
					// u010..u019 less u014 and u019, deactivated.
					querycheck.ExpectLength("scim_user.u01_active", 8),
					querycheck.ExpectLength("scim_user.engineers", 10),
					querycheck.ExpectLength("scim_user.first_five", 5),
					querycheck.ExpectLength("scim_group.all", 3),
					querycheck.ExpectLength("scim_group.g01", 1),
					querycheck.ExpectIdentity("scim_user.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(userIDs[4])}),
					querycheck.ExpectResourceDisplayName("scim_user.all",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(userIDs[4])}),
						knownvalue.StringExact("u004@example.com (inactive)")),
					querycheck.ExpectResourceDisplayName("scim_user.engineers",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(userIDs[3])}),
						knownvalue.StringExact("u003@example.com (User 3)")),
					querycheck.ExpectResourceKnownValues("scim_user.engineers",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(userIDs[3])}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("user_name"), KnownValue: knownvalue.StringExact("u003@example.com")},
							{Path: tfjsonpath.New("title"), KnownValue: knownvalue.StringExact("Engineer")},
							{Path: tfjsonpath.New("destroy_mode"), KnownValue: knownvalue.StringExact("deactivate")},
						}),
					querycheck.ExpectResourceKnownValues("scim_group.all",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(groupIDs[2])}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.StringExact("g02")},
							// every fourth user of 30: 0, 4, ..., 28
							{Path: tfjsonpath.New("members"), KnownValue: knownvalue.ListSizeExact(8)},
						}),
				},
			},
			{
				Query: true,
				Config: `
list "scim_user" "bad" {
  provider = scim
  config {
    filter = "userName eq alice"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid SCIM filter.*userName eq alice.*double quotes`),
			},
		},
	})
}

// The list resources honour dialects: on every preset's local model, and
// on AWS IAM Identity Center (only eq filters, groups paged by cursor,
// members never returned) in particular, the prefix and active
// conveniences are never sent where the app cannot filter so and are
// applied by the provider, and group members come from per-user filters;
// on an app that rejects "sw" without saying so in advance, the provider
// falls back after one 400. Google Cloud Identity lists users only by
// userName eq: only that listing is asked of it.
func TestAccListResources_dialects(t *testing.T) {
	runsOnEveryCLI(t)
	type listCase struct {
		name, server, vendor string
		groups, listsUsers   bool
	}
	cases := []listCase{
		{"rejects_sw", "eq_only", "generic", true, true},
		// Every listing returns everyone: the raw filters are checked here.
		{"ignores_filters", "ignore", "generic", true, true},
	}
	for _, dc := range dialectCases {
		d, _ := scim.Preset(dc.vendor)
		cases = append(cases, listCase{dc.server, dc.server, dc.vendor, dc.groups, !d.ListNeedsFilter})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var srv *scimtest.TestServer
			if tc.server == "eq_only" || tc.server == "ignore" {
				srv = scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{FilterMode: tc.server}})
			} else {
				srv = newPresetServer(t, tc.server)
			}
			groups := 0
			if tc.groups {
				groups = 3
			}
			userIDs, groupIDs := seedTenant(srv, 30, groups)
			// Names are g00..g02; the prefix asked in another case shows
			// the provider's own check ignores case, except on the sloppy
			// server, whose filters compare case-sensitively (a listing
			// cannot show what the app leaves out).
			groupPrefix := "G0"
			engineers, wantEngineers := `title eq \"Engineer\" and active eq true`, 8 // 0, 3, ..., 27 but 9 and 24, inactive
			if opts, _ := scimtest.Preset(tc.server); opts.UserNameCaseSensitive {
				groupPrefix = "g0"
			} else if opts.FilterMode == "single" {
				// GitHub takes one filter expression: and is refused.
				engineers, wantEngineers = `title eq \"Engineer\"`, 10
			}
			query := `
list "scim_user" "by_name" {
  provider = scim
  config {
    filter = "userName eq \"u007@example.com\""
  }
}
`
			checks := []querycheck.QueryResultCheck{
				querycheck.ExpectIdentity("scim_user.by_name", map[string]knownvalue.Check{"id": knownvalue.StringExact(userIDs[7])}),
				querycheck.ExpectLength("scim_user.by_name", 1),
			}
			if tc.listsUsers {
				query += `
list "scim_user" "u01_active" {
  provider = scim
  config {
    user_name_prefix = "u01"
    active           = true
  }
}

list "scim_user" "active_engineers" {
  provider = scim
  config {
    filter = "` + engineers + `"
  }
}
`
				checks = append(checks,
					querycheck.ExpectLength("scim_user.u01_active", 8),
					querycheck.ExpectLength("scim_user.active_engineers", wantEngineers))
			}
			if tc.groups {
				query += fmt.Sprintf(`
list "scim_group" "g0" {
  provider         = scim
  include_resource = true
  config {
    display_name_prefix = %q
  }
}
`, groupPrefix)
				checks = append(checks,
					querycheck.ExpectLength("scim_group.g0", 3),
					querycheck.ExpectResourceKnownValues("scim_group.g0",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(groupIDs[0])}),
						[]querycheck.KnownValueCheck{
							// every second user of 30
							{Path: tfjsonpath.New("members"), KnownValue: knownvalue.ListSizeExact(15)},
						}))
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
				Steps: []resource.TestStep{
					{Config: vendorProviderConfig(srv, tc.vendor)},
					{Query: true, Config: query, QueryResultChecks: checks},
				},
			})
			var sw int
			for _, r := range srv.Requests() {
				if strings.Contains(r.Query, "+sw+") || strings.Contains(r.Query, "%20sw%20") {
					sw++
				}
			}
			switch {
			case tc.server == "aws" && sw > 0:
				t.Errorf("%d listings with sw sent to AWS, whose dialect says it filters only with eq", sw)
			case tc.server == "eq_only" && sw == 0:
				t.Error("no listing with sw was sent: the fallback after a 400 was not exercised")
			}
		})
	}
}
