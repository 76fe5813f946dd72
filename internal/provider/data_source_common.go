package provider

import (
	"context"

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

// dataSourceClient is the Configure shared by every data source.
type dataSourceClient struct {
	client *scim.Client
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}
