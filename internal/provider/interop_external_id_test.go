package provider

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccInteropExternalIDChange (issue 43, item 1): on SCIM servers this
// project did not write, a user whose external_id, title, display_name and
// given name all change at once, wired from a terraform_data output
// (unknown until apply), applies; the app then holds the new values, read
// directly, and the next plan is empty. Also behind a proxy that answers
// 400 invalidPath to every PATCH touching externalId, as elimity-com/scim
// did before it took externalId as a PATCH path: the provider learns the
// refusal and writes externalId with the app's own GET and PUT.
func TestAccInteropExternalIDChange(t *testing.T) {
	for name, server := range interopEndpoints(t) {
		for _, refusing := range []bool{false, true} {
			endpoint := server
			if refusing {
				endpoint = faultProxy(t, server, refuseExternalIDPatches)
			}
			t.Run(fmt.Sprintf("%s/patch_refused=%v", name, refusing), func(t *testing.T) {
				name := fmt.Sprintf("%s-%v", name, refusing)
				config := func(version string) string {
					return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  token    = "interop"
}

resource "terraform_data" "v" {
  input = %q
}

resource "scim_user" "test" {
  user_name    = "interop-extid-%s@example.com"
  external_id  = "ext-${terraform_data.v.output}"
  title        = "Title ${terraform_data.v.output}"
  display_name = "Display ${terraform_data.v.output}"
  name = {
    given_name  = "Given ${terraform_data.v.output}"
    family_name = "Family"
  }
}
`, endpoint, version, name)
				}
				inApp := func(version string) resource.TestCheckFunc {
					return func(s *terraform.State) error {
						id := s.RootModule().Resources[userAddr].Primary.ID
						u := scimCall(t, "GET", server+"/Users/"+id, nil)
						given, _ := u["name"].(map[string]any)
						if u["externalId"] != "ext-"+version || u["title"] != "Title "+version ||
							u["displayName"] != "Display "+version || given["givenName"] != "Given "+version {
							return fmt.Errorf("the app holds %v, want version %s", u, version)
						}
						return nil
					}
				}
				resource.Test(t, resource.TestCase{
					PreCheck:                 func() { testAccPreCheck(t) },
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{
						{Config: config("1"), Check: inApp("1")},
						{Config: config("2"), Check: inApp("2")},
						{
							Config:           config("2"),
							ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						},
					},
				})
			})
		}
	}
}

// refuseExternalIDPatches answers a PATCH of a user that touches
// externalId with 400 invalidPath, before it reaches the app.
func refuseExternalIDPatches(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPatch || !strings.Contains(r.URL.Path, "/Users/") {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !strings.Contains(string(body), "externalId") {
		return false
	}
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidPath","detail":"externalId is not a valid path"}`)
	return true
}
