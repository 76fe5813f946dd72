package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// interopEnv names the SCIM servers this project did not write, as
// name=base URL pairs separated by commas; scripts/interop.sh installs and
// starts them (SCIMMY and elimity-com/scim) and sets it.
const interopEnv = "SCIM_INTEROP_ENDPOINTS"

func interopEndpoints(t *testing.T) map[string]string {
	raw := os.Getenv(interopEnv)
	if raw == "" {
		t.Skipf("%s is not set: run scripts/interop.sh (CI does) to start the third-party SCIM servers", interopEnv)
	}
	out := map[string]string{}
	for _, pair := range strings.Split(raw, ",") {
		name, url, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			t.Fatalf("%s: %q is not name=url", interopEnv, pair)
		}
		out[name] = url
	}
	return out
}

// scimCall sends one request to a third-party server, as an admin editing
// the app by hand would, and decodes the answer.
func scimCall(t *testing.T, method, url string, body any) map[string]any {
	t.Helper()
	var reader io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		reader = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, reader)
	req.Header.Set("Authorization", "Bearer interop")
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: HTTP %d %s", method, url, resp.StatusCode, b)
	}
	var doc map[string]any
	_ = json.Unmarshal(b, &doc)
	return doc
}

func interopConfig(endpoint, dialect, title, groupName string, withA bool, members string) string {
	cfg := fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
  %s
}

resource "scim_user" "b" {
  user_name = "interop-b@example.com"
  emails    = [{ value = "interop-b@example.com", type = "work", primary = true }]
}

resource "scim_group" "team" {
  display_name = %q
  members      = %s
}

resource "scim_group" "open" {
  display_name = "Interop open"
}

resource "scim_group_member" "b" {
  group_id  = scim_group.open.id
  member_id = scim_user.b.id
}
`, endpoint, dialect, groupName, members)
	if withA {
		cfg += fmt.Sprintf(`
resource "scim_user" "a" {
  user_name    = "interop-a@example.com"
  display_name = "Interop A"
  title        = %q
  name         = { given_name = "Interop", family_name = "A" }
  emails       = [{ value = "interop-a@example.com", type = "work", primary = true }]
  enterprise   = { department = "Security" }
}
`, title)
	}
	return cfg
}

// TestAccInterop runs the acceptance lifecycle against SCIM servers this
// project did not write: create, update, drift, import, destroy
// (deactivation), reactivation, groups and members; once with PATCH, and
// once with every write as GET, merge and PUT (update_method = "put"), and
// once with every refresh read from listing pages (paged_refresh = "always"),
// so that drift and import are also seen through these apps' listings.
func TestAccInterop(t *testing.T) {
	endpoints := interopEndpoints(t)
	for _, mode := range []string{"patch", "put", "pages"} {
		for name, endpoint := range endpoints {
			t.Run(name+"/"+mode, func(t *testing.T) { testInteropLifecycle(t, endpoint, mode) })
		}
	}
}

func testInteropLifecycle(t *testing.T, endpoint, mode string) {
	dialect := fmt.Sprintf(`dialect = { update_method = %q }`, mode)
	if mode == "pages" {
		dialect = `paged_refresh = "always"`
	}
	config := func(endpoint, title, groupName string, withA bool, members string) string {
		return interopConfig(endpoint, dialect, title, groupName, withA, members)
	}
	var aID string
	userA := func(s *terraform.State) error {
		aID = s.RootModule().Resources["scim_user.a"].Primary.ID
		return nil
	}
	serverA := func(check func(doc map[string]any) error) resource.TestCheckFunc {
		return func(*terraform.State) error { return check(scimCall(t, "GET", endpoint+"/Users/"+aID, nil)) }
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			list := scimCall(t, "GET", endpoint+"/Users?count=100", nil)
			for _, u := range asSlice(list["Resources"]) {
				if doc := u.(map[string]any); fmt.Sprint(doc["active"]) == "true" {
					return fmt.Errorf("user %v still active after destroy", doc["userName"])
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config(endpoint, "Engineer", "Interop team", true, "[scim_user.a.id]"),
				Check: resource.ComposeTestCheckFunc(userA, serverA(func(doc map[string]any) error {
					if doc["title"] != "Engineer" || doc["displayName"] != "Interop A" {
						return fmt.Errorf("server user %v", doc)
					}
					return nil
				})),
			},
			{
				Config: config(endpoint, "Lead", "Interop team renamed", true, "[scim_user.b.id]"),
				Check: serverA(func(doc map[string]any) error {
					if doc["title"] != "Lead" {
						return fmt.Errorf("title %v after update", doc["title"])
					}
					return nil
				}),
			},
			{
				PreConfig: func() {
					scimCall(t, "PATCH", endpoint+"/Users/"+aID, map[string]any{
						"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
						"Operations": []any{map[string]any{"op": "replace", "path": "title", "value": "Changed by hand"}},
					})
				},
				Config: config(endpoint, "Lead", "Interop team renamed", true, "[scim_user.b.id]"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("scim_user.a", plancheck.ResourceActionUpdate)},
				},
				Check: serverA(func(doc map[string]any) error {
					if doc["title"] != "Lead" {
						return fmt.Errorf("drift not restored: title %v", doc["title"])
					}
					return nil
				}),
			},
			{ResourceName: "scim_user.a", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"extensions"}},
			{ResourceName: "scim_group.team", ImportState: true, ImportStateVerify: true},
			{
				Config: config(endpoint, "Lead", "Interop team renamed", false, "[scim_user.b.id]"),
				Check: func(*terraform.State) error {
					if doc := scimCall(t, "GET", endpoint+"/Users/"+aID, nil); fmt.Sprint(doc["active"]) != "false" {
						return fmt.Errorf("user not deactivated on destroy: %v", doc)
					}
					return nil
				},
			},
			{
				Config: config(endpoint, "Lead", "Interop team renamed", true, "[scim_user.b.id]"),
				Check: func(s *terraform.State) error {
					if id := s.RootModule().Resources["scim_user.a"].Primary.ID; id != aID {
						return fmt.Errorf("re-created as %s instead of reactivating %s", id, aID)
					}
					if doc := scimCall(t, "GET", endpoint+"/Users/"+aID, nil); fmt.Sprint(doc["active"]) != "true" {
						return fmt.Errorf("user not reactivated: %v", doc)
					}
					return nil
				},
			},
		},
	})
}

// countingTransport counts listing requests and single-object reads.
type countingTransport struct {
	lists, singles atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet {
		if strings.HasSuffix(r.URL.Path, "/Users") || strings.HasSuffix(r.URL.Path, "/Groups") {
			c.lists.Add(1)
		} else {
			c.singles.Add(1)
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestAccInteropPagedReads: on the third-party servers, a user or group
// read from a listing page is exactly what a GET of it gives, and the
// reads cost listing pages, not one GET each.
func TestAccInteropPagedReads(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var users, groups []string
			for i := range 12 {
				doc := scimCall(t, "POST", endpoint+"/Users", map[string]any{
					"schemas":  []string{scim.SchemaUser},
					"userName": fmt.Sprintf("interop-paged-%d@example.com", i), "displayName": fmt.Sprintf("Paged %d", i),
					"title":  "Reader",
					"emails": []any{map[string]any{"value": fmt.Sprintf("interop-paged-%d@example.com", i), "type": "work", "primary": true}},
				})
				users = append(users, fmt.Sprint(doc["id"]))
			}
			for i := range 3 {
				doc := scimCall(t, "POST", endpoint+"/Groups", map[string]any{
					"schemas": []string{scim.SchemaGroup}, "displayName": fmt.Sprintf("Interop paged %d", i),
					"members": []any{map[string]any{"value": users[i]}, map[string]any{"value": users[i+1]}},
				})
				groups = append(groups, fmt.Sprint(doc["id"]))
			}
			t.Cleanup(func() {
				for _, id := range groups {
					scimCall(t, "DELETE", endpoint+"/Groups/"+id, nil)
				}
				for _, id := range users {
					scimCall(t, "DELETE", endpoint+"/Users/"+id, nil)
				}
			})
			counter := &countingTransport{}
			paged, err := scim.New(scim.Config{Endpoint: endpoint, Token: "interop", Refresh: scim.RefreshPages, Transport: counter})
			if err != nil {
				t.Fatal(err)
			}
			plain, err := scim.New(scim.Config{Endpoint: endpoint, Token: "interop"})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range users {
				got, err := paged.Users.Refresh(ctx, id, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				want, err := plain.Users.Get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("user %s from a page:\n%+v\nby GET:\n%+v", id, got, want)
				}
			}
			for _, id := range groups {
				got, err := paged.Groups.RefreshWithMembers(ctx, id, users, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				want, err := plain.Groups.GetWithMembers(ctx, id, users)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("group %s from a page:\n%+v\nby GET:\n%+v", id, got, want)
				}
			}
			if counter.singles.Load() != 0 || counter.lists.Load() == 0 {
				t.Errorf("%d single reads and %d listing pages; want every read from pages", counter.singles.Load(), counter.lists.Load())
			}
		})
	}
}
