package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// Every bad provider setting is reported against its attribute with a
// remedy, before anything is sent to the app.
func TestAccProvider_badConfig(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	cases := map[string]struct {
		provider string
		want     string
	}{
		"http off loopback":  {`endpoint = "http://scim.example.com/scim/v2"` + "\n token = \"t\"", `https is required`},
		"relative endpoint":  {`endpoint = "scim/v2"` + "\n token = \"t\"", `is not an absolute URL`},
		"missing endpoint":   {`token = "t"`, `Missing SCIM endpoint`},
		"empty token":        {fmt.Sprintf("endpoint = %q\n token = \"\"", srv.URL), `Missing SCIM credentials`},
		"blank token":        {fmt.Sprintf("endpoint = %q\n token = \"   \"", srv.URL), `Missing SCIM credentials`},
		"bad timeout":        {fmt.Sprintf("endpoint = %q\n token = \"t\"\n request_timeout = \"soon\"", srv.URL), `Invalid duration`},
		"zero rate":          {fmt.Sprintf("endpoint = %q\n token = \"t\"\n rate_limit = 0", srv.URL), `rate_limit`},
		"negative retries":   {fmt.Sprintf("endpoint = %q\n token = \"t\"\n max_retries = -1", srv.URL), `max_retries`},
		"auth header":        {fmt.Sprintf("endpoint = %q\n token = \"t\"\n headers = { Authorization = \"x\" }", srv.URL), `Authorization header not allowed`},
		"token and basic":    {fmt.Sprintf("endpoint = %q\n token = \"t\"\n basic_auth = { username = \"u\", password = \"p\" }", srv.URL), `basic_auth"?\s+cannot\s+be\s+specified\s+when\s+"?token`},
		"bad ca":             {fmt.Sprintf("endpoint = %q\n token = \"t\"\n ca_cert_pem = \"nope\"", srv.URL), `ca_cert_pem holds no PEM`},
		"credentials in URL": {`endpoint = "https://u:p@scim.example.com/v2"` + "\n token = \"t\"", `must not embed credentials`},
		"wrong token": {fmt.Sprintf("endpoint = %q\n token = \"wrong\"", srv.URL),
			`(?s)HTTP 401.*SCIM\s+provisioning\s+token`},
		"html endpoint": {fmt.Sprintf("endpoint = %q\n token = %q", srv.HTTP.URL+"/not-scim", srv.Token),
			`(?s)not a SCIM/JSON.*check that\s+endpoint\s+is\s+the\s+SCIM\s+base\s+URL`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf("provider \"scim\" {\n %s\n}\n", tc.provider) + `
resource "scim_user" "test" {
  user_name = "x@example.com"
}
`,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}

func TestAccProvider_basicAuth(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Token: "unused", Username: "admin", Password: "pa55"})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "scim" {
  endpoint   = %q
  basic_auth = { username = "admin", password = "pa55" }
}
resource "scim_user" "test" {
  user_name = "basic@example.com"
}
`, srv.URL),
		}},
	})
}
