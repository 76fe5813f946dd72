package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSource = (*serviceProviderConfigDataSource)(nil)

// NewServiceProviderConfigDataSource is the scim_service_provider_config data source.
func NewServiceProviderConfigDataSource() datasource.DataSource {
	return &serviceProviderConfigDataSource{dataSourceClient{typeName: "_service_provider_config"}}
}

type serviceProviderConfigDataSource struct{ dataSourceClient }

type serviceProviderConfigModel struct {
	ID                      types.String `tfsdk:"id"`
	PatchSupported          types.Bool   `tfsdk:"patch_supported"`
	BulkSupported           types.Bool   `tfsdk:"bulk_supported"`
	FilterSupported         types.Bool   `tfsdk:"filter_supported"`
	FilterMaxResults        types.Int64  `tfsdk:"filter_max_results"`
	ChangePasswordSupported types.Bool   `tfsdk:"change_password_supported"`
	SortSupported           types.Bool   `tfsdk:"sort_supported"`
	ETagSupported           types.Bool   `tfsdk:"etag_supported"`
	AuthenticationSchemes   types.List   `tfsdk:"authentication_schemes"`
	DocumentationURI        types.String `tfsdk:"documentation_uri"`
	Dialect                 types.String `tfsdk:"dialect"`
	PageSize                types.Int64  `tfsdk:"page_size"`
	MemberChunkSize         types.Int64  `tfsdk:"member_chunk_size"`
	PatchOpCase             types.String `tfsdk:"patch_op_case"`
	MembersRead             types.String `tfsdk:"members_read"`
	UpdateMethod            types.String `tfsdk:"update_method"`
	ConsistencyWindow       types.String `tfsdk:"consistency_window"`
}

func (d *serviceProviderConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	b := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
	}
	s := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	i := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "What the app says it supports (`/ServiceProviderConfig`, [RFC 7643 section 5]" +
			"(https://www.rfc-editor.org/rfc/rfc7643#section-5)), and the settings the provider actually uses with it.",
		Attributes: map[string]schema.Attribute{
			"id":                        s("The endpoint."),
			"patch_supported":           b("`patch.supported`."),
			"bulk_supported":            b("`bulk.supported`."),
			"filter_supported":          b("`filter.supported`."),
			"filter_max_results":        i("`filter.maxResults`."),
			"change_password_supported": b("`changePassword.supported`."),
			"sort_supported":            b("`sort.supported`."),
			"etag_supported":            b("`etag.supported`."),
			"authentication_schemes": schema.ListAttribute{MarkdownDescription: "Types of `authenticationSchemes`.",
				Computed: true, ElementType: types.StringType},
			"documentation_uri": s("`documentationUri`."),
			"dialect":           s("Name of the dialect (set of server quirks) the provider uses."),
			"page_size":         i("Resources asked for per list page."),
			"member_chunk_size": i("Most member changes sent in one group PATCH."),
			"patch_op_case":     s("How PATCH op names are written: `lower` or `capitalized`."),
			"members_read":      s("How group members are read: `inline`, `attributes`, `filter`, `paged` or `write_only`."),
			"update_method": s("How writes are sent: `patch`, or `put` (GET, merge and PUT) for apps without PATCH, as the " +
				"dialect says, discovery found, or a 405/501 answer taught the provider."),
			"consistency_window": s("How long after the provider's own write a read that does not show it yet is retried (`0s`: never)."),
		},
	}
}

func (d *serviceProviderConfigDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	spc, err := d.client.ServiceProviderConfig(ctx)
	if err != nil {
		resp.Diagnostics.AddError(clientError("reading", "service provider config", d.client.Endpoint(), err))
		return
	}
	schemes, diags := types.ListValueFrom(ctx, types.StringType, spc.AuthenticationSchemes)
	resp.Diagnostics.Append(diags...)
	dialect := d.client.Dialect()
	state := serviceProviderConfigModel{
		ID:                      types.StringValue(d.client.Endpoint()),
		PatchSupported:          types.BoolValue(spc.PatchSupported),
		BulkSupported:           types.BoolValue(spc.BulkSupported),
		FilterSupported:         types.BoolValue(spc.FilterSupported),
		FilterMaxResults:        types.Int64Value(int64(spc.FilterMaxResults)),
		ChangePasswordSupported: types.BoolValue(spc.ChangePasswordSupported),
		SortSupported:           types.BoolValue(spc.SortSupported),
		ETagSupported:           types.BoolValue(spc.ETagSupported),
		AuthenticationSchemes:   schemes,
		DocumentationURI:        optionalStringValue(spc.DocumentationURI),
		Dialect:                 types.StringValue(dialect.Name),
		PageSize:                types.Int64Value(int64(dialect.PageSize)),
		MemberChunkSize:         types.Int64Value(int64(dialect.MemberChunkSize)),
		PatchOpCase:             types.StringValue(dialect.PatchOpCase),
		MembersRead:             types.StringValue(dialect.MembersRead),
		UpdateMethod:            types.StringValue(d.client.UpdateMethod()),
		ConsistencyWindow:       types.StringValue(dialect.ConsistencyWindow.String()),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
