package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A scim_group's external_id follows scim_user's rule (user_managed.go):
// set in the configuration, it is written; unset, the app's value is kept
// (as after an import, or when the identity provider that made the group
// set one), unless the configuration set it at the last apply, in which
// case removing it removes it from the app.

// managedGroupAttrs returns the app-held attributes the configuration
// sets, for private state: external_id or nothing.
func managedGroupAttrs(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) []string {
	var externalID types.String
	diags.Append(config.GetAttribute(ctx, path.Root("external_id"), &externalID)...)
	if externalID.IsNull() {
		return []string{}
	}
	return []string{"external_id"}
}

// ModifyPlan plans external_id on update: the prior value when the
// configuration leaves it unset and did not manage it, null (a removal)
// when the configuration set it at the last apply.
func (r *groupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.groupKindBase.ModifyPlan(ctx, req, resp)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return // destroy, or create: unset, the app's value is read back
	}
	var configured, prior types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("external_id"), &configured)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("external_id"), &prior)...)
	if resp.Diagnostics.HasError() || !configured.IsNull() {
		return
	}
	planned := prior
	if slices.Contains(previouslyManaged(ctx, req.Private), "external_id") {
		planned = types.StringNull()
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("external_id"), planned)...)
}
