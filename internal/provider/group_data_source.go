package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

var (
	_ datasource.DataSource                     = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*groupDataSource)(nil)
)

type groupDataModel struct {
	ID          types.String    `tfsdk:"id"`
	DisplayName types.String    `tfsdk:"display_name"`
	ExternalID  types.String    `tfsdk:"external_id"`
	Members     memberListValue `tfsdk:"members"`
}

func groupData(g *scim.Group, diags *diag.Diagnostics) groupDataModel {
	return groupDataModel{
		ID: types.StringValue(g.ID), DisplayName: types.StringValue(g.DisplayName),
		ExternalID: optionalStringValue(g.ExternalID), Members: memberList(sortedIDs(g.MemberIDs()), diags),
	}
}

// NewGroupDataSource is the scim_group data source.
func NewGroupDataSource() datasource.DataSource {
	return &groupDataSource{dataSourceClient{typeName: "_group"}}
}

type groupDataSource struct{ dataSourceClient }

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := readOnlyAttributes(groupResourceSchema().Attributes, tfsdkNames(groupDataModel{}))
	attrs["id"] = lookupAttribute("SCIM `id` of the group to read.")
	attrs["display_name"] = lookupAttribute("`displayName` of the group to find (case-insensitive).")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one SCIM group with its members, by `id` or `display_name` (exactly one). " +
			"Finding no group, or several with the same name, is an error. " + groupReadCost(false),
		Attributes: attrs,
	}
}

func (d *groupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name"))}
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config groupDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := config.ID.ValueString()
	if config.ID.IsNull() {
		name := config.DisplayName.ValueString()
		var ok bool
		if id, ok = groupIDByDisplayName(ctx, d.client, name, "reading", "read it by id", &resp.Diagnostics); !ok {
			return
		}
	}
	group, err := d.client.Groups.GetWithMembers(ctx, id, nil)
	if errors.Is(err, scim.ErrNotFound) {
		resp.Diagnostics.AddError("SCIM group not found", fmt.Sprintf("No group with id %q exists in the app.", id))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("reading", "group", id, err))
		return
	}
	state := groupData(group, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
