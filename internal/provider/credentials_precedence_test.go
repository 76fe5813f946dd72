package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccBlockCredentialsWinOverEnvironment: a token written in the
// provider block is used although SCIM_OAUTH2_* in the environment name a
// working token endpoint (of another tenant, in a job that serves several):
// no token is minted, and basic_auth in the block is no conflict either.
func TestAccBlockCredentialsWinOverEnvironment(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{OAuthClientID: "other-tenant", OAuthClientSecret: "other-secret"})
	t.Setenv("SCIM_OAUTH2_TOKEN_URL", srv.HTTP.URL+scimtest.TokenPath)
	t.Setenv("SCIM_OAUTH2_CLIENT_ID", "other-tenant")
	t.Setenv("SCIM_OAUTH2_CLIENT_SECRET", "other-secret")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + `
resource "scim_user" "u" {
  user_name = "block@example.com"
}
`,
			Check: func(*terraform.State) error {
				if n := srv.Count("token"); n != 0 {
					return fmt.Errorf("%d OAuth token requests: the environment's oauth2 overrode the block's token", n)
				}
				return nil
			},
		}},
	})
}

// TestOAuth2TokenFetchHonoursRequestTimeout: a token endpoint that never
// answers fails the request within request_timeout (it hung as long as the
// endpoint did, on a background context).
func TestOAuth2TokenFetchHonoursRequestTimeout(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}))
	defer hang.Close()
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	var diags diag.Diagnostics
	var client *scim.Client
	source, _ := oauth2TokenSource(context.Background(), oauth2Object(hang.URL+"/token", "s3cret"),
		func() *http.Client { return client.HTTPClient() }, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	client, err := scim.New(scim.Config{Endpoint: srv.URL, TokenSource: source, RequestTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = client.Users.List(context.Background(), scim.ListOptions{})
	if err == nil {
		t.Fatal("listing succeeded without a token")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the token fetch took %v, past request_timeout 300ms", took)
	}
}
