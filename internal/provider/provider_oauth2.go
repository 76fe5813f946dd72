package provider

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

type oauth2Model struct {
	TokenURL     types.String `tfsdk:"token_url"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	Scopes       types.List   `tfsdk:"scopes"`
}

func oauth2Schema() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "OAuth 2.0 client credentials (RFC 6749 section 4.4) instead of a static token. The access token " +
			"is fetched once, cached, and fetched again shortly before it expires.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"token_url":     schema.StringAttribute{MarkdownDescription: "Token endpoint URL (https, or http on loopback).", Required: true},
			"client_id":     schema.StringAttribute{MarkdownDescription: "Client id.", Required: true},
			"client_secret": schema.StringAttribute{MarkdownDescription: "Client secret.", Required: true, Sensitive: true},
			"scopes": schema.ListAttribute{MarkdownDescription: "Scopes to request.", Optional: true,
				ElementType: types.StringType},
		},
	}
}

// oauth2TokenSource builds a cached client-credentials token source that
// fetches tokens through the SCIM client's HTTP client (same TLS and
// redirect rules). A fetch runs under the context of the request that needs
// the token, so it ends with that request's timeout or cancellation.
func oauth2TokenSource(ctx context.Context, obj types.Object, httpClient func() *http.Client, diags *diag.Diagnostics) (func(context.Context) (string, error), string) {
	var m oauth2Model
	diags.Append(obj.As(ctx, &m, objectAsOptions)...)
	if diags.HasError() {
		return nil, ""
	}
	if err := scim.ValidateEndpoint(m.TokenURL.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("oauth2").AtName("token_url"), "Invalid OAuth 2.0 token URL", err.Error())
		return nil, ""
	}
	cfg := clientcredentials.Config{
		ClientID: m.ClientID.ValueString(), ClientSecret: m.ClientSecret.ValueString(), TokenURL: m.TokenURL.ValueString(),
		AuthStyle: oauth2.AuthStyleInHeader,
	}
	if !m.Scopes.IsNull() {
		diags.Append(m.Scopes.ElementsAs(ctx, &cfg.Scopes, false)...)
	}
	fetch := scim.ClientCredentials(cfg, httpClient)
	return func(reqCtx context.Context) (string, error) {
		tok, err := fetch(reqCtx)
		if err != nil {
			return "", fmt.Errorf("%w (check oauth2.client_id and oauth2.client_secret, and that token_url is the app's token endpoint)", err)
		}
		return tok, nil
	}, cfg.ClientSecret
}
