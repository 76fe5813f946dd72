package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// proseRegexp matches text as Terraform prints it: wrapped at any space.
func proseRegexp(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

// deleteOverHTTP deletes a user the way the app's admin (or another tool)
// would through SCIM, so that the server's DELETE semantics apply.
func deleteOverHTTP(t *testing.T, srv *scimtest.TestServer, id string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/Users/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	_ = resp.Body.Close()
}

// TestAccRealApps_deleteKeepsAccount: the app unlinked a user on DELETE but
// kept its account, so re-creating it is refused although no filter finds
// it. The diagnostic says exactly that, and the rest of the apply goes on.
func TestAccRealApps_deleteKeepsAccount(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{DeleteKeepsAccount: true}})
	cfg := func(extra string) string {
		return providerConfig(srv) + `
resource "scim_user" "kept" {
  user_name = "kept@example.com"
  emails    = [{ value = "kept.mail@example.com", type = "work" }]
}
resource "scim_user" "other" {
  user_name = "other@example.com"
}
` + extra
	}
	var keptID string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(""),
				Check: func(s *terraform.State) error {
					keptID = s.RootModule().Resources["scim_user.kept"].Primary.ID
					return nil
				},
			},
			{
				// Deleted out of band: refresh drops it, the re-create is
				// refused with the app's 409, and a new user elsewhere in the
				// same apply is still created.
				PreConfig: func() { deleteOverHTTP(t, srv, keptID) },
				Config:    cfg(`resource "scim_user" "new" { user_name = "new@example.com" }`),
				ExpectError: regexp.MustCompile(`(?s)The app still holds an account with this user name or email.*` +
					proseRegexp(`"kept@example.com" as a duplicate`) + `.*kept\.mail@example\.com.*` +
					proseRegexp(`that SCIM no longer shows`) + `.*` +
					proseRegexp(`Restore or remove that account in the app's admin console, or change user_name and emails.`) + `.*HTTP 409`),
			},
			{
				Config: cfg(`resource "scim_user" "new" { user_name = "new@example.com" }`) + "\n",
				PreConfig: func() {
					if serverUser(srv, "new@example.com") == nil {
						t.Error("the user next to the refused one was not created")
					}
				},
				ExpectError: regexp.MustCompile(`The app still holds an account`),
			},
		},
	})
}

// TestAccRealApps_asyncApp: an app that answers 404 for a few seconds after
// a POST and shows group changes late. Within the dialect's consistency
// window, reads right after this provider's writes wait for the app instead
// of dropping the objects (which would create duplicates) or reporting the
// lag as drift: every step ends with an empty plan.
func TestAccRealApps_asyncApp(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{
		CreateDelay: 2 * time.Second, GroupDelay: 2 * time.Second,
	}})
	cfg := func(members string) string {
		return providerConfigWith(srv, `dialect = { consistency_window = "20s" }`) + fmt.Sprintf(`
resource "scim_user" "a" { user_name = "async-a@example.com" }
resource "scim_user" "b" { user_name = "async-b@example.com" }
resource "scim_group" "g" {
  display_name = "Async"
  members      = %s
}
resource "scim_group" "open" { display_name = "Async open" }
resource "scim_group_member" "m" {
  group_id  = scim_group.open.id
  member_id = scim_user.b.id
}
`, members)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("[scim_user.a.id]")},
			{
				Config: cfg("[scim_user.a.id, scim_user.b.id]"),
				Check: func(*terraform.State) error {
					if n := len(srv.All("Users")); n != 2 {
						return fmt.Errorf("%d users on the server, want 2 (no duplicates)", n)
					}
					return nil
				},
			},
		},
	})
}

// TestAccRealApps_asyncWindowOff: without a consistency window, the same
// app's lag shows, which is what the window is for.
func TestAccRealApps_asyncWindowOff(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{CreateDelay: 3 * time.Second}})
	// Another user of the tenant: with none, the refresh stops instead
	// (the collection lists nothing; see TestAccEmptiedTenantStopsRefresh).
	srv.Put("Users", map[string]any{"userName": "hand-made@example.com"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             providerConfig(srv) + `resource "scim_user" "a" { user_name = "lag@example.com" }`,
			ExpectNonEmptyPlan: true,
		}},
	})
}

// TestAccRealApps_groupDataSourcesEveryMembersRead: data.scim_group and
// data.scim_groups see the members under every members_read mode.
func TestAccRealApps_groupDataSourcesEveryMembersRead(t *testing.T) {
	cases := []struct {
		mode string
		opts scimtest.Options
	}{
		{"inline", scimtest.Options{}},
		{"attributes", scimtest.Options{MembersNotInline: true}},
		{"filter", scimtest.Options{Quirks: scimtest.Quirks{MembersNever: true}}},
		{"paged", scimtest.Options{Quirks: scimtest.Quirks{MembersNever: true}}},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, tc.opts)
			users := seedUsers(srv, "dsm", 3)
			g := srv.Put("Groups", map[string]any{"displayName": "Seen", "members": []any{
				map[string]any{"value": users[0]}, map[string]any{"value": users[2]},
			}})
			srv.Put("Groups", map[string]any{"displayName": "Empty"})
			want := knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact(sortedIDs([]string{users[0], users[2]})[0]),
				knownvalue.StringExact(sortedIDs([]string{users[0], users[2]})[1]),
			})
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerConfigWith(srv, fmt.Sprintf(`dialect = { members_read = %q, discovery = false }`, tc.mode)) +
						fmt.Sprintf(`
data "scim_group" "seen" { id = %q }
data "scim_groups" "all" {}
`, g),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.scim_group.seen", tfjsonpath.New("members"), want),
						statecheck.ExpectKnownValue("data.scim_groups.all", tfjsonpath.New("groups").AtSliceIndex(0).AtMapKey("members"), want),
						statecheck.ExpectKnownValue("data.scim_groups.all", tfjsonpath.New("groups").AtSliceIndex(1).AtMapKey("members"),
							knownvalue.ListExact([]knownvalue.Check{})),
					},
				}},
			})
		})
	}
}

// TestAccResourceTimeouts: a timeouts block bounds an operation, retries
// and waits included, with an error that says so and what to do.
func TestAccResourceTimeouts(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		if r.Method != http.MethodPost {
			return false
		}
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		return true
	}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
resource "scim_user" "test" {
  user_name = "slow@example.com"
  timeouts {
    create = "2s"
  }
}
`,
			ExpectError: regexp.MustCompile(`(?s)Error creating SCIM user.*` + proseRegexp(`did not finish within its time limit`) + `.*` +
				proseRegexp(`Raise it with a timeouts block on the resource`)),
		}},
	})
}
