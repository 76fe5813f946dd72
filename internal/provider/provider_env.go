package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// envVars maps each provider setting to the environment variables it falls
// back to when the provider block leaves it unset. The provider's docs
// list the same table (TestEnvVarsDocumented checks it).
var envVars = map[string][]string{
	"endpoint":           {"SCIM_ENDPOINT"},
	"token":              {"SCIM_TOKEN"},
	"basic_auth":         {"SCIM_USERNAME", "SCIM_PASSWORD"},
	"oauth2":             {"SCIM_OAUTH2_TOKEN_URL", "SCIM_OAUTH2_CLIENT_ID", "SCIM_OAUTH2_CLIENT_SECRET", "SCIM_OAUTH2_SCOPES"},
	"rate_limit":         {"SCIM_RATE_LIMIT"},
	"max_retries":        {"SCIM_MAX_RETRIES"},
	"request_timeout":    {"SCIM_REQUEST_TIMEOUT"},
	"ca_cert_pem":        {"SCIM_CA_CERT_PEM"},
	"ca_cert_file":       {"SCIM_CA_CERT_FILE"},
	"client_cert_file":   {"SCIM_CLIENT_CERT_FILE"},
	"client_key_file":    {"SCIM_CLIENT_KEY_FILE"},
	"headers":            {"SCIM_HEADERS"},
	"vendor":             {"SCIM_VENDOR"},
	"dialect":            {"SCIM_DIALECT"},
	"paged_refresh":      {"SCIM_PAGED_REFRESH"},
	"allow_empty_tenant": {"SCIM_ALLOW_EMPTY_TENANT"},
	"rate_limit_reserve": {"SCIM_RATE_LIMIT_RESERVE"},
	"share_rate_limit":   {"SCIM_SHARE_RATE_LIMIT", "SCIM_RATE_LIMIT_DIR"},
}

// envError reports a bad environment value against the setting it stands for.
func envError(diags *diag.Diagnostics, attr, env, problem string) {
	diags.AddAttributeError(path.Root(attr), "Invalid "+env,
		fmt.Sprintf("The environment variable %s (the fallback of %s) %s.", env, attr, problem))
}

// withEnvironment fills the settings the provider block leaves unset from
// the environment. Settings read elsewhere (endpoint, token, basic auth and
// the TLS files) are left to their readers; validators do not see
// environment values, so the checks they would make are made here.
func withEnvironment(ctx context.Context, data scimProviderModel, s providerSchema, diags *diag.Diagnostics) scimProviderModel {
	if v := os.Getenv("SCIM_RATE_LIMIT"); v != "" && data.RateLimit.IsNull() {
		if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0.1 {
			envError(diags, "rate_limit", "SCIM_RATE_LIMIT", "must be a number of requests per second, at least 0.1")
		} else {
			data.RateLimit = types.Float64Value(f)
		}
	}
	if v := os.Getenv("SCIM_MAX_RETRIES"); v != "" && data.MaxRetries.IsNull() {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 20 {
			envError(diags, "max_retries", "SCIM_MAX_RETRIES", "must be a whole number from 0 to 20")
		} else {
			data.MaxRetries = types.Int64Value(int64(n))
		}
	}
	if v := os.Getenv("SCIM_REQUEST_TIMEOUT"); v != "" && data.RequestTimeout.IsNull() {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			envError(diags, "request_timeout", "SCIM_REQUEST_TIMEOUT", "must be a positive Go duration such as 30s")
		} else {
			data.RequestTimeout = types.StringValue(v)
		}
	}
	if v := os.Getenv("SCIM_PAGED_REFRESH"); v != "" && data.PagedRefresh.IsNull() {
		if v != "auto" && v != "always" && v != "never" {
			envError(diags, "paged_refresh", "SCIM_PAGED_REFRESH", "must be auto, always or never")
		} else {
			data.PagedRefresh = types.StringValue(v)
		}
	}
	if v := os.Getenv("SCIM_ALLOW_EMPTY_TENANT"); v != "" && data.AllowEmptyTenant.IsNull() {
		if b, err := strconv.ParseBool(v); err != nil {
			envError(diags, "allow_empty_tenant", "SCIM_ALLOW_EMPTY_TENANT", "must be true or false")
		} else {
			data.AllowEmptyTenant = types.BoolValue(b)
		}
	}
	if v := os.Getenv("SCIM_RATE_LIMIT_RESERVE"); v != "" && data.RateLimitReserve.IsNull() {
		if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 0.9 {
			envError(diags, "rate_limit_reserve", "SCIM_RATE_LIMIT_RESERVE", "must be a share from 0 to 0.9")
		} else {
			data.RateLimitReserve = types.Float64Value(f)
		}
	}
	if v := os.Getenv("SCIM_SHARE_RATE_LIMIT"); v != "" && data.ShareRateLimit.IsNull() {
		if b, err := strconv.ParseBool(v); err != nil {
			envError(diags, "share_rate_limit", "SCIM_SHARE_RATE_LIMIT", "must be true or false")
		} else {
			data.ShareRateLimit = types.BoolValue(b)
		}
	}
	if v := os.Getenv("SCIM_VENDOR"); v != "" && data.Vendor.IsNull() {
		data.Vendor = types.StringValue(v)
		for _, finding := range schemaValidatorsFindings(ctx, s.resp.Schema.Attributes["vendor"], path.Root("vendor"), data.Vendor) {
			envError(diags, "vendor", "SCIM_VENDOR", "is not a preset: "+strings.TrimSuffix(finding, "."))
			data.Vendor = types.StringNull() // reported once, here
		}
	}
	if v := os.Getenv("SCIM_HEADERS"); v != "" && data.Headers.IsNull() {
		var headers map[string]string
		if err := json.Unmarshal([]byte(v), &headers); err != nil {
			envError(diags, "headers", "SCIM_HEADERS", `must be a JSON object of strings, such as {"X-Tenant": "acme"}`)
		} else {
			m, d := types.MapValueFrom(ctx, types.StringType, headers)
			diags.Append(d...)
			data.Headers = m
		}
	}
	// Credentials in the block always win: with several tenants in one job,
	// an environment meant for one must never send another's token.
	blockCredentials := !data.Token.IsNull() || !data.BasicAuth.IsNull() || !data.OAuth2.IsNull()
	if !blockCredentials && os.Getenv("SCIM_OAUTH2_TOKEN_URL") != "" {
		data.OAuth2 = oauth2FromEnvironment(ctx, s.objectType("oauth2"), diags)
	}
	if v := os.Getenv("SCIM_DIALECT"); v != "" && data.Dialect.IsNull() {
		data.Dialect = dialectFromJSON(ctx, v, s.nested("dialect"), diags)
	}
	return data
}

func oauth2FromEnvironment(ctx context.Context, t types.ObjectType, diags *diag.Diagnostics) types.Object {
	m := oauth2Model{
		TokenURL: types.StringValue(os.Getenv("SCIM_OAUTH2_TOKEN_URL")), ClientID: types.StringValue(os.Getenv("SCIM_OAUTH2_CLIENT_ID")),
		ClientSecret: types.StringValue(os.Getenv("SCIM_OAUTH2_CLIENT_SECRET")), Scopes: types.ListNull(types.StringType),
	}
	for _, env := range []string{"SCIM_OAUTH2_CLIENT_ID", "SCIM_OAUTH2_CLIENT_SECRET"} {
		if os.Getenv(env) == "" {
			envError(diags, "oauth2", env, "must be set together with SCIM_OAUTH2_TOKEN_URL")
		}
	}
	if scopes := strings.FieldsFunc(os.Getenv("SCIM_OAUTH2_SCOPES"), func(r rune) bool { return r == ',' || r == ' ' }); len(scopes) > 0 {
		list, d := types.ListValueFrom(ctx, types.StringType, scopes)
		diags.Append(d...)
		m.Scopes = list
	}
	obj, d := types.ObjectValueFrom(ctx, t.AttrTypes, m)
	diags.Append(d...)
	return obj
}

// dialectFromJSON reads SCIM_DIALECT: a JSON object with the keys of the
// dialect block, such as {"update_method": "put", "page_size": 50}.
func dialectFromJSON(ctx context.Context, raw string, block schema.SingleNestedAttribute, diags *diag.Diagnostics) types.Object {
	t, _ := block.GetType().(types.ObjectType)
	var given map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &given); err != nil {
		envError(diags, "dialect", "SCIM_DIALECT", `must be a JSON object with the keys of the dialect block, such as {"update_method": "put"}`)
		return types.ObjectNull(t.AttrTypes)
	}
	values := map[string]attr.Value{}
	for _, name := range slices.Sorted(maps.Keys(t.AttrTypes)) { // findings in name order
		v, err := jsonAttrValue(given[name], t.AttrTypes[name])
		if err != nil {
			envError(diags, "dialect", "SCIM_DIALECT", fmt.Sprintf("has a bad %q: %v", name, err))
		}
		for _, finding := range schemaValidatorsFindings(ctx, block.Attributes[name], path.Root("dialect").AtName(name), v) {
			envError(diags, "dialect", "SCIM_DIALECT", fmt.Sprintf("has a bad %q: %s", name, strings.TrimSuffix(finding, ".")))
		}
		values[name] = v
		delete(given, name)
	}
	if len(given) > 0 {
		known := make([]string, 0, len(t.AttrTypes))
		for name := range t.AttrTypes {
			known = append(known, name)
		}
		sort.Strings(known)
		for name := range given {
			envError(diags, "dialect", "SCIM_DIALECT", fmt.Sprintf("has an unknown key %q; the keys are %s", name, strings.Join(known, ", ")))
		}
	}
	obj, d := types.ObjectValue(t.AttrTypes, values)
	diags.Append(d...)
	return obj
}

// jsonAttrValue decodes one JSON value (absent means null) as a value of t.
func jsonAttrValue(raw json.RawMessage, t attr.Type) (attr.Value, error) {
	null := len(raw) == 0 || string(raw) == "null"
	switch t {
	case types.StringType:
		var s string
		if null {
			return types.StringNull(), nil
		}
		err := json.Unmarshal(raw, &s)
		return types.StringValue(s), err
	case types.Int64Type:
		var n int64
		if null {
			return types.Int64Null(), nil
		}
		err := json.Unmarshal(raw, &n)
		return types.Int64Value(n), err
	case types.BoolType:
		var b bool
		if null {
			return types.BoolNull(), nil
		}
		err := json.Unmarshal(raw, &b)
		return types.BoolValue(b), err
	}
	var list []string
	if null {
		return types.ListNull(types.StringType), nil
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return types.ListNull(types.StringType), err
	}
	elems := make([]attr.Value, len(list))
	for i, s := range list {
		elems[i] = types.StringValue(s)
	}
	return basetypes.NewListValueMust(types.StringType, elems), nil
}

// providerSchema is the provider's schema, for the types of its nested settings.
type providerSchema struct{ resp provider.SchemaResponse }

// nested returns the schema of a nested setting (dialect, oauth2).
func (s providerSchema) nested(name string) schema.SingleNestedAttribute {
	a, _ := s.resp.Schema.Attributes[name].(schema.SingleNestedAttribute)
	return a
}

func (s providerSchema) objectType(name string) types.ObjectType {
	t, _ := s.resp.Schema.Attributes[name].GetType().(types.ObjectType)
	return t
}

// rateLimitDir is where runs on this machine share each app's pace:
// SCIM_RATE_LIMIT_DIR, else a directory under the user's cache directory;
// empty (pacing alone) when there is none.
func rateLimitDir() string {
	if dir := os.Getenv("SCIM_RATE_LIMIT_DIR"); dir != "" {
		return dir
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "terraform-provider-scim", "rate-limits")
}
