package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

var (
	_ datasource.DataSource                     = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userDataSource)(nil)
)

// NewUserDataSource is the scim_user data source.
func NewUserDataSource() datasource.DataSource {
	return &userDataSource{dataSourceClient{typeName: "_user"}}
}

type userDataSource struct{ dataSourceClient }

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := readOnlyAttributes(userResourceSchema().Attributes, tfsdkNames(userDataModel{}))
	attrs["id"] = lookupAttribute("SCIM `id` of the user to read.")
	attrs["user_name"] = lookupAttribute("`userName` of the user to find (case-insensitive).")
	attrs["external_id"] = lookupAttribute("`externalId` of the user to find (case-sensitive).")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one SCIM user, by `id`, `user_name` or `external_id` (exactly one). " +
			"Finding no user, or several, is an error.",
		Attributes: attrs,
	}
}

func (d *userDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("user_name"), path.MatchRoot("external_id")),
	}
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config userDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		user *scim.User
		err  error
		key  string
	)
	switch {
	case !config.ID.IsNull():
		key = "id " + config.ID.ValueString()
		user, err = d.client.Users.Get(ctx, config.ID.ValueString())
		if errors.Is(err, scim.ErrNotFound) {
			user, err = nil, nil
		}
	case !config.UserName.IsNull():
		key = "userName " + config.UserName.ValueString()
		user, err = d.client.Users.FindByUserName(ctx, config.UserName.ValueString())
	default:
		key = "externalId " + config.ExternalID.ValueString()
		user, err = d.client.Users.FindByExternalID(ctx, config.ExternalID.ValueString())
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("reading", "user", key, err))
		return
	}
	if user == nil {
		resp.Diagnostics.AddError("SCIM user not found",
			fmt.Sprintf("No user with %s exists in the app. Check the value, or use data.scim_users with a filter to list candidates.", key))
		return
	}
	state := userData(ctx, user, &resp.Diagnostics)
	if !config.UserName.IsNull() {
		state.UserName = keepCaseOf(config.UserName, user.UserName)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
