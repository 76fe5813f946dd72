package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccSecretsNeverLogged captures TF_LOG=TRACE output (Terraform and
// provider) of an apply, an update and an import with a bearer token, basic
// auth, OAuth client credentials and password_wo, and finds none of the
// secrets in the logs or in the state.
func TestAccSecretsNeverLogged(t *testing.T) {
	skipBelowTerraform(t, "1.11.0", "password_wo is write-only")
	const (
		bearer       = "bearer-SECRET-5f1c0a7e"
		basicPass    = "basic-SECRET-7d22e1b0"
		clientSecret = "oauth-SECRET-0b9c44d1"
		password     = "password-SECRET-e3a1f9c6"
		password2    = "password-SECRET-2-77b0d3"
	)
	tokenSrv := scimtest.NewTestServer(t, scimtest.Options{Token: bearer})
	basicSrv := scimtest.NewTestServer(t, scimtest.Options{Token: "unused-but-required", Username: "admin", Password: basicPass})
	oauthSrv := scimtest.NewTestServer(t, scimtest.Options{Token: "unused-too", OAuthClientID: "client", OAuthClientSecret: clientSecret})
	logDir := t.TempDir()
	if keep := os.Getenv("SCIM_KEEP_LOGS"); keep != "" {
		logDir = keep
	}
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	// One provider block per test case: in-process test providers share one
	// server, so aliases would overwrite each other's configuration.
	providers := []string{
		fmt.Sprintf("provider \"scim\" {\n  endpoint = %q\n  token    = %q\n}\n", tokenSrv.URL, bearer),
		fmt.Sprintf("provider \"scim\" {\n  endpoint   = %q\n  basic_auth = { username = \"admin\", password = %q }\n}\n", basicSrv.URL, basicPass),
		fmt.Sprintf("provider \"scim\" {\n  endpoint = %q\n  oauth2 = {\n    token_url     = %q\n    client_id     = \"client\"\n    client_secret = %q\n  }\n}\n",
			oauthSrv.URL, oauthSrv.HTTP.URL+scimtest.TokenPath, clientSecret),
	}
	config := func(provider, pw string, version int) string {
		return provider + fmt.Sprintf(`
resource "scim_user" "test" {
  user_name           = "secret-holder@example.com"
  password_wo         = %q
  password_wo_version = %d
}
`, pw, version)
	}
	secrets := []string{bearer, basicPass, clientSecret, password, password2}
	noSecretsInState := func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				for _, secret := range secrets {
					if strings.Contains(v, secret) {
						return fmt.Errorf("%s.%s holds a secret", addr, k)
					}
				}
			}
		}
		return nil
	}
	for i, provider := range providers {
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: config(provider, password, 1), Check: noSecretsInState},
				{Config: config(provider, password2, 2), Check: noSecretsInState},
				{ResourceName: "scim_user.test", ImportState: true, ImportStateVerify: true,
					ImportStateVerifyIgnore: []string{"password_wo_version"}},
			},
		})
		srv := []*scimtest.TestServer{tokenSrv, basicSrv, oauthSrv}[i]
		if id, _ := serverUser(srv, "secret-holder@example.com")["id"].(string); srv.Password(id) != password2 {
			t.Errorf("provider %d: the new password did not reach the server, so the test proves nothing about it", i)
		}
	}
	files, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	var logs strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		logs.Write(data)
	}
	out := withoutHarnessConfig(logs.String())
	if !strings.Contains(out, "SCIM request") || !strings.Contains(out, "SCIM exchange") {
		t.Fatalf("the trace logs (%d bytes in %d files) lack the provider's HTTP logs", len(out), len(files))
	}
	for _, secret := range secrets {
		if strings.Contains(out, secret) {
			i := strings.Index(out, secret)
			t.Errorf("secret %q found in TRACE logs: …%s…", secret, out[max(0, i-200):min(len(out), i+50)])
		}
	}
	t.Logf("searched %d bytes of TRACE logs in %d files", len(out), len(files))
}

// withoutHarnessConfig drops the test harness's own log entries that print
// the test configuration: it holds the secrets as literals, which a real
// configuration would take from variables. Everything Terraform and the
// provider logged is kept.
func withoutHarnessConfig(logs string) string {
	var out strings.Builder
	skipping := false
	for _, line := range strings.SplitAfter(logs, "\n") {
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			skipping = strings.Contains(line, "sdk.helper_resource: Setting Terraform configuration")
		}
		if !skipping {
			out.WriteString(line)
		}
	}
	return out.String()
}
