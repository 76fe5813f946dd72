package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccBadInput: every bad value in the provider block, scim_user,
// scim_group and scim_group_member is a diagnostic that names the
// attribute and says what is wrong, at plan time, and nothing is sent.
func TestAccBadInput(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	user := func(body string) string {
		return providerConfig(srv) + "resource \"scim_user\" \"test\" {\n" + body + "\n}\n"
	}
	group := func(body string) string {
		return providerConfig(srv) + "resource \"scim_group\" \"test\" {\n" + body + "\n}\n"
	}
	provider := func(body string) string {
		return "provider \"scim\" {\n" + body + "\n}\nresource \"scim_user\" \"test\" {\n  user_name = \"x@example.com\"\n}\n"
	}
	ep := fmt.Sprintf("endpoint = %q\n", srv.URL)
	cases := []struct{ name, config, want string }{
		{"two primary emails", user(`user_name = "a@example.com"
  emails = [{ value = "a@example.com", primary = true }, { value = "b@example.com", primary = true }]`), `More than one primary value`},
		{"unknown destroy_mode", user(`user_name = "a@example.com"
  destroy_mode = "shred"`), `destroy_mode[\s\S]*value must be one of`},
		{"extension not an object", user(`user_name = "a@example.com"
  extensions = { "urn:example:params:scim:schemas:extension:custom:2.0:User" = jsonencode([1, 2]) }`), `Extension value is not a JSON object`},
		{"extension not JSON", user(`user_name = "a@example.com"
  extensions = { "urn:example:params:scim:schemas:extension:custom:2.0:User" = "{nope" }`), `(?i)json`},
		{"extension key not a URN", user(`user_name = "a@example.com"
  extensions = { team = jsonencode({ a = 1 }) }`), `must be a schema URN`},
		{"extension key shadows a typed argument", user(`user_name = "a@example.com"
  extensions = { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = jsonencode({ department = "x" }) }`), `managed by the\s+enterprise.department\s+argument`},
		{"empty user_name", user(`user_name = ""`), `user_name[\s\S]*non-space character`},
		{"blank user_name", user(`user_name = "   "`), `user_name[\s\S]*non-space character`},
		{"empty email value", user(`user_name = "a@example.com"
  emails = [{ value = "" }]`), `emails[\s\S]*length`},
		{"password version without password", user(`user_name = "a@example.com"
  password_wo_version = 2`), `password_wo`},
		{"empty title", user(`user_name = "a@example.com"
  title = ""`), `title[\s\S]*length`},
		{"blank group name", group(`display_name = "  "`), `display_name[\s\S]*non-space character`},
		{"empty member id", group(`display_name = "G"
  members = ["", "x"]`), `members\[0\] must be the SCIM id of a user or group`},
		{"group destroy_mode deactivate", group(`display_name = "G"
  destroy_mode = "deactivate"`), `destroy_mode[\s\S]*value must be one of`},
		{"blank membership group", providerConfig(srv) + `resource "scim_group_member" "m" {
  group_id  = ""
  member_id = "u"
}`, `group_id[\s\S]*non-space character`},
		{"http endpoint off loopback", provider(`endpoint = "http://scim.example.com/scim/v2"
  token = "t"`), `endpoint[\s\S]*https is required`},
		{"relative endpoint", provider(`endpoint = "scim/v2"
  token = "t"`), `not an absolute URL`},
		{"missing endpoint", provider(`token = "t"`), `Missing SCIM endpoint`},
		{"empty token", provider(ep + `token = ""`), `Missing SCIM credentials`},
		{"bad request_timeout", provider(ep + `token = "t"
  request_timeout = "-5s"`), `request_timeout[\s\S]*positive Go duration`},
		{"zero rate_limit", provider(ep + `token = "t"
  rate_limit = 0`), `rate_limit`},
		{"too many retries", provider(ep + `token = "t"
  max_retries = 100`), `max_retries`},
		{"Authorization header", provider(ep + `token = "t"
  headers = { authorization = "Bearer x" }`), `Authorization header not allowed`},
		{"token and basic_auth", provider(ep + `token = "t"
  basic_auth = { username = "u", password = "p" }`), `cannot\s+be\s+specified\s+when`},
		{"bad CA", provider(ep + `token = "t"
  ca_cert_pem = "not a certificate"`), `ca_cert_pem holds no PEM`},
		{"credentials in URL", provider(`endpoint = "https://u:p@scim.example.com/v2"
  token = "t"`), `must not embed credentials`},
		{"unknown vendor", provider(ep + `token = "t"
  vendor = "okta-ish"`), `vendor[\s\S]*value must be one of`},
		{"bad patch_op_case", provider(ep + `token = "t"
  dialect = { patch_op_case = "UPPER" }`), `patch_op_case[\s\S]*value must be one of`},
		{"bad members_read", provider(ep + `token = "t"
  dialect = { members_read = "magic" }`), `members_read[\s\S]*value must be one of`},
		{"oauth2 token_url over http", provider(ep + `oauth2 = {
    token_url = "http://auth.example.com/token"
    client_id = "c"
    client_secret = "s"
  }`), `Invalid OAuth 2.0 token URL[\s\S]*https is required`},
		{"blank basic_auth user", provider(ep + `basic_auth = { username = "", password = "p" }`), `username[\s\S]*length`},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
	if n := srv.Count("POST") + srv.Count("PATCH") + srv.Count("PUT") + srv.Count("DELETE"); n != 0 {
		t.Errorf("%d writes reached the server from invalid configurations", n)
	}
}

// TestAccTrickyValues: values that look dangerous must simply work.
func TestAccTrickyValues(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	names := []string{`quo"te@example.com`, `back\slash@example.com`, `ünïcødé.用户@example.com`, `x" or userName pr or userName eq "y`}
	srv.Put("Users", map[string]any{"userName": "y", "active": true}) // the injection must not find this one
	var cfg strings.Builder
	cfg.WriteString(providerConfig(srv))
	for i, n := range names {
		fmt.Fprintf(&cfg, "resource \"scim_user\" \"u%d\" {\n  user_name = %q\n}\n", i, n)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg.String(),
				Check: func(*terraform.State) error {
					for _, n := range names {
						if serverUser(srv, n) == nil {
							return fmt.Errorf("user %q not stored verbatim", n)
						}
					}
					return nil
				},
			},
			{ResourceName: "scim_user.u3", ImportState: true, ImportStateId: "user_name:" + names[3], ImportStateVerify: true},
			{ResourceName: "scim_user.u2", ImportState: true, ImportStateId: "user_name:" + names[2], ImportStateVerify: true},
		},
	})
}

// TestAccIDsWithSlashesAndSpaces: ids are escaped in paths.
func TestAccIDsWithSlashesAndSpaces(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.PutWithID("Users", "team/a b", map[string]any{"userName": "slash@example.com", "active": true})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccUserConfig(srv, `user_name = "slash@example.com"
  title = "Set"`), ResourceName: userAddr, ImportState: true, ImportStateId: "team/a b", ImportStatePersist: true},
			{
				Config: testAccUserConfig(srv, `user_name = "slash@example.com"
  title = "Set"`),
				Check: func(*terraform.State) error {
					if doc := srv.Get("Users", "team/a b"); doc["title"] != "Set" {
						return fmt.Errorf("update did not reach the user: %v", doc)
					}
					return nil
				},
			},
		},
	})
}

// TestAccBadServerAnswers: broken answers from the server give diagnostics
// with the status and detail, and state already stored is kept.
func TestAccBadServerAnswers(t *testing.T) {
	answer := func(status int, contentType, body string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	cases := []struct {
		name   string
		on     string // method whose answer is replaced once state exists
		answer func(http.ResponseWriter)
		want   string
	}{
		{"non-JSON 200", "GET", answer(200, "text/plain", "OK"), `not a JSON User`},
		{"truncated JSON", "GET", answer(200, "application/scim+json", `{"id":"x","userName":"trunc`), `not a JSON User`},
		{"HTML 404 page", "GET", answer(404, "text/html", "<html><h1>Not Found</h1></html>"), `HTTP 404[\s\S]*not a\s+SCIM/JSON document`},
		{"error with scimType", "PATCH", answer(400, "application/scim+json",
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"title too long"}`),
			`HTTP 400, scimType\s+"invalidValue":\s+title\s+too\s+long`},
		{"500 with detail", "PATCH", answer(500, "application/json", `{"status":500,"detail":"database is down"}`),
			`HTTP 500:\s+database\s+is\s+down[\s\S]*run\s+terraform\s+apply\s+again\s+later`},
		{"body over the cap", "GET", answer(200, "application/json", `{"id":"x","userName":"`+strings.Repeat("a", 11<<20)+`"}`),
			`larger\s+than\s+10485760\s+bytes`},
		{"different userName in answer", "PATCH", answer(200, "application/scim+json", ""), ``},
	}
	for _, tc := range cases {
		if tc.want == "" {
			continue // covered below
		}
		t.Run(tc.name, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			broken := false
			srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
				if !broken || r.Method != tc.on || !strings.Contains(r.URL.Path, "/Users/") {
					return false
				}
				tc.answer(w)
				return true
			}})
			title := "One"
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: testAccUserConfig(srv, `user_name = "bad@example.com"
  title = "One"`)},
					{
						PreConfig: func() { broken, title = true, "Two" },
						Config: testAccUserConfig(srv, `user_name = "bad@example.com"
  title = "Two"`),
						ExpectError: regexp.MustCompile(tc.want),
					},
					{
						// Answers fixed: the user is still in state, and the change goes through.
						PreConfig: func() { broken = false },
						Config: testAccUserConfig(srv, `user_name = "bad@example.com"
  title = "Two"`),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
						},
						Check: checkServerUser(srv, func(doc map[string]any) error {
							if doc["title"] != title {
								return fmt.Errorf("title %v", doc["title"])
							}
							return nil
						}),
					},
				},
			})
		})
	}
}

// TestAccServerChangesUserName: the app stores another userName than the
// one sent; the diagnostic names user_name and both values.
func TestAccServerChangesUserName(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, act func() *scimtest.Response) bool {
		if r.Method != http.MethodPost {
			return false
		}
		resp := act()
		resp.Body = []byte(strings.Replace(string(resp.Body), `"userName":"Mixed@Example.com"`, `"userName":"normalised@example.com"`, 1))
		for _, doc := range srv.All("Users") {
			srv.Modify("Users", fmt.Sprint(doc["id"]), func(d map[string]any) { d["userName"] = "normalised@example.com" })
		}
		resp.WriteTo(w)
		return true
	}})
	// The create's answer differs from what was sent: the userName is sent
	// once more (a PATCH the app takes as it is), and the apply is clean.
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccUserConfig(srv, `user_name = "Mixed@Example.com"`),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(userAddr, "user_name", "Mixed@Example.com"),
				checkServerUser(srv, func(doc map[string]any) error {
					if doc["userName"] != "Mixed@Example.com" {
						return fmt.Errorf("server userName %v, want it re-sent as configured", doc["userName"])
					}
					if n := srv.Count("PATCH"); n != 1 {
						return fmt.Errorf("%d PATCH requests, want 1 re-send", n)
					}
					return nil
				}),
			),
		}},
	})
}
