package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+): what names an object in the app, so
// that `import { identity = {...} }` and `terraform query` can find it. A
// SCIM object is named by its id alone; the endpoint is the provider's.

var (
	_ resource.ResourceWithIdentity = (*userResource)(nil)
	_ resource.ResourceWithIdentity = (*groupResource)(nil)
	_ resource.ResourceWithIdentity = (*groupMemberResource)(nil)
)

// scimIDIdentity is the identity of scim_user and scim_group.
type scimIDIdentity struct {
	ID types.String `tfsdk:"id"`
}

// membershipIdentity is the identity of scim_group_member.
type membershipIdentity struct {
	GroupID  types.String `tfsdk:"group_id"`
	MemberID types.String `tfsdk:"member_id"`
}

func scimIDIdentitySchema(kind string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The SCIM id of the " + kind + " in the app.",
			},
		},
	}
}

func (r *userResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = scimIDIdentitySchema("user")
}

func (r *groupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = scimIDIdentitySchema("group")
}

func (r *groupMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"group_id":  identityschema.StringAttribute{RequiredForImport: true, Description: "The SCIM id of the group."},
			"member_id": identityschema.StringAttribute{RequiredForImport: true, Description: "The SCIM id of the member."},
		},
	}
}

// setIDIdentity records the identity of a user or group. identity is nil
// when Terraform predates resource identity.
func setIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string, diags *diag.Diagnostics) {
	if identity == nil || id == "" {
		return
	}
	diags.Append(identity.Set(ctx, scimIDIdentity{ID: types.StringValue(id)})...)
}

func setMembershipIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, groupID, memberID string, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.Set(ctx, membershipIdentity{GroupID: types.StringValue(groupID), MemberID: types.StringValue(memberID)})...)
}

// importedID is the import ID Terraform was given, or, for an import block
// with identity, the identity's id.
func importedID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return req.ID
	}
	var id types.String
	diags.Append(req.Identity.GetAttribute(ctx, path.Root("id"), &id)...)
	return id.ValueString()
}
