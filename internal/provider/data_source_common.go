package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// userData shapes a user the way scim_user would store it after an import.
func userData(ctx context.Context, u *scim.User, diags *diag.Diagnostics) userDataModel {
	m, d := flattenUser(ctx, u, emptyUserModel())
	diags.Append(d...)
	return m.userDataModel
}

// emptyUserModel is a model with every value null, as prior for flattening
// a user nobody has configured yet.
func emptyUserModel() userResourceModel {
	return userResourceModel{
		userDataModel: userDataModel{
			Name: types.ObjectNull(nameAttrTypes), Emails: types.ListNull(multiValueObjectType),
			PhoneNumbers: types.ListNull(multiValueObjectType), Roles: types.ListNull(multiValueObjectType),
			Entitlements: types.ListNull(multiValueObjectType), Enterprise: types.ObjectNull(enterpriseAttrTypes),
		},
		Extensions: types.MapNull(extensionsElementType), PasswordWOVersion: types.Int64Null(),
	}
}

// dataSourceClient is the Metadata and Configure shared by every data
// source.
type dataSourceClient struct {
	client *scim.Client
	// typeName follows the provider's name in the data source's: "_user".
	typeName string
}

func (d *dataSourceClient) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.typeName
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

// groupReadCost says what reading groups with their members costs, per
// way of reading members, with the presets that read them each way (from
// the preset data). many: a listing of groups, which shares one scan of
// the users among all its groups.
func groupReadCost(many bool) string {
	reads := func(mode string) string {
		return presetsWhere(func(d scim.Dialect) bool { return d.MembersRead == mode })
	}
	read := "one request (one more to find it by `display_name`)"
	filter := "the pages of a listing of the tenant's users, then one request per user"
	paged := "the pages of a listing of the users in the group"
	if many {
		read = "one request per page of groups"
		filter += ", once for all the groups"
		paged += ", per group"
	}
	return fmt.Sprintf("**Cost:** %s where the app returns members with groups; where members are read by filter "+
		"(%s), %s; where they are read from the users' groups (`members_read = \"paged\"`), %s. Where members are "+
		"write-only they cannot be read. Each request counts against the app's rate limit.", read, reads(scim.MembersFilter), filter, paged)
}
