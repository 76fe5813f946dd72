package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

const entraConfig = `
resource "scim_user" "person" {
  count        = 40
  user_name    = format("p%%02d@contoso.example", count.index)
  display_name = format("Person %%02d", count.index)
  name         = { given_name = "Person", family_name = format("%%02d", count.index) }
  emails       = [{ value = format("p%%02d@contoso.example", count.index), type = "work", primary = true }]
}

resource "scim_group" "test" {
  display_name = "Auditors"
  members      = [for i in %s : scim_user.person[i].id]
}
`

// entraPersonMembers checks that the app's group holds exactly the
// people numbered in want (scim_user.person[n]).
func entraPersonMembers(srv *scimtest.TestServer, want []int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ids := make([]string, len(want))
		for i, n := range want {
			ids[i] = s.RootModule().Resources[fmt.Sprintf("scim_user.person.%d", n)].Primary.ID
		}
		return checkServerMembers(srv, ids)(s)
	}
}

// entraPeople lists the people numbered from to to-1.
func entraPeople(from, to int) []int {
	var people []int
	for i := from; i < to; i++ {
		people = append(people, i)
	}
	return people
}

// TestAccEntraPreset: vendor = "entra" against a server that behaves as
// the Entra ID SCIM API reference documents (lower-case paths, no PUT,
// members never on group reads, at most 20 members added per operation
// and 1 removed per request, never mixed, cursor paging, "resources"):
// create, a member swap (alice+bob to alice+carol, one add and one
// remove), a change past both limits (30 added, 3 removed at once),
// import, destroy and re-create all work, and every plan afterwards is
// empty (the harness checks each step's plan after apply).
func TestAccEntraPreset(t *testing.T) {
	srv := newPresetServer(t, "entra")
	config := func(members []int) string {
		list, _ := json.Marshal(members)
		return vendorProviderConfig(srv, "entra") + fmt.Sprintf(entraConfig, list)
	}
	members := func(want []int) resource.TestCheckFunc { return entraPersonMembers(srv, want) }
	// No PATCH ever mixed member changes or broke a limit: the server
	// would have answered 400, so check the requests it saw as well.
	checkPatches := func(*terraform.State) error {
		for _, r := range srv.Requests() {
			if r.Method != "PATCH" || !strings.Contains(r.Path, "/groups/") {
				continue
			}
			adds, removes := strings.Count(r.Body, `"op":"add"`), strings.Count(r.Body, `"op":"remove"`)
			if adds+removes > 1 || strings.Count(r.Body, `"value":"`) > 20 {
				return fmt.Errorf("one PATCH carried %d additions and %d removals: %s", adds, removes, r.Body)
			}
		}
		return nil
	}
	swapped := []int{0, 2}
	many := append([]int{0}, entraPeople(5, 35)...) // 30 added, 2 removed
	fewer := entraPeople(8, 35)                     // 0 and 5-7 removed: 4 removals
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupsDeleted(srv),
		Steps: []resource.TestStep{
			{Config: config([]int{0, 1}), Check: members([]int{0, 1})},
			{
				Config: config(swapped),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(groupAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(members(swapped), checkPatches),
			},
			{Config: config(many), Check: resource.ComposeTestCheckFunc(members(many), checkPatches)},
			{Config: config(fewer), Check: resource.ComposeTestCheckFunc(members(fewer), checkPatches)},
			{ResourceName: groupAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"members"}},
			{Config: config(fewer), PlanOnly: true},
			// Destroy everything, then create it all again.
			{Config: vendorProviderConfig(srv, "entra"), Check: func(*terraform.State) error {
				if n := len(srv.All("Groups")); n != 0 {
					return fmt.Errorf("%d groups left after destroy", n)
				}
				return nil
			}},
			{Config: config(swapped), Check: members(swapped)},
		},
	})
}

// TestAccEntraGroupReadsShowingEmptyMembers (issue 43, item 6): the entra
// preset (members read by filter) against an app whose group reads carry
// "members": [] whatever the group holds, as AWS documents its group
// reads. The empty list is not taken as the truth: the group is created
// with each member once (no "members were not kept" re-send), a
// scim_group_member beside it is not planned again, a member swap and an
// import work, and every plan after an apply is empty.
func TestAccEntraGroupReadsShowingEmptyMembers(t *testing.T) {
	opts, _ := scimtest.Preset("entra")
	opts.MembersNever, opts.MembersEmpty = false, true
	srv := scimtest.NewTestServer(t, opts)
	config := func(members []int) string {
		list, _ := json.Marshal(members)
		return vendorProviderConfig(srv, "entra") + fmt.Sprintf(entraConfig, list) + `
resource "scim_group" "open" {
  display_name = "Readers"
}

resource "scim_group_member" "reader" {
  group_id  = scim_group.open.id
  member_id = scim_user.person[3].id
}
`
	}
	members := func(want []int) resource.TestCheckFunc { return entraPersonMembers(srv, want) }
	emptyOnRead := func(*terraform.State) error {
		for _, g := range srv.All("Groups") {
			id := fmt.Sprint(g["id"])
			doc := serverGet(t, srv, "groups/"+id)
			if m, ok := doc["members"].([]any); !ok || len(m) != 0 {
				return fmt.Errorf("the app's read of group %s shows members %v, want the quirk's []", id, doc["members"])
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config([]int{0, 1}), Check: resource.ComposeTestCheckFunc(members([]int{0, 1}), emptyOnRead)},
			{Config: config([]int{0, 2}), Check: members([]int{0, 2})},
			{Config: config([]int{0, 2}), PlanOnly: true},
			// Import reads the members by filter (in the app's order).
			{ResourceName: groupAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"members"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					attrs := states[0].Attributes
					var got, want []string
					for i := 0; attrs[fmt.Sprintf("members.%d", i)] != ""; i++ {
						got = append(got, attrs[fmt.Sprintf("members.%d", i)])
					}
					for _, m := range asSlice(srv.Get("Groups", states[0].ID)["members"]) {
						want = append(want, fmt.Sprint(m.(map[string]any)["value"]))
					}
					slices.Sort(got)
					slices.Sort(want)
					if len(want) != 2 || !slices.Equal(got, want) {
						return fmt.Errorf("imported members %v, want the app's %v", got, want)
					}
					return nil
				}},
		},
	})
}

// serverGet reads path through the app's API, as the provider would.
func serverGet(t *testing.T, srv *scimtest.TestServer, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/"+path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d (%v)", path, resp.StatusCode, err)
	}
	return doc
}
