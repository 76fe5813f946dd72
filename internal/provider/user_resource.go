package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

var (
	_ resource.Resource                = (*userResource)(nil)
	_ resource.ResourceWithConfigure   = (*userResource)(nil)
	_ resource.ResourceWithImportState = (*userResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userResource)(nil)
)

// importByUserNamePrefix selects import by userName instead of by id.
const importByUserNamePrefix = "user_name:"

// NewUserResource is the scim_user resource.
func NewUserResource() resource.Resource {
	return &userResource{}
}

type userResource struct {
	client *scim.Client
}

func (r *userResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (r *userResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan rejects, at plan time, settings the app cannot honour.
func (r *userResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan userResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var password types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &password)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkUserCapabilities(ctx, r.client, plan, password, &resp.Diagnostics)
}

func (r *userResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var password types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &password)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desired, diags := expandUser(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	desired.Password = password.ValueString()

	user, how, err := r.client.Users.CreateOrTakeOver(ctx, desired, plan.AdoptExisting.ValueBool())
	var existing *scim.ExistingUserError
	switch {
	case errors.As(err, &existing):
		resp.Diagnostics.AddAttributeError(path.Root("user_name"), "SCIM user already exists",
			fmt.Sprintf("An active user with userName %q already exists in the app with id %q. To manage it with Terraform, "+
				"import it:\n\n  terraform import <resource address> %s\n\nor use an import block with id = %q, or set "+
				"adopt_existing = true on this resource to take it over on create.", existing.UserName, existing.ID, existing.ID, existing.ID))
		return
	case err != nil:
		resp.Diagnostics.AddError(clientError("creating", "user", desired.UserName, err))
		return
	}
	switch how {
	case scim.Reactivated:
		resp.Diagnostics.AddWarning("Reactivated an existing SCIM user",
			fmt.Sprintf("The app already had an inactive user with userName %q (id %q). It was reactivated, updated to this "+
				"configuration and is now managed by Terraform.", user.UserName, user.ID))
	case scim.Adopted:
		resp.Diagnostics.AddWarning("Adopted an existing SCIM user",
			fmt.Sprintf("The app already had an active user with userName %q (id %q); adopt_existing = true, so it was "+
				"updated to this configuration and is now managed by Terraform.", user.UserName, user.ID))
	}
	tflog.Debug(ctx, "created SCIM user", map[string]any{"scim_id": user.ID})
	r.saveState(ctx, user, plan, &resp.State, &resp.Diagnostics)
}

// saveState flattens user against prior and stores it. It refuses an answer
// whose userName is not the one sent: state would otherwise describe an
// account the configuration does not.
func (r *userResource) saveState(ctx context.Context, user *scim.User, prior userResourceModel, state stateSetter, diags *diagsT) {
	if !prior.UserName.IsNull() && !strings.EqualFold(user.UserName, prior.UserName.ValueString()) {
		// Keep the id so that the object is not orphaned; the next plan shows the difference.
		diags.AddAttributeWarning(path.Root("user_name"), "The app changed the userName",
			fmt.Sprintf("The app stored userName %q for user %q, not %q as configured. The app may normalise or restrict "+
				"user names; the next plan will show the difference.", user.UserName, user.ID, prior.UserName.ValueString()))
	}
	model, d := flattenUser(ctx, user, prior)
	diags.Append(d...)
	if !prior.UserName.IsNull() && !strings.EqualFold(user.UserName, prior.UserName.ValueString()) {
		model.UserName = prior.UserName
	}
	diags.Append(state.Set(ctx, &model)...)
}

func (r *userResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user, err := r.client.Users.Get(ctx, state.ID.ValueString())
	if errors.Is(err, scim.ErrNotFound) {
		tflog.Warn(ctx, "SCIM user is gone from the app; removing it from state", map[string]any{"scim_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("reading", "user", state.ID.ValueString(), err))
		return
	}
	model, diags := flattenUser(ctx, user, state)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

func (r *userResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state userResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	var password types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("password_wo"), &password)...)
	if resp.Diagnostics.HasError() {
		return
	}
	desired, diags := expandUser(ctx, plan)
	resp.Diagnostics.Append(diags...)
	current, diags := expandUser(ctx, state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Computed values the configuration leaves unset stay as they are.
	if plan.DisplayName.IsUnknown() {
		desired.DisplayName = current.DisplayName
	}
	if desired.Name.Formatted == "" {
		desired.Name.Formatted = current.Name.Formatted
	}
	if !plan.PasswordWOVersion.Equal(state.PasswordWOVersion) {
		desired.Password = password.ValueString()
	}
	ops := scim.UserPatch(current, desired)
	if len(ops) == 0 {
		// Only Terraform-side settings (destroy_mode, adopt_existing) changed.
		model, d := flattenUser(ctx, current, plan)
		resp.Diagnostics.Append(d...)
		model.DisplayName, model.Name = state.DisplayName, state.Name
		resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
		return
	}
	user, err := r.client.Users.Patch(ctx, state.ID.ValueString(), ops)
	if errors.Is(err, scim.ErrNotFound) {
		resp.Diagnostics.AddError("SCIM user no longer exists",
			fmt.Sprintf("User %q was deleted in the app while this plan was made. Run terraform apply again to re-create it.", state.ID.ValueString()))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("updating", "user", state.ID.ValueString(), err))
		return
	}
	r.saveState(ctx, user, plan, &resp.State, &resp.Diagnostics)
}

func (r *userResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var err error
	switch state.DestroyMode.ValueString() {
	case destroyAbandon:
		tflog.Info(ctx, "destroy_mode = abandon: leaving the SCIM user in the app", map[string]any{"scim_id": id})
		return
	case destroyDelete:
		err = r.client.Users.Delete(ctx, id)
		if errors.Is(err, scim.ErrUnsupported) {
			resp.Diagnostics.AddError(clientError("deleting", "user", id, fmt.Errorf("%w; set destroy_mode = \"deactivate\" "+
				"to deactivate the user instead", err)))
			return
		}
	default:
		err = r.client.Users.Deactivate(ctx, id)
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("deleting", "user", id, err))
	}
}

// ImportState accepts a SCIM id, or user_name:<userName> to look the user up.
func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if name, ok := strings.CutPrefix(req.ID, importByUserNamePrefix); ok {
		user, err := r.client.Users.FindByUserName(ctx, name)
		if err != nil {
			resp.Diagnostics.AddError(clientError("importing", "user", name, err))
			return
		}
		if user == nil {
			resp.Diagnostics.AddError("SCIM user not found",
				fmt.Sprintf("No user with userName %q exists in the app (compared case-insensitively). Check the name, or import by SCIM id.", name))
			return
		}
		id = user.ID
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_name"), name)...)
	}
	if strings.TrimSpace(id) == "" {
		resp.Diagnostics.AddError("Invalid import ID", "Give the SCIM id of the user, or user_name:<userName>.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
