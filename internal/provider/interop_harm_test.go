package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// faultProxy puts a proxy of the test's own in front of a third-party SCIM
// server: refuse, when it returns true, answers a request itself before it
// reaches the server. It returns the proxy's SCIM base URL.
func faultProxy(t *testing.T, endpoint string, refuse func(w http.ResponseWriter, r *http.Request) bool) string {
	t.Helper()
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	origin := &url.URL{Scheme: target.Scheme, Host: target.Host}
	proxy := httputil.NewSingleHostReverseProxy(origin)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !refuse(w, r) {
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + target.Path
}

// TestAccInteropFailedCreateNeverClaimsHandMade: on SCIM servers this
// project did not write, behind a proxy that answers the first POST of a
// user and of a group with a 503 that never reaches the app, a hand-made
// active user and group of the same names are never taken: the user create
// is refused (adopt_existing is false), and destroy leaves both as they were.
func TestAccInteropFailedCreateNeverClaimsHandMade(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			user := scimCall(t, "POST", endpoint+"/Users", map[string]any{
				"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "harm-" + name + "@example.com",
				"active": true, "title": "Made by hand"})
			userID := fmt.Sprint(user["id"])
			group := scimCall(t, "POST", endpoint+"/Groups", map[string]any{
				"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Harm " + name,
				"members": []any{map[string]any{"value": userID}}})
			groupID := fmt.Sprint(group["id"])
			t.Cleanup(func() {
				scimCall(t, "DELETE", endpoint+"/Groups/"+groupID, nil)
				scimCall(t, "DELETE", endpoint+"/Users/"+userID, nil)
			})
			var mu sync.Mutex
			refused := map[string]bool{}
			proxied := faultProxy(t, endpoint, func(w http.ResponseWriter, r *http.Request) bool {
				mu.Lock()
				defer mu.Unlock()
				if r.Method != http.MethodPost || refused[r.URL.Path] {
					return false
				}
				refused[r.URL.Path] = true
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
				return true
			})
			intact := func(*terraform.State) error {
				u := scimCall(t, "GET", endpoint+"/Users/"+userID, nil)
				if fmt.Sprint(u["active"]) != "true" || u["title"] != "Made by hand" {
					return fmt.Errorf("the hand-made user changed: %v", u)
				}
				g := scimCall(t, "GET", endpoint+"/Groups/"+groupID, nil)
				if len(asSlice(g["members"])) != 1 {
					return fmt.Errorf("the hand-made group changed: %v", g)
				}
				return nil
			}
			config := fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "scim_user" "u" {
  user_name = "harm-%s@example.com"
  title     = "From Terraform"
}
`, proxied, name)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             intact,
				Steps: []resource.TestStep{{
					Config:      config + fmt.Sprintf("\nresource \"scim_group\" \"g\" {\n  display_name = \"Harm %s\"\n}\n", name),
					ExpectError: regexp.MustCompile(`(?s)SCIM user already exists.*` + regexp.QuoteMeta(userID)),
					Check:       intact,
				}},
			})
			if err := intact(nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestAccInteropParallelMembershipsWithoutPatch: the third-party servers
// behind a proxy that answers every PATCH with 405, so each of 12
// memberships applied at once is a GET, a merge and a PUT of one group:
// all 12 are kept, and the next plan is empty.
func TestAccInteropParallelMembershipsWithoutPatch(t *testing.T) {
	for name, endpoint := range interopEndpoints(t) {
		t.Run(name, func(t *testing.T) {
			proxied := faultProxy(t, endpoint, func(w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPatch {
					return false
				}
				w.Header().Set("Content-Type", "application/scim+json")
				w.WriteHeader(http.StatusMethodNotAllowed)
				_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"405","detail":"PATCH is not supported"}`))
				return true
			})
			config := fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "scim_user" "m" {
  count     = 12
  user_name = "parallel-%s-${count.index}@example.com"
}

resource "scim_group" "g" {
  display_name = "Parallel %s"
}

resource "scim_group_member" "m" {
  count     = 12
  group_id  = scim_group.g.id
  member_id = scim_user.m[count.index].id
}
`, proxied, name, name)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: config,
						Check: func(s *terraform.State) error {
							g := scimCall(t, "GET", endpoint+"/Groups/"+s.RootModule().Resources["scim_group.g"].Primary.ID, nil)
							if n := len(asSlice(g["members"])); n != 12 {
								return fmt.Errorf("the app holds %d members, want 12", n)
							}
							return nil
						},
					},
					{Config: config, PlanOnly: true},
				},
			})
		})
	}
}
