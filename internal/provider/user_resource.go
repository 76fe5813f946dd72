package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// ModifyPlan rejects, at plan time, settings the app cannot honour, and
// plans what the app will hold: an attribute removed from the
// configuration is removed from the app (planned null), and the values an
// app derives from the name are kept unless the name changes.
func (r *userResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	checkUserCapabilities(ctx, r.client, userCapabilityInputsFrom(req.Plan.Raw, req.Config.Raw, req.State.Raw.IsNull()), &resp.Diagnostics)
	if resp.Diagnostics.HasError() || req.State.Raw.IsNull() {
		return // create: what the configuration leaves unset is the app's
	}
	planned, err := plannedUser(req.Plan.Raw, req.State.Raw, req.Config.Raw, previouslyManaged(ctx, req.Private))
	if err != nil {
		resp.Diagnostics.AddError("Cannot plan scim_user", err.Error())
		return
	}
	resp.Plan.Raw = planned
}

func (r *userResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
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
	var hidden *scim.HiddenConflictError
	var mismatch *scim.MismatchError
	var incomplete *scim.IncompleteCreateError
	switch {
	case errors.As(err, &incomplete):
		// The user exists: keep it in state (Terraform marks it tainted), so
		// that it is neither orphaned nor met as "already exists" next time.
		user = incomplete.User
		summary, happened := "SCIM user created, but not finished", "was created in the app"
		if incomplete.How != scim.Created {
			summary, happened = "SCIM user taken over, but not finished", "existed in the app and was being reactivated or adopted"
		}
		resp.Diagnostics.AddError(summary,
			fmt.Sprintf("User %q %s with id %q and is saved in the state, but the write that follows "+
				"failed, so some attributes may not hold the configured values yet. The next terraform apply "+
				"finishes the job: Terraform marks the resource tainted and replaces it (with the default destroy_mode, the "+
				"user is deactivated and the same account reactivated with this configuration); run terraform untaint on "+
				"this resource first to update it in place instead.\n\nThe app answered: %v",
				user.UserName, happened, user.ID, incomplete.Err))
	case errors.As(err, &existing):
		resp.Diagnostics.AddAttributeError(path.Root("user_name"), "SCIM user already exists",
			fmt.Sprintf("An active user with userName %q already exists in the app with id %q. To manage it with Terraform, "+
				"import it:\n\n  terraform import <resource address> %s\n\nor use an import block with id = %q, or set "+
				"adopt_existing = true on this resource to take it over on create.", existing.UserName, existing.ID, existing.ID, existing.ID))
		return
	case errors.As(err, &hidden):
		resp.Diagnostics.AddAttributeError(path.Root("user_name"), "The app still holds an account with this user name or email",
			fmt.Sprintf("The app refused to create user %q as a duplicate, yet its SCIM API shows no such user: the app still "+
				"holds an account with this userName or email (%s) that SCIM no longer shows, typically one whose SCIM "+
				"identity a DELETE unlinked (destroy_mode = \"delete\" on some apps) or that was deleted by hand. Restore or "+
				"remove that account in the app's admin console, or change user_name and emails.\n\nThe app answered: %v",
				hidden.UserName, strings.Join(append([]string{hidden.UserName}, hidden.Emails...), ", "), hidden.Err))
		return
	case errors.As(err, &mismatch):
		user = mismatch.User
		addMismatchErrors(mismatch, &resp.Diagnostics)
	case err != nil:
		resp.Diagnostics.AddError(clientError("creating", "user", desired.UserName, err))
		return
	}
	switch how {
	case scim.Reactivated:
		resp.Diagnostics.AddWarning("Reactivated an existing SCIM user",
			fmt.Sprintf("The app already had an inactive user with userName %q (id %q). It was reactivated, updated to this "+
				"configuration and is now managed by Terraform. Attributes the configuration does not set keep the app's values.",
				user.UserName, user.ID))
	case scim.Adopted:
		resp.Diagnostics.AddWarning("Adopted an existing SCIM user",
			fmt.Sprintf("The app already had an active user with userName %q (id %q); adopt_existing = true, so it was "+
				"updated to this configuration and is now managed by Terraform. Attributes the configuration does not set "+
				"keep the app's values.", user.UserName, user.ID))
	}
	tflog.Debug(ctx, "created SCIM user", map[string]any{"scim_id": user.ID})
	managed := configuredUserAttrs(req.Config.Raw)
	r.saveState(ctx, user, plan, req.Plan.Raw, managed, &resp.State, &resp.Diagnostics)
	setIDIdentity(ctx, resp.Identity, user.ID, &resp.Diagnostics)
	recordWrite(ctx, resp.Private, managed, r.client.HasConsistencyWindow(), &resp.Diagnostics)
}

func (r *userResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that every outcome (even removal from state) has the
	// identity the framework requires: Terraform before 1.12 stores none.
	setIDIdentity(ctx, resp.Identity, state.ID.ValueString(), &resp.Diagnostics)
	var user *scim.User
	writtenAt := lastWrite(ctx, req.Private)
	done := r.client.ManagedRead("Users", state.ID.ValueString())
	err := done(ctx, r.client.ReadAfterWrite(ctx, writtenAt, func() (bool, error) {
		var err error
		user, err = r.client.Users.Refresh(ctx, state.ID.ValueString(), writtenAt)
		return true, err
	}))
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
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
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
	if !plan.PasswordWOVersion.Equal(state.PasswordWOVersion) {
		desired.Password = password.ValueString()
	}
	configured := configuredUserAttrs(req.Config.Raw)
	writes := scimAttrs(union(configured, previouslyManaged(ctx, req.Private)))
	user, err := r.client.Users.Update(ctx, state.ID.ValueString(), current, desired, writes)
	var mismatch *scim.MismatchError
	switch {
	case errors.Is(err, scim.ErrNotFound):
		resp.Diagnostics.AddError("SCIM user no longer exists",
			fmt.Sprintf("User %q was deleted in the app while this plan was made. Run terraform apply again to re-create it.", state.ID.ValueString()))
		return
	case errors.As(err, &mismatch):
		user = mismatch.User
		addMismatchErrors(mismatch, &resp.Diagnostics)
	case err != nil:
		resp.Diagnostics.AddError(clientError("updating", "user", state.ID.ValueString(), err))
		return
	}
	r.saveState(ctx, user, plan, req.Plan.Raw, configured, &resp.State, &resp.Diagnostics)
	setIDIdentity(ctx, resp.Identity, state.ID.ValueString(), &resp.Diagnostics)
	recordWrite(ctx, resp.Private, configured, r.client.HasConsistencyWindow(), &resp.Diagnostics)
}

func (r *userResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	switch state.DestroyMode.ValueString() {
	case destroyAbandon:
		tflog.Info(ctx, "destroy_mode = abandon: leaving the SCIM user in the app", map[string]any{"scim_id": id})
	case destroyDelete:
		err := r.client.Users.Delete(ctx, id)
		if errors.Is(err, scim.ErrUnsupported) {
			err = fmt.Errorf("%w; set destroy_mode = \"deactivate\" to deactivate the user instead", err)
		}
		if err != nil {
			resp.Diagnostics.AddError(clientError("deleting", "user", id, err))
		}
	default:
		gone, err := r.client.Users.Deactivate(ctx, id)
		if err != nil {
			resp.Diagnostics.AddError(clientError("deactivating", "user", id, err))
		}
		if gone {
			resp.Diagnostics.AddWarning("SCIM user was gone instead of deactivated",
				fmt.Sprintf("The app no longer has user %q: it was deleted outside Terraform, or the app removes users when they are "+
					"deactivated. Either way it can no longer sign in, so it is removed from the state. If this app removes users "+
					"on deactivation, set dialect = { deactivate_may_delete = true } in the provider to say so.", id))
		}
	}
}

// ImportState accepts a SCIM id, or user_name:<userName> to look the user
// up, or an identity with the SCIM id.
func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, &resp.Diagnostics)
	if name, ok := strings.CutPrefix(id, importByUserNamePrefix); ok {
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
	setIDIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}

// addMismatchErrors reports each attribute the app would not store as sent.
func addMismatchErrors(err *scim.MismatchError, diags *diag.Diagnostics) {
	for _, m := range err.Mismatches {
		diags.AddAttributeError(userAttributeOf(m.Path), "The app stored another value than configured",
			fmt.Sprintf("SCIM attribute %s was sent as %s, twice, but the app stored %s: it derives or normalises this value. "+
				"Write the value in the app's form in the configuration, or leave the attribute unset to accept the app's value. "+
				"The state now holds the app's value, so the next plan shows the difference.",
				m.Path, scim.DescribeValue(m.Sent), scim.DescribeValue(m.Stored)))
	}
}

// userAttributeOf names the scim_user attribute that writes a SCIM path.
func userAttributeOf(scimPath string) path.Path {
	for name, paths := range userAttrPaths {
		for _, p := range paths {
			if strings.EqualFold(p, scimPath) {
				root, rest, nested := strings.Cut(name, ".")
				if nested {
					return path.Root(root).AtName(rest)
				}
				return path.Root(name)
			}
		}
	}
	return path.Root("extensions")
}

// saveState stores what the app holds. Attributes the configuration does
// not manage keep their planned value where the plan knew it (the prior
// state), so that an app deriving a value does not contradict the plan;
// the next refresh reads it.
func (r *userResource) saveState(ctx context.Context, user *scim.User, plan userResourceModel, planRaw tftypes.Value,
	managed []string, state *tfsdk.State, diags *diag.Diagnostics) {
	model, d := flattenUser(ctx, user, plan)
	diags.Append(d...)
	diags.Append(state.Set(ctx, &model)...)
	if diags.HasError() {
		return
	}
	var unmanaged []string
	for name := range userAttrPaths {
		if !slices.Contains(managed, name) {
			unmanaged = append(unmanaged, name)
		}
	}
	raw, err := withRawValues(state.Raw, unmanaged, func(name string, _ tftypes.Value) (tftypes.Value, bool) {
		planned, ok := rawValue(planRaw, name)
		return planned, ok && planned.IsFullyKnown()
	})
	if err != nil {
		diags.AddError("Cannot store scim_user", err.Error())
		return
	}
	state.Raw = raw
}
