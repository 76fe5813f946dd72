package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

var (
	_ resource.Resource                = (*groupMemberResource)(nil)
	_ resource.ResourceWithConfigure   = (*groupMemberResource)(nil)
	_ resource.ResourceWithImportState = (*groupMemberResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*groupMemberResource)(nil)
)

// NewGroupMemberResource is the scim_group_member resource.
func NewGroupMemberResource() resource.Resource {
	return &groupMemberResource{groupKindBase{kind: "scim_group_member"}}
}

type groupMemberResource struct {
	groupKindBase
}

type groupMemberModel struct {
	ID       types.String   `tfsdk:"id"`
	GroupID  types.String   `tfsdk:"group_id"`
	MemberID types.String   `tfsdk:"member_id"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *groupMemberResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		Blocks: timeoutsBlock(ctx),
		MarkdownDescription: "One membership of a user (or group) in a SCIM group. Non-authoritative: other members of the " +
			"group are left alone. Use it with a `scim_group` whose `members` is not set; combined with an authoritative " +
			"`members` list on the same group, the two would undo each other on every apply.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<group_id>/<member_id>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"group_id": schema.StringAttribute{
				MarkdownDescription: "SCIM id of the group. Changing it moves the membership (replace).",
				Required:            true, PlanModifiers: replace, Validators: []validator.String{validators.NotBlank()},
			},
			"member_id": schema.StringAttribute{
				MarkdownDescription: "SCIM id of the member (a user or a group). Changing it replaces the membership.",
				Required:            true, PlanModifiers: replace, Validators: []validator.String{validators.NotBlank()},
			},
		},
	}
}

func (r *groupMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan groupMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	group, member := plan.GroupID.ValueString(), plan.MemberID.ValueString()
	if err := r.client.Groups.Update(ctx, group, nil, []string{member}, nil); err != nil {
		resp.Diagnostics.AddError(clientError("adding a member to", "group", group, err))
		return
	}
	plan.ID = types.StringValue(group + "/" + member)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setMembershipIdentity(ctx, resp.Identity, group, member, &resp.Diagnostics)
	recordWrite(ctx, resp.Private, nil, r.client.HasConsistencyWindow(), &resp.Diagnostics)
}

func (r *groupMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state groupMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that every outcome (even removal from state) has the
	// identity the framework requires: Terraform before 1.12 stores none.
	setMembershipIdentity(ctx, resp.Identity, state.GroupID.ValueString(), state.MemberID.ValueString(), &resp.Diagnostics)
	var group *scim.Group
	// The member is this tenant's: if it answers while the group does not,
	// the group was deleted in the app, whatever else the run reads.
	done := r.client.ManagedRead("Groups", state.GroupID.ValueString(), state.MemberID.ValueString())
	err := done(ctx, r.client.ReadAfterWrite(ctx, lastWrite(ctx, req.Private), func() (bool, error) {
		var err error
		// One read of the group serves every membership of it in the run.
		group, err = r.client.Groups.RefreshWithMembers(ctx, state.GroupID.ValueString(), []string{state.MemberID.ValueString()},
			lastWrite(ctx, req.Private))
		return err == nil && isMember(group, state.MemberID.ValueString()), err
	}))
	if errors.Is(err, scim.ErrNotFound) {
		tflog.Warn(ctx, "SCIM group is gone; removing the membership from state", map[string]any{"scim_id": state.GroupID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("reading", "group", state.GroupID.ValueString(), err))
		return
	}
	if !isMember(group, state.MemberID.ValueString()) {
		tflog.Warn(ctx, "membership removed in the app; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(state.GroupID.ValueString() + "/" + state.MemberID.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only ever changes timeouts: group_id and member_id force a
// replacement and id is computed once. Nothing is sent to the app.
func (r *groupMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan groupMemberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setMembershipIdentity(ctx, resp.Identity, plan.GroupID.ValueString(), plan.MemberID.ValueString(), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *groupMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state groupMemberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.Groups.RemoveMember(ctx, state.GroupID.ValueString(), state.MemberID.ValueString()); err != nil {
		resp.Diagnostics.AddError(clientError("removing a member from", "group", state.GroupID.ValueString(), err))
	}
}

// ImportState accepts <group id>/<member id>, or an identity with group_id
// and member_id. SCIM ids rarely contain "/"; the last "/" separates them,
// so a group id with "/" still works.
func (r *groupMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var group, member string
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var identity membershipIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		group, member = identity.GroupID.ValueString(), identity.MemberID.ValueString()
	} else if i := strings.LastIndex(req.ID, "/"); i > 0 && i < len(req.ID)-1 {
		group, member = req.ID[:i], req.ID[i+1:]
	}
	if group == "" || member == "" {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Expected <group id>/<member id>, or an identity with group_id and member_id; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("group_id"), group)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("member_id"), member)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), group+"/"+member)...)
	setMembershipIdentity(ctx, resp.Identity, group, member, &resp.Diagnostics)
}

// isMember reports whether a read of group shows member; on apps whose
// reads never show members (reported unknown), the membership is trusted
// from the state.
func isMember(group *scim.Group, member string) bool {
	return !group.MembersKnown || slices.Contains(group.MemberIDs(), member)
}
