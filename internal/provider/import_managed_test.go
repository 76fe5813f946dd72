package provider

import (
	"fmt"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccImportedUserAttributeRemoval walks what the scim_user page says
// of imported users (found by the randomized checker, seed 1): imported
// with title in its configuration and applied with no change, the user was
// never written, so title removed from the configuration is left as the
// app holds it and the plan stays empty; once an apply has written the
// user (a display_name change), removing title removes it from the app.
// Both ways of importing: an import block, and terraform import.
func TestAccImportedUserAttributeRemoval(t *testing.T) {
	for _, how := range []string{"import block", "terraform import"} {
		t.Run(how, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			id := srv.Put("Users", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
				"userName": "imported@example.com", "active": true, "title": "Boss", "displayName": "Imported"})
			user := func(displayName, title string) string {
				return providerConfig(srv) + fmt.Sprintf("resource \"scim_user\" \"u\" {\n  user_name = \"imported@example.com\"\n"+
					"  display_name = %q\n%s}\n", displayName, title)
			}
			d := newTFDir(t)
			planEmpty := func(when string) {
				if code, out := d.run("plan", "-detailed-exitcode"); code != 0 {
					t.Fatalf("%s: the plan is not empty (exit %d):\n%s", when, code, out)
				}
			}
			if how == "import block" {
				d.write(user("Imported", "  title = \"Boss\"\n") + fmt.Sprintf("import {\n  to = scim_user.u\n  id = %q\n}\n", id))
				d.mustRun("apply", "-auto-approve")
			} else {
				d.write(user("Imported", "  title = \"Boss\"\n"))
				d.mustRun("import", "scim_user.u", id)
				planEmpty("after import")
			}
			d.write(user("Imported", ""))
			d.mustRun("apply", "-auto-approve")
			if title := srv.Get("Users", id)["title"]; title != "Boss" {
				t.Fatalf("title of a user never written: %v, want the app's Boss kept", title)
			}
			planEmpty("after title left the configuration of a user never written")

			d.write(user("Renamed", "  title = \"Boss\"\n"))
			d.mustRun("apply", "-auto-approve")
			d.write(user("Renamed", ""))
			d.mustRun("apply", "-auto-approve")
			if title := srv.Get("Users", id)["title"]; title != nil {
				t.Fatalf("title removed after an apply wrote the user, but the app keeps %v", title)
			}
			planEmpty("after title was removed")
		})
	}
}
