package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

func oauth2Object(tokenURL, secret string) types.Object {
	return types.ObjectValueMust(map[string]attr.Type{
		"token_url": types.StringType, "client_id": types.StringType, "client_secret": types.StringType,
		"scopes": types.ListType{ElemType: types.StringType},
	}, map[string]attr.Value{
		"token_url": types.StringValue(tokenURL), "client_id": types.StringValue("client-1"),
		"client_secret": types.StringValue(secret), "scopes": types.ListNull(types.StringType),
	})
}

// The token is fetched once, reused, and fetched again after it expires.
func TestOAuth2TokenCachedAndRefreshed(t *testing.T) {
	// oauth2 treats a token as expired 10s before its expiry: 11s leaves one usable second.
	srv := scimtest.NewTestServer(t, scimtest.Options{OAuthClientID: "client-1", OAuthClientSecret: "s3cret", OAuthTokenTTL: 11 * time.Second})
	var diags diag.Diagnostics
	var client *scim.Client
	source, _ := oauth2TokenSource(context.Background(), oauth2Object(srv.HTTP.URL+scimtest.TokenPath, "s3cret"),
		func() *http.Client { return client.HTTPClient() }, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	client, err := scim.New(scim.Config{Endpoint: srv.URL, TokenSource: source, MaxRetries: scim.DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if _, err := client.Users.List(ctx, scim.ListOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Count("token"); n != 1 {
		t.Fatalf("%d token requests for 5 calls, want 1", n)
	}
	time.Sleep(1200 * time.Millisecond)
	if _, err := client.Users.List(ctx, scim.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("token"); n != 2 {
		t.Fatalf("%d token requests after expiry, want 2", n)
	}
}

func TestAccProvider_oauth2(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{OAuthClientID: "client-1", OAuthClientSecret: "s3cret"})
	config := func(secret string) string {
		return fmt.Sprintf(`
provider "scim" {
  endpoint = %q
  oauth2 = {
    token_url     = %q
    client_id     = "client-1"
    client_secret = %q
  }
}
resource "scim_user" "test" {
  user_name = "oauth@example.com"
}
`, srv.URL, srv.HTTP.URL+scimtest.TokenPath, secret)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config("wrong"),
				ExpectError: regexp.MustCompile(`invalid_client[\s\S]*check\s+oauth2.client_id\s+and\s+oauth2.client_secret`),
			},
			{Config: config("s3cret")},
		},
	})
	if srv.Count("token") == 0 {
		t.Error("no token was requested")
	}
}
