package provider

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccTakeOverFailingAfterReactivationIsKept (issue 43, item 7): an
// inactive user of the configured userName is taken over (reactivated),
// and the answer to the reactivating PATCH is lost after the app applied
// it, with no retries. The apply fails, but the account is kept in the
// state (tainted), so the next apply finishes the take-over on the same
// account instead of calling it someone else's.
func TestAccTakeOverFailingAfterReactivationIsKept(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	id := srv.Put("Users", map[string]any{"userName": "back@example.com", "active": false, "title": "Before"})
	var lost atomic.Bool
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPatch || !strings.Contains(r.URL.Path, "/Users/") || lost.Swap(true) {
			return false
		}
		act() // the app reactivates the user; the answer never arrives
		scimtest.DropConnection(w)
		return true
	}})
	d := newTFDir(t)
	d.write(providerConfigWith(srv, "max_retries = 0") + `
resource "scim_user" "u" {
  user_name = "back@example.com"
  title     = "After"
}
`)
	d.mustRun("init")
	code, out := d.run("apply", "-auto-approve", "-no-color")
	if code == 0 || !lost.Load() {
		t.Fatalf("the apply did not meet the lost answer (exit %d):\n%s", code, out)
	}
	if !strings.Contains(out, "taken over, but not finished") {
		t.Errorf("the diagnostic does not say the take-over is unfinished:\n%s", out)
	}
	if got := d.stateIDs()["scim_user.u"]; got != id {
		t.Fatalf("the state holds %q for scim_user.u, want the taken-over account %s", got, id)
	}
	d.mustRun("apply", "-auto-approve")
	users := srv.All("Users")
	if len(users) != 1 || users[0]["id"] != id || users[0]["active"] != true || users[0]["title"] != "After" {
		t.Fatalf("the app holds %v, want the one account, active, with the configured title", users)
	}
	if got := d.stateIDs()["scim_user.u"]; got != id {
		t.Fatalf("the state holds %q, want %s", got, id)
	}
	if code, out := d.run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("the plan after the take-over is not empty (exit %d):\n%s", code, out)
	}
}
