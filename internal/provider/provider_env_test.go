package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// Every environment variable the provider reads is in the docs' table.
func TestEnvVarsDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../templates/index.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	var s providerSchema
	New("test")().Schema(t.Context(), provider.SchemaRequest{}, &s.resp)
	for attr, vars := range envVars {
		if _, ok := s.resp.Schema.Attributes[attr]; !ok {
			t.Errorf("envVars names %q, which is not a provider setting", attr)
		}
		for _, v := range vars {
			if !strings.Contains(string(doc), "`"+v+"`") {
				t.Errorf("%s (%s) is not in the environment table of templates/index.md.tmpl", v, attr)
			}
		}
	}
	for attr := range s.resp.Schema.Attributes {
		if _, ok := envVars[attr]; !ok {
			t.Errorf("provider setting %q has no environment variable", attr)
		}
	}
}

// TestAccProvider_everySettingFromEnvironment: an empty provider block,
// every setting from the environment, and each one takes effect.
func TestAccProvider_everySettingFromEnvironment(t *testing.T) {
	var mu sync.Mutex
	var tenantHeaders []string
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.SetOptions(scimtest.Options{Token: srv.Token, Quirks: scimtest.Quirks{NoPatch: true},
		Fault: func(_ http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
			mu.Lock()
			tenantHeaders = append(tenantHeaders, r.Header.Get("X-Tenant"))
			mu.Unlock()
			return false
		}})
	t.Setenv("SCIM_ENDPOINT", srv.URL)
	t.Setenv("SCIM_TOKEN", srv.Token)
	t.Setenv("SCIM_HEADERS", `{"X-Tenant": "acme"}`)
	t.Setenv("SCIM_DIALECT", `{"update_method": "put", "discovery": false}`)
	t.Setenv("SCIM_MAX_RETRIES", "2")
	t.Setenv("SCIM_REQUEST_TIMEOUT", "20s")
	t.Setenv("SCIM_RATE_LIMIT", "100")
	t.Setenv("SCIM_VENDOR", "generic")
	t.Setenv("SCIM_PAGED_REFRESH", "always")
	cfg := func(title string) string {
		return `provider "scim" {}` + "\n" + fmt.Sprintf(`resource "scim_user" "test" {
  user_name = "env@example.com"
  title     = %q
}`, title)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg("A")},
			{
				Config: cfg("B"),
				Check: func(*terraform.State) error {
					mu.Lock()
					defer mu.Unlock()
					for _, h := range tenantHeaders {
						if h != "acme" {
							return fmt.Errorf("a request without the X-Tenant header from SCIM_HEADERS")
						}
					}
					if n := srv.Count("PATCH"); n != 0 {
						return fmt.Errorf("%d PATCH requests although SCIM_DIALECT says put", n)
					}
					if srv.Count("list") == 0 {
						return fmt.Errorf("no listing although SCIM_PAGED_REFRESH says always")
					}
					return nil
				},
			},
		},
	})
}

// TestAccProvider_badEnvironmentValues: each bad value names its variable.
func TestAccProvider_badEnvironmentValues(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	t.Setenv("SCIM_ENDPOINT", srv.URL)
	t.Setenv("SCIM_TOKEN", srv.Token)
	for env, tc := range map[string]struct{ value, want string }{
		"SCIM_MAX_RETRIES":   {"many", `SCIM_MAX_RETRIES \(the fallback of max_retries\) must be a whole number`},
		"SCIM_PAGED_REFRESH": {"sometimes", `SCIM_PAGED_REFRESH \(the fallback of paged_refresh\) must be auto, always or never`},
		"SCIM_DIALECT":       {`{"update_methd": "put"}`, `SCIM_DIALECT \(the fallback of dialect\) has an unknown key\s+"update_methd"`},
		// A value inside SCIM_DIALECT meets the dialect block's validators,
		// reported against dialect and naming the variable.
		"SCIM_DIALECT/value":    {`{"members_read": "magic"}`, `SCIM_DIALECT \(the fallback of dialect\) has a bad "members_read": [^\n]*value must be one of`},
		"SCIM_DIALECT/range":    {`{"page_size": 5000}`, `SCIM_DIALECT \(the fallback of dialect\) has a bad "page_size": [^\n]*between 1 and 1000`},
		"SCIM_VENDOR":           {"oktaa", `SCIM_VENDOR \(the fallback of vendor\) is not a preset: [^\n]*value must be one of`},
		"SCIM_ENDPOINT":         {"ftp://scim.example.com", `SCIM_ENDPOINT \(the fallback of endpoint\):`},
		"SCIM_CA_CERT_PEM":      {"not a certificate", `SCIM_CA_CERT_PEM \(the fallback of ca_cert_pem\) holds no PEM certificate`},
		"SCIM_HEADERS":          {`X-Tenant: acme`, `SCIM_HEADERS \(the fallback of headers\) must be a JSON object`},
		"SCIM_OAUTH2_TOKEN_URL": {srv.URL + "/token", `SCIM_OAUTH2_CLIENT_ID \(the fallback of oauth2\) must be set together`},
		"SCIM_CLIENT_CERT_FILE": {"/nonexistent/cert.pem", `Set both client_cert_file and client_key_file`},
	} {
		t.Run(env, func(t *testing.T) {
			env, _, _ := strings.Cut(env, "/")
			t.Setenv(env, tc.value)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      `provider "scim" {}` + "\n" + `data "scim_service_provider_config" "this" {}`,
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
		})
	}
}

// TestAccProvider_dialectEnvironmentNames: SCIM_DIALECT values meet the
// block's validators, so an attribute path scim_user does not have is
// refused, naming the setting and the variable.
func TestAccProvider_dialectEnvironmentNames(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	t.Setenv("SCIM_ENDPOINT", srv.URL)
	t.Setenv("SCIM_TOKEN", srv.Token)
	t.Setenv("SCIM_DIALECT", `{"required_on_create": ["name.nickName"], "single_valued": ["addresses"]}`)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `provider "scim" {}` + "\n" + `data "scim_service_provider_config" "this" {}`,
			ExpectError: regexp.MustCompile(`SCIM_DIALECT\s+\(the\s+fallback\s+of\s+dialect\)\s+has\s+a\s+bad\s+"required_on_create":[\s\S]*name.nickName[\s\S]*has\s+a\s+bad\s+"single_valued":[\s\S]*addresses`),
		}},
	})
}
