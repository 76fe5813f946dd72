package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// pagedRefreshConfig declares users and, where the app has groups, groups
// of two of them each.
func pagedRefreshConfig(provider string, users, groups int) string {
	config := provider + fmt.Sprintf(`
resource "scim_user" "u" {
  count        = %d
  user_name    = "paged${count.index}@example.com"
  display_name = "Paged ${count.index}"
  name         = { given_name = "Paged", family_name = "User ${count.index}" }
  title        = "v1"
}
`, users)
	if groups > 0 {
		config += fmt.Sprintf(`
resource "scim_group" "g" {
  count        = %d
  display_name = "Paged group ${count.index}"
  members      = [scim_user.u[count.index].id, scim_user.u[count.index + 1].id]
}
`, groups)
	}
	return config
}

// singleReads counts GETs of one object (/Users/{id}, /Groups/{id}, in
// either case: Entra's paths are lower-case).
func singleReads(srv *scimtest.TestServer, collection string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && strings.Contains(strings.ToLower(r.Path), "/"+strings.ToLower(collection)+"/") {
			n++
		}
	}
	return n
}

// TestAccPagedRefresh: with paged_refresh = "always", refresh reads every
// user (and group, where listings carry members) from listing pages under
// each server preset, and still sees out-of-band changes, deletions and
// membership edits as drift.
func TestAccPagedRefresh(t *testing.T) {
	for _, dc := range dialectCases {
		t.Run(dc.server, func(t *testing.T) {
			srv := newPresetServer(t, dc.server)
			groups := 0
			if dc.groups {
				groups = 8
			}
			provider := fmt.Sprintf(`
provider "scim" {
  endpoint      = %q
  token         = %q
  vendor        = %q
  paged_refresh = "always"
  # Reads within an app's consistency window after a write are GETs, by
  # design; the window is closed here so that every read may use pages.
  dialect = { consistency_window = "0s" }
}
`, srv.URL, srv.Token, dc.vendor)
			config := pagedRefreshConfig(provider, 12, groups)
			var drifted, deleted, regrouped string
			planChecks := []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("scim_user.u[3]", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("scim_user.u[4]", plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction("scim_user.u[5]", plancheck.ResourceActionNoop),
			}
			if dc.groups {
				planChecks = append(planChecks, plancheck.ExpectResourceAction("scim_group.g[2]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("scim_group.g[6]", plancheck.ResourceActionNoop))
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig:          srv.ResetCounts,
						Config:             config,
						ConfigPlanChecks:   resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check:              checkReadFromPages(srv, dc),
						ExpectNonEmptyPlan: false,
					},
					{
						PreConfig: func() {
							drifted, deleted = findUser(srv, "paged3@example.com"), findUser(srv, "paged4@example.com")
							srv.Modify("Users", drifted, func(doc map[string]any) { doc["title"] = "changed in the app" })
							srv.Remove("Users", deleted)
							if dc.groups {
								regrouped = findGroup(srv, "Paged group 2")
								srv.Modify("Groups", regrouped, func(doc map[string]any) { doc["members"] = []any{} })
							}
						},
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks},
						Check: resource.ComposeAggregateTestCheckFunc(
							resource.TestCheckResourceAttr("scim_user.u.3", "title", "v1"),
							func(*terraform.State) error {
								if doc := srv.Get("Users", drifted); doc["title"] != "v1" {
									return fmt.Errorf("user 3 after apply: %v", doc)
								}
								if dc.groups && len(srv.Get("Groups", regrouped)["members"].([]any)) != 2 {
									return fmt.Errorf("group 2 after apply: %v", srv.Get("Groups", regrouped))
								}
								return nil
							},
						),
					},
				},
			})
		})
	}
}

// checkReadFromPages: no single GET of a user (where the app can list
// users without a filter), nor of a group where the dialect reads members
// inline; at least one listing.
func checkReadFromPages(srv *scimtest.TestServer, dc dialectCase) resource.TestCheckFunc {
	d, _ := scim.Preset(dc.vendor)
	return func(*terraform.State) error {
		if n := singleReads(srv, "Users"); !d.ListNeedsFilter && n != 0 {
			return fmt.Errorf("%d GETs of single users; want every user read from a page", n)
		}
		if n := singleReads(srv, "Groups"); dc.groups && d.MembersRead == scim.MembersInline && n != 0 {
			return fmt.Errorf("%d GETs of single groups; want every group read from a page", n)
		}
		if srv.Count("list") == 0 {
			return fmt.Errorf("no listing requests")
		}
		return nil
	}
}

func findUser(srv *scimtest.TestServer, userName string) string {
	for _, doc := range srv.All("Users") {
		if strings.EqualFold(fmt.Sprint(doc["userName"]), userName) {
			return fmt.Sprint(doc["id"])
		}
	}
	return ""
}

func findGroup(srv *scimtest.TestServer, displayName string) string {
	for _, doc := range srv.All("Groups") {
		if doc["displayName"] == displayName {
			return fmt.Sprint(doc["id"])
		}
	}
	return ""
}
