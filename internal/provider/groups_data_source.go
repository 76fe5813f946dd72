package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

var _ datasource.DataSource = (*groupsDataSource)(nil)

// NewGroupsDataSource is the scim_groups data source.
func NewGroupsDataSource() datasource.DataSource {
	return &groupsDataSource{dataSourceClient{typeName: "_groups"}}
}

type groupsDataSource struct{ dataSourceClient }

type groupsDataModel struct {
	ID     types.String `tfsdk:"id"`
	Filter types.String `tfsdk:"filter"`
	Groups types.List   `tfsdk:"groups"`
}

func (d *groupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists SCIM groups with their members, every page of them, optionally narrowed by a SCIM filter. " +
			groupReadCost(true),
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The filter, or `all`.", Computed: true},
			"filter": schema.StringAttribute{
				MarkdownDescription: "SCIM filter, such as `displayName eq \"Engineering\"`. Sent as given. " + filterCheckedNote,
				Optional:            true,
			},
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The groups, in the order the app returned them.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: readOnlyAttributes(groupResourceSchema().Attributes, tfsdkNames(groupDataModel{}))},
			},
		},
	}
}

func (d *groupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data groupsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Walk checks every group against the filter too, for apps that ignore filters.
	var groups []*scim.Group
	err := d.client.Groups.Walk(ctx, scim.Query{Filter: data.Filter.ValueString()}, true, func(g *scim.Group) bool {
		groups = append(groups, g)
		return true
	})
	if err == nil {
		err = d.client.Groups.FillMembers(ctx, groups)
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("listing", "groups", data.Filter.ValueString(), err))
		return
	}
	items := make([]groupDataModel, 0, len(groups))
	for _, g := range groups {
		items = append(items, groupData(g, &resp.Diagnostics))
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: groupDataAttrTypes()}, items)
	resp.Diagnostics.Append(diags...)
	data.Groups = list
	data.ID = types.StringValue(firstNonEmptyString(data.Filter.ValueString(), "all"))
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
