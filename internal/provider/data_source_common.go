package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// userDataModel is a user as the app holds it, shaped exactly as scim_user
// stores it (scim_user embeds it), so that a data source value can be fed
// back into a scim_user without a diff.
type userDataModel struct {
	ID                types.String `tfsdk:"id"`
	UserName          types.String `tfsdk:"user_name"`
	ExternalID        types.String `tfsdk:"external_id"`
	DisplayName       types.String `tfsdk:"display_name"`
	NickName          types.String `tfsdk:"nick_name"`
	ProfileURL        types.String `tfsdk:"profile_url"`
	Title             types.String `tfsdk:"title"`
	UserType          types.String `tfsdk:"user_type"`
	PreferredLanguage types.String `tfsdk:"preferred_language"`
	Locale            types.String `tfsdk:"locale"`
	Timezone          types.String `tfsdk:"timezone"`
	Active            types.Bool   `tfsdk:"active"`
	Name              types.Object `tfsdk:"name"`
	Emails            types.Set    `tfsdk:"emails"`
	PhoneNumbers      types.Set    `tfsdk:"phone_numbers"`
	Roles             types.Set    `tfsdk:"roles"`
	Entitlements      types.Set    `tfsdk:"entitlements"`
	Enterprise        types.Object `tfsdk:"enterprise"`
}

var userDataAttrTypes = map[string]attr.Type{
	"id": types.StringType, "user_name": types.StringType, "external_id": types.StringType,
	"display_name": types.StringType, "nick_name": types.StringType, "profile_url": types.StringType,
	"title": types.StringType, "user_type": types.StringType, "preferred_language": types.StringType,
	"locale": types.StringType, "timezone": types.StringType, "active": types.BoolType,
	"name": types.ObjectType{AttrTypes: nameAttrTypes}, "emails": types.SetType{ElemType: multiValueObjectType},
	"phone_numbers": types.SetType{ElemType: multiValueObjectType}, "roles": types.SetType{ElemType: multiValueObjectType},
	"entitlements": types.SetType{ElemType: multiValueObjectType}, "enterprise": types.ObjectType{AttrTypes: enterpriseAttrTypes},
}

var userAttributeDescriptions = map[string]string{
	"id": "SCIM `id`.", "user_name": "SCIM `userName`.", "external_id": "SCIM `externalId`.",
	"display_name": "SCIM `displayName`.", "nick_name": "SCIM `nickName`.", "profile_url": "SCIM `profileUrl`.",
	"title": "SCIM `title`.", "user_type": "SCIM `userType`.", "preferred_language": "SCIM `preferredLanguage`.",
	"locale": "SCIM `locale`.", "timezone": "SCIM `timezone`.", "active": "SCIM `active`.",
	"name": "SCIM `name`, as in `scim_user`.", "emails": "SCIM `emails`, as in `scim_user`.",
	"phone_numbers": "SCIM `phoneNumbers`, as in `scim_user`.", "roles": "SCIM `roles`, as in `scim_user`.",
	"entitlements": "SCIM `entitlements`, as in `scim_user`.", "enterprise": "Enterprise extension attributes, as in `scim_user`.",
}

// userData shapes a user the way scim_user would store it after an import.
func userData(ctx context.Context, u *scim.User, diags *diagsT) userDataModel {
	m, d := flattenUser(ctx, u, emptyUserModel())
	diags.Append(d...)
	return m.userDataModel
}

// emptyUserModel is a model with every value null, as prior for flattening
// a user nobody has configured yet.
func emptyUserModel() userResourceModel {
	return userResourceModel{
		userDataModel: userDataModel{
			Name: types.ObjectNull(nameAttrTypes), Emails: types.SetNull(multiValueObjectType),
			PhoneNumbers: types.SetNull(multiValueObjectType), Roles: types.SetNull(multiValueObjectType),
			Entitlements: types.SetNull(multiValueObjectType), Enterprise: types.ObjectNull(enterpriseAttrTypes),
		},
		Extensions: types.MapNull(extensionsElementType), PasswordWOVersion: types.Int64Null(),
	}
}

// computedAttributes builds read-only data source attributes from attribute
// types, so data sources cannot drift from the resource models they mirror.
func computedAttributes(attrTypes map[string]attr.Type, descriptions map[string]string) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrTypes))
	for name, t := range attrTypes {
		desc := descriptions[name]
		switch tt := t.(type) {
		case memberListType:
			out[name] = schema.ListAttribute{MarkdownDescription: desc, Computed: true, CustomType: tt, ElementType: types.StringType}
		case types.ObjectType:
			out[name] = schema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true,
				Attributes: computedAttributes(tt.AttrTypes, nil)}
		case types.SetType:
			if obj, ok := tt.ElemType.(types.ObjectType); ok {
				out[name] = schema.SetNestedAttribute{MarkdownDescription: desc, Computed: true,
					NestedObject: schema.NestedAttributeObject{Attributes: computedAttributes(obj.AttrTypes, nil)}}
			} else {
				out[name] = schema.SetAttribute{MarkdownDescription: desc, Computed: true, ElementType: tt.ElemType}
			}
		case types.ListType:
			out[name] = schema.ListAttribute{MarkdownDescription: desc, Computed: true, ElementType: tt.ElemType}
		case basetypes.BoolType:
			out[name] = schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
		case basetypes.Int64Type:
			out[name] = schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
		default:
			out[name] = schema.StringAttribute{MarkdownDescription: desc, Computed: true}
		}
	}
	return out
}

// dataSourceClient is the Configure shared by every data source.
type dataSourceClient struct {
	client *scim.Client
}

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}
