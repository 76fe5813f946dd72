// Package provider is the Terraform glue of terraform-provider-scim: schemas,
// CRUD and the conversion between Terraform values and the scim package.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

var (
	_ provider.Provider                  = (*scimProvider)(nil)
	_ provider.ProviderWithListResources = (*scimProvider)(nil)
)

// scimProvider configures one SCIM client per provider block (one tenant).
type scimProvider struct {
	version string
}

type scimProviderModel struct {
	Endpoint         types.String  `tfsdk:"endpoint"`
	Token            types.String  `tfsdk:"token"`
	BasicAuth        types.Object  `tfsdk:"basic_auth"`
	RateLimit        types.Float64 `tfsdk:"rate_limit"`
	MaxRetries       types.Int64   `tfsdk:"max_retries"`
	RequestTimeout   types.String  `tfsdk:"request_timeout"`
	CACertPEM        types.String  `tfsdk:"ca_cert_pem"`
	CACertFile       types.String  `tfsdk:"ca_cert_file"`
	ClientCertFile   types.String  `tfsdk:"client_cert_file"`
	ClientKeyFile    types.String  `tfsdk:"client_key_file"`
	Headers          types.Map     `tfsdk:"headers"`
	OAuth2           types.Object  `tfsdk:"oauth2"`
	Vendor           types.String  `tfsdk:"vendor"`
	Dialect          types.Object  `tfsdk:"dialect"`
	PagedRefresh     types.String  `tfsdk:"paged_refresh"`
	AllowEmptyTenant types.Bool    `tfsdk:"allow_empty_tenant"`
	RateLimitReserve types.Float64 `tfsdk:"rate_limit_reserve"`
	ShareRateLimit   types.Bool    `tfsdk:"share_rate_limit"`
}

type basicAuthModel struct {
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
}

// New returns the provider factory; version is set by goreleaser ldflags.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &scimProvider{version: version}
	}
}

func (p *scimProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "scim"
	resp.Version = p.version
}

func (p *scimProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages users and groups of a SaaS application through its SCIM 2.0 endpoint " +
			"([RFC 7644](https://www.rfc-editor.org/rfc/rfc7644)). Use one provider block (or alias) per tenant.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "SCIM base URL, such as `https://api.example.com/scim/v2`. Must use `https`, except on loopback " +
					"addresses (`localhost`, `127.0.0.1`, `::1`). Falls back to the `SCIM_ENDPOINT` environment variable.",
				Optional: true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "Bearer token for the SCIM API (the app's SCIM or provisioning token, not a general REST API token). " +
					"Falls back to `SCIM_TOKEN`. Conflicts with `basic_auth` and `oauth2`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("basic_auth"), path.MatchRoot("oauth2"))},
			},
			"basic_auth": schema.SingleNestedAttribute{
				MarkdownDescription: "HTTP basic authentication instead of a bearer token. The environment variables " +
					"`SCIM_USERNAME` and `SCIM_PASSWORD` select it too.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"username": schema.StringAttribute{MarkdownDescription: "User name.", Required: true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"password": schema.StringAttribute{MarkdownDescription: "Password.", Required: true, Sensitive: true},
				},
			},
			"rate_limit": schema.Float64Attribute{
				MarkdownDescription: "Most requests per second this run sends to the app, shared by every resource of this provider " +
					"block: this run's own ceiling, which other runs do not share, and which replaces the preset's documented rate. " +
					"Unset: the preset's documented rate where it has one (" + presetPaces() + ") is the app's limit, kept together " +
					"by every run on this machine that shares its pace (`share_rate_limit`: the same endpoint and credentials), " +
					"else unlimited. Runs that set `rate_limit` each keep their own: to hold several under the app's limit, give " +
					"each its share. Either way, a `429 Too " +
					"Many Requests` answer is retried after its `Retry-After`, and the provider learns the app's limit from its " +
					"`429`s and rate-limit headers and paces itself to it.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0.1)},
			},
			"rate_limit_reserve": schema.Float64Attribute{
				MarkdownDescription: "Share of the app's rate limit left to other clients of the same app (other tools, " +
					"workspaces run from other machines), from `0` to `0.9`. Defaults to `0`: the provider paces just under the " +
					"limit it learns from the app (a `RateLimit-Policy` header, or the rate the app accepts), less what other " +
					"clients' `429`s show they take. `0.5` paces at half the limit. Falls back to `SCIM_RATE_LIMIT_RESERVE`.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.Between(0, 0.9)},
			},
			"share_rate_limit": schema.BoolAttribute{
				MarkdownDescription: "Whether Terraform runs on this machine that reach the same `endpoint` with the same " +
					"credentials share one pace, so that workspaces applied at once (parallel CI jobs, `terragrunt run-all`) " +
					"stay under the app's limit together. Defaults to `true`. The shared state is a small file per app, named " +
					"by a digest of the endpoint and credentials, in `terraform-provider-scim/rate-limits` under the user's cache " +
					"directory (`$XDG_CACHE_HOME` or `~/.cache` on Linux), or in `SCIM_RATE_LIMIT_DIR` when set; a run that " +
					"cannot use it paces on its own. Falls back to `SCIM_SHARE_RATE_LIMIT`.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How often one request is retried after `429`, `503`, other `5xx` or a network error " +
					"(the last two only for requests that are safe to repeat). Defaults to `5`; `0` disables retries. A request " +
					"answered `429` is retried past this count while the app keeps accepting other requests (a limit shared " +
					"with other clients lets everyone through in turn), within the operation's timeouts and at most 15 minutes. " +
					"The writing part of one operation (a create, update or deactivation) shares this count among all its retries " +
					"(a `GET` and `PUT` read again after a `412`, a create sent again after a failure and the lookups between, the " +
					"`PATCH`es of a group change split over several requests, what the app did not keep sent once more, and each " +
					"of their own retries), so it sends at most `2 × max_retries` requests more than when nothing fails (a retry " +
					"after a `412` sends the `GET` and the `PUT` again, any other retry one request): with the default, a user " +
					"update by `PATCH` at most 6 requests, by `GET` and `PUT` at most 12. The reads that check a write the app " +
					"acknowledged, and the lookup before a create where one is made, keep this count each.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP request, as a Go duration such as `30s` or `2m`. Defaults to `30s`.",
				Optional:            true,
				Validators:          []validator.String{validators.Duration(false, 0)},
			},
			"allow_empty_tenant": schema.BoolAttribute{
				MarkdownDescription: "Whether a refresh may drop managed objects from the state when the app answers `404` in a way " +
					"an endpoint pointing at the wrong tenant would: no managed object read in the run is found and no object known " +
					"to belong to the tenant (a group's member, a membership's member) answers, while such an object answers `404` " +
					"too, or two managed objects answer `404` (each counted once), or the only one read does and its collection " +
					"(`/Users`, `/Groups`) lists nothing or answers `404`. A group deleted in the app whose member still answers is " +
					"simply gone and planned for creation. Defaults to `false`: such a refresh stops with an error naming the endpoint, instead of " +
					"planning to create everything again. Set it to `true` for a run in which the objects really were deleted in the app.",
				Optional: true,
			},
			"paged_refresh": schema.StringAttribute{
				MarkdownDescription: "How refresh reads `scim_user` and `scim_group` objects. `auto` (the default) reads one object " +
					"with one `GET` until a run has read 10 of them, then fetches the first page of " +
					"the app's listing and, once the reads reach a tenth of the pages the listing takes, the rest: each later read is " +
					"answered from those pages, so refreshing 10,000 users costs about 110 requests instead of 10,000. `always` lists " +
					"from the first read; `never` always reads by `GET` (for an app whose listings show less than its `GET`). Pages " +
					"are fetched anew in every Terraform run and never used once this provider has written since; an object a page " +
					"did not contain is read by `GET`. Groups are read from pages only where the dialect's `members_read` is `inline`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("auto", "always", "never")},
			},
			"oauth2":  oauth2Schema(),
			"vendor":  vendorSchema(),
			"dialect": dialectSchema(),
			"headers": schema.MapAttribute{
				MarkdownDescription: "Extra HTTP headers sent with every request, such as a tenant header some apps require. " +
					"`Authorization` is refused here: set `token`, `basic_auth` or `oauth2`, whose values are masked in logs.",
				Optional:    true,
				ElementType: types.StringType,
			},
		},
	}
	for name, a := range tlsSchema() {
		resp.Schema.Attributes[name] = a
	}
}

// Configure builds the one SCIM client every resource of this provider block shares.
func (p *scimProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var data scimProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var s providerSchema
	p.Schema(ctx, provider.SchemaRequest{}, &s.resp)
	data = withEnvironment(ctx, data, s, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := clientConfig(ctx, data)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = userAgent(p.version, req.TerraformVersion)
	dialect, explicit := resolveDialect(ctx, data.Vendor, data.Dialect, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if dialect.Unsupported != "" {
		resp.Diagnostics.AddAttributeError(path.Root("vendor"), dialect.App+" cannot be managed through SCIM",
			dialect.Unsupported+" See the provider's "+dialect.GuideURL+" guide.")
		return
	}
	cfg.Dialect = &dialect
	var client *scim.Client
	if !data.OAuth2.IsNull() {
		var secret string
		cfg.TokenSource, secret = oauth2TokenSource(ctx, data.OAuth2, func() *http.Client { return client.HTTPClient() }, &resp.Diagnostics)
		cfg.Secrets = append(cfg.Secrets, secret)
		cfg.CredentialID = secret
		cfg.Token, cfg.Username, cfg.Password = "", "", ""
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Logger, cfg.HTTPLogger = clientLoggers(os.Getenv)
	client, err := scim.New(cfg)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid SCIM settings", err.Error())
		return
	}
	client.Discover(ctx, explicit)
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
}

func userAgent(version, terraformVersion string) string {
	ua := "terraform-provider-scim/" + version
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}

// clientConfig reads the provider block, falling back to environment
// variables, and reports every bad value against its attribute.
func clientConfig(ctx context.Context, data scimProviderModel) (scim.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"endpoint": data.Endpoint, "token": data.Token, "basic_auth": data.BasicAuth, "headers": data.Headers,
		"ca_cert_pem": data.CACertPEM, "ca_cert_file": data.CACertFile, "client_cert_file": data.ClientCertFile,
		"client_key_file": data.ClientKeyFile, "request_timeout": data.RequestTimeout, "oauth2": data.OAuth2,
		"vendor": data.Vendor, "dialect": data.Dialect,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Unknown provider setting",
				"The provider cannot connect while "+name+" is unknown. Set it to a value known at plan time, "+
					"or apply the resources it depends on first with -target.")
		}
	}
	if diags.HasError() {
		return scim.Config{}, diags
	}
	cfg := scim.Config{
		Endpoint:       stringOrEnv(data.Endpoint, "SCIM_ENDPOINT"),
		Token:          stringOrEnv(data.Token, "SCIM_TOKEN"),
		RateLimit:      data.RateLimit.ValueFloat64(),
		MaxRetries:     scim.DefaultMaxRetries,
		RequestTimeout: scim.DefaultRequestTimeout,
	}
	if !data.MaxRetries.IsNull() {
		cfg.MaxRetries = int(data.MaxRetries.ValueInt64())
	}
	cfg.AllowEmptyTenant = data.AllowEmptyTenant.ValueBool()
	cfg.RateLimitReserve = data.RateLimitReserve.ValueFloat64()
	if data.ShareRateLimit.IsNull() || data.ShareRateLimit.ValueBool() {
		cfg.SharedBudgetDir = rateLimitDir()
	}
	cfg.Refresh = map[string]scim.RefreshMode{"always": scim.RefreshPages, "never": scim.RefreshGet}[data.PagedRefresh.ValueString()]
	applyTLS(data, &cfg, &diags)
	if !data.RequestTimeout.IsNull() {
		d, _ := time.ParseDuration(data.RequestTimeout.ValueString()) // checked by durationValidator
		cfg.RequestTimeout = d
	}
	if !data.BasicAuth.IsNull() && !data.OAuth2.IsNull() {
		diags.AddAttributeError(path.Root("oauth2"), "Conflicting credentials", "Set only one of token, basic_auth and oauth2.")
	}
	if !data.BasicAuth.IsNull() {
		var basic basicAuthModel
		diags.Append(data.BasicAuth.As(ctx, &basic, objectAsOptions)...)
		cfg.Username, cfg.Password = basic.Username.ValueString(), basic.Password.ValueString()
		cfg.Token = ""
	} else if cfg.Token == "" {
		cfg.Username, cfg.Password = os.Getenv("SCIM_USERNAME"), os.Getenv("SCIM_PASSWORD")
	}
	if !data.Headers.IsNull() {
		cfg.Headers = map[string]string{}
		diags.Append(data.Headers.ElementsAs(ctx, &cfg.Headers, false)...)
		for k := range cfg.Headers {
			if strings.EqualFold(k, "Authorization") {
				diags.AddAttributeError(path.Root("headers"), "Authorization header not allowed here",
					"Set credentials with token or basic_auth, which are kept out of logs; headers are not treated as secrets.")
			}
		}
	}
	if cfg.Endpoint == "" {
		diags.AddAttributeError(path.Root("endpoint"), "Missing SCIM endpoint",
			"Set endpoint in the provider block or the SCIM_ENDPOINT environment variable to the app's SCIM base URL, "+
				"such as https://api.example.com/scim/v2.")
	} else if err := scim.ValidateEndpoint(cfg.Endpoint); err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid SCIM endpoint",
			fmt.Sprintf("%s: %v", settingSource(data.Endpoint, "endpoint", "SCIM_ENDPOINT"), err))
	}
	if strings.TrimSpace(cfg.Token) == "" && cfg.Username == "" && data.OAuth2.IsNull() {
		diags.AddAttributeError(path.Root("token"), "Missing SCIM credentials",
			"Set token (or SCIM_TOKEN) to the app's SCIM bearer token, or configure basic_auth "+
				"(or SCIM_USERNAME and SCIM_PASSWORD). The token is usually found in the app's SCIM or provisioning settings.")
	}
	return cfg, diags
}

// settingSource names where a setting's value came from, for diagnostics:
// the argument, or the environment variable it fell back to.
func settingSource(v types.String, attr, env string) string {
	if v.IsNull() {
		return fmt.Sprintf("The environment variable %s (the fallback of %s)", env, attr)
	}
	return attr
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return strings.TrimSpace(v.ValueString())
	}
	return strings.TrimSpace(os.Getenv(env))
}

func (p *scimProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewUserResource,
		NewGroupResource,
		NewGroupMemberResource,
	}
}

func (p *scimProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewUserListResource,
		NewGroupListResource,
	}
}

func (p *scimProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewUserDataSource,
		NewUsersDataSource,
		NewGroupDataSource,
		NewGroupsDataSource,
		NewServiceProviderConfigDataSource,
	}
}
