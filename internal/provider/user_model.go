package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
	Emails            types.List   `tfsdk:"emails"`
	PhoneNumbers      types.List   `tfsdk:"phone_numbers"`
	Roles             types.List   `tfsdk:"roles"`
	Entitlements      types.List   `tfsdk:"entitlements"`
	Enterprise        types.Object `tfsdk:"enterprise"`
}

// userResourceModel is scim_user: the attributes the app holds (shared
// with the data sources) plus the ones only Terraform knows.
type userResourceModel struct {
	userDataModel
	Extensions        types.Map      `tfsdk:"extensions"`
	PasswordWO        types.String   `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64    `tfsdk:"password_wo_version"`
	DestroyMode       types.String   `tfsdk:"destroy_mode"`
	AdoptExisting     types.Bool     `tfsdk:"adopt_existing"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

type userNameModel struct {
	Formatted       types.String `tfsdk:"formatted"`
	FamilyName      types.String `tfsdk:"family_name"`
	GivenName       types.String `tfsdk:"given_name"`
	MiddleName      types.String `tfsdk:"middle_name"`
	HonorificPrefix types.String `tfsdk:"honorific_prefix"`
	HonorificSuffix types.String `tfsdk:"honorific_suffix"`
}

type multiValueModel struct {
	Value   types.String `tfsdk:"value"`
	Type    types.String `tfsdk:"type"`
	Display types.String `tfsdk:"display"`
	Primary types.Bool   `tfsdk:"primary"`
}

type enterpriseModel struct {
	EmployeeNumber types.String `tfsdk:"employee_number"`
	CostCenter     types.String `tfsdk:"cost_center"`
	Organization   types.String `tfsdk:"organization"`
	Division       types.String `tfsdk:"division"`
	Department     types.String `tfsdk:"department"`
	ManagerID      types.String `tfsdk:"manager_id"`
}

// The object types of the nested attributes, read from the schema (the one
// definition of each attribute).
var (
	nameAttrTypes         = nestedAttrTypes("name")
	enterpriseAttrTypes   = nestedAttrTypes("enterprise")
	multiValueObjectType  = types.ObjectType{AttrTypes: multiValueAttrTypes()}
	extensionsElementType = jsontypes.NormalizedType{}
)

func nestedAttrTypes(name string) map[string]attr.Type {
	obj, ok := userResourceSchema().Attributes[name].GetType().(types.ObjectType)
	if !ok {
		panic("scim_user." + name + " is not a nested object")
	}
	return obj.AttrTypes
}

// multiValueAttrTypes are the attributes of one email, phone number, role or entitlement.
func multiValueAttrTypes() map[string]attr.Type {
	list, ok := userResourceSchema().Attributes["emails"].GetType().(types.ListType)
	obj, isObj := list.ElemType.(types.ObjectType)
	if !ok || !isObj {
		panic("scim_user.emails is not a list of objects")
	}
	return obj.AttrTypes
}

// expandUser converts the Terraform model into a SCIM user. Unknown
// computed values become empty, meaning "not managed".
func expandUser(ctx context.Context, m userResourceModel) (*scim.User, diag.Diagnostics) {
	var diags diag.Diagnostics
	u := &scim.User{
		ID:                m.ID.ValueString(),
		UserName:          m.UserName.ValueString(),
		ExternalID:        m.ExternalID.ValueString(),
		DisplayName:       m.DisplayName.ValueString(),
		NickName:          m.NickName.ValueString(),
		ProfileURL:        m.ProfileURL.ValueString(),
		Title:             m.Title.ValueString(),
		UserType:          m.UserType.ValueString(),
		PreferredLanguage: m.PreferredLanguage.ValueString(),
		Locale:            m.Locale.ValueString(),
		Timezone:          m.Timezone.ValueString(),
	}
	if !m.Active.IsNull() && !m.Active.IsUnknown() {
		u.Active = scim.Bool(m.Active.ValueBool())
	}
	if !m.Name.IsNull() && !m.Name.IsUnknown() {
		var n userNameModel
		diags.Append(m.Name.As(ctx, &n, objectAsOptions)...)
		u.Name = scim.Name{
			Formatted: n.Formatted.ValueString(), FamilyName: n.FamilyName.ValueString(), GivenName: n.GivenName.ValueString(),
			MiddleName: n.MiddleName.ValueString(), HonorificPrefix: n.HonorificPrefix.ValueString(),
			HonorificSuffix: n.HonorificSuffix.ValueString(),
		}
	}
	u.Emails = expandMultiValues(ctx, m.Emails, &diags)
	u.PhoneNumbers = expandMultiValues(ctx, m.PhoneNumbers, &diags)
	u.Roles = expandMultiValues(ctx, m.Roles, &diags)
	u.Entitlements = expandMultiValues(ctx, m.Entitlements, &diags)
	if !m.Enterprise.IsNull() && !m.Enterprise.IsUnknown() {
		var e enterpriseModel
		diags.Append(m.Enterprise.As(ctx, &e, objectAsOptions)...)
		u.Enterprise = scim.Enterprise{
			EmployeeNumber: e.EmployeeNumber.ValueString(), CostCenter: e.CostCenter.ValueString(),
			Organization: e.Organization.ValueString(), Division: e.Division.ValueString(),
			Department: e.Department.ValueString(), ManagerID: e.ManagerID.ValueString(),
		}
	}
	u.Extensions = expandExtensions(ctx, m.Extensions, &diags)
	return u, diags
}

// expandMultiValues sends each configured value once: the list is a set
// in meaning, so a value listed twice is the same value.
func expandMultiValues(ctx context.Context, list types.List, diags *diag.Diagnostics) []scim.MultiValue {
	if list.IsNull() || list.IsUnknown() {
		return nil
	}
	var items []multiValueModel
	diags.Append(list.ElementsAs(ctx, &items, false)...)
	out := make([]scim.MultiValue, 0, len(items))
	for _, it := range items {
		v := scim.MultiValue{
			Value: it.Value.ValueString(), Type: it.Type.ValueString(),
			Display: it.Display.ValueString(), Primary: it.Primary.ValueBool(),
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func expandExtensions(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]map[string]any {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	var raw map[string]jsontypes.Normalized
	diags.Append(m.ElementsAs(ctx, &raw, false)...)
	out := make(map[string]map[string]any, len(raw))
	for urn, v := range raw {
		var obj map[string]any
		if err := json.Unmarshal([]byte(v.ValueString()), &obj); err != nil || obj == nil {
			diags.AddAttributeError(path.Root("extensions").AtMapKey(urn), "Extension value is not a JSON object",
				"Use jsonencode({ ... }) to give the attributes of "+urn+".")
			continue
		}
		out[urn] = obj
	}
	return out
}

// flattenUser converts a SCIM user into the Terraform model. prior is the
// plan (after create or update) or the state (on read): where the server's
// value means the same as prior's (userName or email case, false versus an
// unset primary), prior's spelling is kept, so that no diff appears that the
// user cannot fix. Everything else comes from the server, so out-of-band
// changes show up as drift.
func flattenUser(ctx context.Context, u *scim.User, prior userResourceModel) (userResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := userResourceModel{
		userDataModel: userDataModel{
			ID:                types.StringValue(u.ID),
			UserName:          keepCaseOf(prior.UserName, u.UserName),
			ExternalID:        optionalStringValue(u.ExternalID),
			DisplayName:       optionalStringValue(u.DisplayName),
			NickName:          optionalStringValue(u.NickName),
			ProfileURL:        optionalStringValue(u.ProfileURL),
			Title:             optionalStringValue(u.Title),
			UserType:          optionalStringValue(u.UserType),
			PreferredLanguage: optionalStringValue(u.PreferredLanguage),
			Locale:            optionalStringValue(u.Locale),
			Timezone:          optionalStringValue(u.Timezone),
			Active:            types.BoolValue(u.IsActive()),
		},
		PasswordWO:        types.StringNull(),
		PasswordWOVersion: prior.PasswordWOVersion,
		DestroyMode:       prior.DestroyMode,
		AdoptExisting:     prior.AdoptExisting,
		Timeouts:          prior.Timeouts,
	}
	if m.DestroyMode.IsNull() || m.DestroyMode.IsUnknown() {
		m.DestroyMode = types.StringValue(destroyDeactivate)
	}
	if m.AdoptExisting.IsNull() || m.AdoptExisting.IsUnknown() {
		m.AdoptExisting = types.BoolValue(false)
	}
	m.Name = flattenName(u.Name, prior.Name, &diags)
	m.Emails = flattenMultiValues(ctx, u.Emails, prior.Emails, &diags)
	m.PhoneNumbers = flattenMultiValues(ctx, u.PhoneNumbers, prior.PhoneNumbers, &diags)
	m.Roles = flattenMultiValues(ctx, u.Roles, prior.Roles, &diags)
	m.Entitlements = flattenMultiValues(ctx, u.Entitlements, prior.Entitlements, &diags)
	m.Enterprise = flattenEnterprise(u.Enterprise, prior.Enterprise, &diags)
	m.Extensions = flattenExtensions(ctx, u.Extensions, prior.Extensions, &diags)
	return m, diags
}

func flattenName(n scim.Name, prior types.Object, diags *diag.Diagnostics) types.Object {
	onlyDerived := n.FamilyName == "" && n.GivenName == "" && n.MiddleName == "" && n.HonorificPrefix == "" && n.HonorificSuffix == ""
	if (prior.IsNull() || prior.IsUnknown()) && onlyDerived {
		// A name the app derived on its own (only "formatted") is not drift.
		return types.ObjectNull(nameAttrTypes)
	}
	obj, d := types.ObjectValue(nameAttrTypes, map[string]attr.Value{
		"formatted": optionalStringValue(n.Formatted), "family_name": optionalStringValue(n.FamilyName),
		"given_name": optionalStringValue(n.GivenName), "middle_name": optionalStringValue(n.MiddleName),
		"honorific_prefix": optionalStringValue(n.HonorificPrefix), "honorific_suffix": optionalStringValue(n.HonorificSuffix),
	})
	diags.Append(d...)
	return obj
}

func flattenEnterprise(e scim.Enterprise, prior types.Object, diags *diag.Diagnostics) types.Object {
	if e == (scim.Enterprise{}) && (prior.IsNull() || prior.IsUnknown()) {
		return types.ObjectNull(enterpriseAttrTypes)
	}
	obj, d := types.ObjectValue(enterpriseAttrTypes, map[string]attr.Value{
		"employee_number": optionalStringValue(e.EmployeeNumber), "cost_center": optionalStringValue(e.CostCenter),
		"organization": optionalStringValue(e.Organization), "division": optionalStringValue(e.Division),
		"department": optionalStringValue(e.Department), "manager_id": optionalStringValue(e.ManagerID),
	})
	diags.Append(d...)
	return obj
}

// flattenMultiValues converts the app's values of a multi-valued attribute.
// A value that means the same as one in prior (the same value and type,
// compared case-insensitively) keeps prior's spelling and place, so that
// neither the app's case nor its order shows as a diff; values prior lacks
// follow in the app's order. A value prior lists twice is given twice.
func flattenMultiValues(ctx context.Context, values []scim.MultiValue, prior types.List, diags *diag.Diagnostics) types.List {
	if len(values) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.ListNull(multiValueObjectType)
	}
	var priorItems []multiValueModel
	if !prior.IsNull() && !prior.IsUnknown() {
		diags.Append(prior.ElementsAs(ctx, &priorItems, false)...)
	}
	matched := make([]*multiValueModel, len(priorItems)) // the app's value for each prior item
	var unmatched []multiValueModel
	for _, v := range values {
		item := multiValueModel{
			Value: types.StringValue(v.Value), Type: optionalStringValue(v.Type),
			Display: types.StringNull(), Primary: types.BoolNull(),
		}
		if v.Primary {
			item.Primary = types.BoolValue(true)
		}
		i := -1
		for j, p := range priorItems {
			if matched[j] == nil && strings.EqualFold(p.Value.ValueString(), v.Value) && strings.EqualFold(p.Type.ValueString(), v.Type) {
				i = j
				break
			}
		}
		if i < 0 {
			unmatched = append(unmatched, item)
			continue
		}
		p := priorItems[i]
		item.Value, item.Type = p.Value, p.Type
		if p.Primary.ValueBool() == v.Primary {
			item.Primary = p.Primary
		}
		// display is managed only when set: apps often derive it.
		if !p.Display.IsNull() {
			item.Display = optionalStringValue(v.Display)
		}
		matched[i] = &item
	}
	items := make([]multiValueModel, 0, len(values))
	for i, m := range matched {
		if m == nil {
			m = sameAsEarlier(priorItems, matched, i)
		}
		if m != nil {
			items = append(items, *m)
		}
	}
	items = append(items, unmatched...)
	list, d := types.ListValueFrom(ctx, multiValueObjectType, items)
	diags.Append(d...)
	return list
}

// sameAsEarlier returns the app's value for an earlier prior item equal to
// priorItems[i] (the configuration listed it twice; it was sent once).
func sameAsEarlier(priorItems []multiValueModel, matched []*multiValueModel, i int) *multiValueModel {
	for j := range i {
		if matched[j] != nil && priorItems[j] == priorItems[i] {
			return matched[j]
		}
	}
	return nil
}

// flattenExtensions reads back only the URNs and keys the configuration
// manages; other extension data is the app's business.
func flattenExtensions(ctx context.Context, server map[string]map[string]any, prior types.Map, diags *diag.Diagnostics) types.Map {
	if prior.IsNull() || prior.IsUnknown() {
		return types.MapNull(jsontypes.NormalizedType{})
	}
	shape := expandExtensions(ctx, prior, diags)
	projected := scim.ProjectExtensions(server, shape)
	values := map[string]attr.Value{}
	for urn, obj := range projected {
		if len(obj) == 0 && len(shape[urn]) > 0 {
			continue // the app dropped every managed key: show it as drift
		}
		b, err := json.Marshal(obj)
		if err != nil {
			diags.AddAttributeError(path.Root("extensions").AtMapKey(urn), "Cannot encode extension", err.Error())
			continue
		}
		values[urn] = jsontypes.NewNormalizedValue(string(b))
	}
	out, d := types.MapValue(jsontypes.NormalizedType{}, values)
	diags.Append(d...)
	return out
}
