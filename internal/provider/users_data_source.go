package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

var _ datasource.DataSource = (*usersDataSource)(nil)

// NewUsersDataSource is the scim_users data source.
func NewUsersDataSource() datasource.DataSource {
	return &usersDataSource{dataSourceClient{typeName: "_users"}}
}

type usersDataSource struct{ dataSourceClient }

type usersDataModel struct {
	ID     types.String `tfsdk:"id"`
	Filter types.String `tfsdk:"filter"`
	Users  types.List   `tfsdk:"users"`
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists SCIM users, every page of them, optionally narrowed by a SCIM filter. Each user has the " +
			"same shape as `scim_user`, so a list can feed `for_each` import blocks to bring a whole tenant under management. " +
			"**Cost:** one request per page (`page_size` users). Apps whose users cannot be listed without a filter (" +
			presetsWhere(func(d scim.Dialect) bool { return d.ListNeedsFilter }) + ") refuse it without `filter`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The filter, or `all`.", Computed: true},
			"filter": schema.StringAttribute{
				MarkdownDescription: "SCIM filter ([RFC 7644 section 3.4.2.2](https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2)), " +
					"such as `active eq true` or `userName sw \"a\"`. Sent as given: quote string values as JSON strings. " +
					"Not every app supports every operator; `eq` is the safest. " + filterCheckedNote,
				Optional: true,
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The users, in the order the app returned them.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: readOnlyAttributes(userResourceSchema().Attributes, tfsdkNames(userDataModel{}))},
			},
		},
	}
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data usersDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Walk checks every user against the filter too, for apps that ignore filters.
	var users []*scim.User
	err := d.client.Users.Walk(ctx, scim.Query{Filter: data.Filter.ValueString()}, func(u *scim.User) bool {
		users = append(users, u)
		return true
	})
	if err != nil {
		resp.Diagnostics.AddError(clientError("listing", "users", data.Filter.ValueString(), err))
		return
	}
	items := make([]userDataModel, 0, len(users))
	for _, u := range users {
		items = append(items, userData(ctx, u, &resp.Diagnostics))
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: userDataAttrTypes()}, items)
	resp.Diagnostics.Append(diags...)
	data.Users = list
	data.ID = types.StringValue(firstNonEmptyString(data.Filter.ValueString(), "all"))
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

func firstNonEmptyString(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
