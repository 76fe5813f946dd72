package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// Unit tests of how the provider block, the environment and the vendor
// preset become the client's settings, without Terraform.

func testProviderSchema(t *testing.T) providerSchema {
	t.Helper()
	var s providerSchema
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &s.resp)
	return s
}

func nullProviderModel(t *testing.T, s providerSchema) scimProviderModel {
	t.Helper()
	return scimProviderModel{
		Endpoint: types.StringNull(), Token: types.StringNull(), BasicAuth: types.ObjectNull(s.objectType("basic_auth").AttrTypes),
		RateLimit: types.Float64Null(), MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
		CACertPEM: types.StringNull(), CACertFile: types.StringNull(), ClientCertFile: types.StringNull(),
		ClientKeyFile: types.StringNull(), Headers: types.MapNull(types.StringType), OAuth2: types.ObjectNull(s.objectType("oauth2").AttrTypes),
		Vendor: types.StringNull(), Dialect: types.ObjectNull(s.objectType("dialect").AttrTypes), PagedRefresh: types.StringNull(),
		AllowEmptyTenant: types.BoolNull(), RateLimitReserve: types.Float64Null(), ShareRateLimit: types.BoolNull(),
	}
}

// errorsText joins the diagnostics' details, for matching.
func errorsText(diags diag.Diagnostics) string {
	var parts []string
	for _, d := range diags.Errors() {
		parts = append(parts, d.Summary()+": "+d.Detail())
	}
	return strings.Join(parts, "\n")
}

func TestWithEnvironment(t *testing.T) {
	s := testProviderSchema(t)
	for _, tc := range []struct {
		name  string
		env   map[string]string
		block func(*scimProviderModel)
		check func(t *testing.T, m scimProviderModel)
		want  string // a fragment of the error, "" for none
	}{
		{name: "rate limit", env: map[string]string{"SCIM_RATE_LIMIT": "2.5"},
			check: func(t *testing.T, m scimProviderModel) {
				if m.RateLimit.ValueFloat64() != 2.5 {
					t.Errorf("rate_limit = %v, want 2.5", m.RateLimit)
				}
			}},
		{name: "the block wins", env: map[string]string{"SCIM_RATE_LIMIT": "2.5", "SCIM_VENDOR": "entra"},
			block: func(m *scimProviderModel) { m.RateLimit, m.Vendor = types.Float64Value(7), types.StringValue("slack") },
			check: func(t *testing.T, m scimProviderModel) {
				if m.RateLimit.ValueFloat64() != 7 || m.Vendor.ValueString() != "slack" {
					t.Errorf("rate_limit %v, vendor %v: the environment overrode the block", m.RateLimit, m.Vendor)
				}
			}},
		{name: "rate limit too low", env: map[string]string{"SCIM_RATE_LIMIT": "0"},
			want: "SCIM_RATE_LIMIT (the fallback of rate_limit) must be a number of requests per second"},
		{name: "vendor", env: map[string]string{"SCIM_VENDOR": "entra"},
			check: func(t *testing.T, m scimProviderModel) {
				if m.Vendor.ValueString() != "entra" {
					t.Errorf("vendor = %v, want entra", m.Vendor)
				}
			}},
		{name: "unknown vendor", env: map[string]string{"SCIM_VENDOR": "okta"}, want: "SCIM_VENDOR (the fallback of vendor) is not a preset"},
		{name: "dialect", env: map[string]string{"SCIM_DIALECT": `{"update_method": "put", "page_size": 50}`},
			check: func(t *testing.T, m scimProviderModel) {
				attrs := m.Dialect.Attributes()
				if attrs["update_method"].(types.String).ValueString() != "put" || attrs["page_size"].(types.Int64).ValueInt64() != 50 {
					t.Errorf("dialect = %v", m.Dialect)
				}
			}},
		{name: "dialect value out of range", env: map[string]string{"SCIM_DIALECT": `{"member_chunk_size": 0}`},
			want: `SCIM_DIALECT (the fallback of dialect) has a bad "member_chunk_size"`},
		{name: "dialect not JSON", env: map[string]string{"SCIM_DIALECT": `update_method=put`}, want: "must be a JSON object"},
		{name: "headers", env: map[string]string{"SCIM_HEADERS": `{"X-Tenant": "acme"}`},
			check: func(t *testing.T, m scimProviderModel) {
				if m.Headers.Elements()["X-Tenant"].(types.String).ValueString() != "acme" {
					t.Errorf("headers = %v", m.Headers)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			m := nullProviderModel(t, s)
			if tc.block != nil {
				tc.block(&m)
			}
			var diags diag.Diagnostics
			m = withEnvironment(context.Background(), m, s, &diags)
			got := errorsText(diags)
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("unexpected error: %s", got)
			case tc.want != "" && !strings.Contains(strings.Join(strings.Fields(got), " "), tc.want):
				t.Fatalf("error %q, want one with %q", got, tc.want)
			}
			if tc.check != nil {
				tc.check(t, m)
			}
		})
	}
}

func TestResolveDialect(t *testing.T) {
	s := testProviderSchema(t)
	ctx := context.Background()
	overrides := func(raw string) types.Object {
		var diags diag.Diagnostics
		obj := dialectFromJSON(ctx, raw, s.nested("dialect"), &diags)
		if diags.HasError() {
			t.Fatalf("overrides %s: %s", raw, errorsText(diags))
		}
		return obj
	}
	for _, tc := range []struct {
		name      string
		vendor    types.String
		overrides types.Object
		check     func(t *testing.T, name string, d dialectOutcome)
		want      string
	}{
		{name: "generic by default", vendor: types.StringNull(), overrides: types.ObjectNull(s.objectType("dialect").AttrTypes),
			check: func(t *testing.T, name string, d dialectOutcome) {
				if d.Name != "generic" || len(d.explicit) != 0 {
					t.Errorf("%s: %q with %v set", name, d.Name, d.explicit)
				}
			}},
		{name: "a preset", vendor: types.StringValue("entra"), overrides: types.ObjectNull(s.objectType("dialect").AttrTypes),
			check: func(t *testing.T, name string, d dialectOutcome) {
				if d.Name != "entra" || d.MemberRemovesPerRequest != 1 || d.PathCase != "lower" {
					t.Errorf("%s: %+v", name, d.Dialect)
				}
			}},
		{name: "overrides keep the rest of the preset", vendor: types.StringValue("entra"),
			overrides: overrides(`{"member_removes_per_request": 5, "consistency_window": "30s"}`),
			check: func(t *testing.T, name string, d dialectOutcome) {
				if d.MemberRemovesPerRequest != 5 || d.ConsistencyWindow != 30*time.Second || d.PathCase != "lower" {
					t.Errorf("%s: %+v", name, d.Dialect)
				}
				if !d.explicit["member_removes_per_request"] || !d.explicit["consistency_window"] || d.explicit["path_case"] {
					t.Errorf("%s: explicit = %v", name, d.explicit)
				}
				if !strings.HasSuffix(d.Name, "(with overrides)") {
					t.Errorf("%s: name %q does not say it was overridden", name, d.Name)
				}
			}},
		{name: "unknown vendor", vendor: types.StringValue("okta"), overrides: types.ObjectNull(s.objectType("dialect").AttrTypes),
			want: `Unknown vendor: "okta" is not one of`},
	} {
		var diags diag.Diagnostics
		d, explicit := resolveDialect(ctx, tc.vendor, tc.overrides, &diags)
		got := errorsText(diags)
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: unexpected error: %s", tc.name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: error %q, want one with %q", tc.name, got, tc.want)
		}
		if tc.check != nil {
			tc.check(t, tc.name, dialectOutcome{d, explicit})
		}
	}
}

// dialectOutcome is what resolveDialect returns, for the checks above.
type dialectOutcome struct {
	scim.Dialect
	explicit map[string]bool
}
