package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/scim-terraform/terraform-provider-scim/internal/planmodifiers"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

var (
	_ resource.Resource                = (*groupResource)(nil)
	_ resource.ResourceWithConfigure   = (*groupResource)(nil)
	_ resource.ResourceWithImportState = (*groupResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*groupResource)(nil)
)

const importByDisplayNamePrefix = "display_name:"

// NewGroupResource is the scim_group resource.
func NewGroupResource() resource.Resource { return newGroupResource() }

func newGroupResource() *groupResource { return &groupResource{groupKindBase{kind: "scim_group"}} }

type groupResource struct {
	groupKindBase
}

type groupResourceModel struct {
	ID          types.String    `tfsdk:"id"`
	DisplayName types.String    `tfsdk:"display_name"`
	ExternalID  types.String    `tfsdk:"external_id"`
	Members     memberListValue `tfsdk:"members"`
	DestroyMode types.String    `tfsdk:"destroy_mode"`
	Timeouts    timeouts.Value  `tfsdk:"timeouts"`
}

func (r *groupResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Blocks: timeoutsBlock(ctx),
		MarkdownDescription: "A SCIM Group ([RFC 7643 section 4.2](https://www.rfc-editor.org/rfc/rfc7643#section-4.2)) and, " +
			"optionally, its members. Destroy deletes the group by default (`destroy_mode`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "SCIM `id` assigned by the app.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Name of the group (SCIM `displayName`). Changing it renames the group in place.",
				Required:            true,
				Validators:          []validator.String{validators.NotBlank()},
			},
			"external_id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the group in the provisioning system (SCIM `externalId`)." + unmanagedNote,
				Optional:            true, Computed: true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"members": schema.ListAttribute{
				MarkdownDescription: "SCIM ids of the members (users or groups). When set, the list is **authoritative**: " +
					"members added in the app are removed on the next apply. When not set, membership is not managed here, " +
					"and `scim_group_member` resources may manage single memberships instead. Do not combine both on one group. " +
					"Order and repeated ids do not matter: the list is compared as a set (it is a list because Terraform " +
					"checks large sets pairwise, which makes groups of thousands of members slow to plan). An import sets it to " +
					"the app's current members, so an imported group's membership is authoritative from then on: leave " +
					"`members` out of its configuration to keep managing memberships with `scim_group_member`.",
				Optional:      true,
				CustomType:    newMemberListType(),
				ElementType:   types.StringType,
				Validators:    []validator.List{validators.MemberIDs()},
				PlanModifiers: []planmodifier.List{planmodifiers.IgnoreOrder()},
			},
			"destroy_mode": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does in the app: `delete` (default) removes the group " +
					"(SCIM `DELETE`); `abandon` only removes it from the Terraform state.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(destroyDelete),
				Validators: []validator.String{stringvalidator.OneOf(destroyDelete, destroyAbandon)},
			},
		},
	}
}

func (r *groupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan groupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	// Members go out in the configuration's order, so an app that keeps
	// insertion order lists them as written (imports then read them so).
	members := uniqueIDs(plan.Members.IDs())
	if resp.Diagnostics.HasError() {
		return
	}
	group := &scim.Group{DisplayName: plan.DisplayName.ValueString(), ExternalID: plan.ExternalID.ValueString(), Members: scim.MembersOf(members)}
	created, err := r.client.Groups.Create(ctx, group)
	var maybe *scim.MaybeCreatedError
	if errors.As(err, &maybe) {
		resp.Diagnostics.AddError("SCIM group may have been created",
			fmt.Sprintf("Creating group %q failed in a way that may have left it made in the app: %v.\n\nLook for a group "+
				"named %q in the app that nobody made by hand. If it is there, import it instead of applying again (an "+
				"apply would make a second one):\n\n  terraform import <resource address> <its SCIM id>\n\nIf it is not "+
				"there, run terraform apply again.", group.DisplayName, err, group.DisplayName))
		return
	}
	if created == nil {
		resp.Diagnostics.AddError(clientError("creating", "group", group.DisplayName, err))
		return
	}
	// Save the group before anything else can fail (adding more members
	// below, or members the app did not keep), so that it is left in state
	// (tainted) with the members it has, never orphaned in the app.
	if plan.ExternalID.IsUnknown() { // unset: the app's value, if it gives one
		plan.ExternalID = optionalStringValue(created.ExternalID)
	}
	state := plan
	state.ID = types.StringValue(created.ID)
	pending := missing(members, created.MemberIDs())
	if !plan.Members.IsNull() && len(pending) > 0 {
		state.Members = memberList(created.MemberIDs(), &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setIDIdentity(ctx, resp.Identity, created.ID, &resp.Diagnostics)
	recordWrite(ctx, resp.Private, managedGroupAttrs(ctx, req.Config, &resp.Diagnostics), r.client.HasConsistencyWindow(), &resp.Diagnostics)
	var notKept *scim.NotKeptError
	if errors.As(err, &notKept) && len(notKept.NotAdded) == 0 && len(notKept.NotRemoved) == 0 && notKept.Shown != nil {
		// Only the name or external id differ: the group is whole, so it
		// is kept as the app shows it (an in-place update next, not a
		// replacement that would delete and make it again).
		state.DisplayName = keepCaseOf(state.DisplayName, notKept.Shown.DisplayName)
		state.ExternalID = optionalStringValue(notKept.Shown.ExternalID)
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		resp.Diagnostics.AddWarning("SCIM group created, but the app changed what was sent",
			fmt.Sprintf("Group %q was created with id %q, but the app did not keep %s as sent; the state holds what it shows, "+
				"so the next plan shows the difference.", group.DisplayName, created.ID, strings.Join(notKept.Attributes, " and ")))
		err = nil
	}
	if err != nil {
		resp.Diagnostics.AddError("SCIM group created, but the app did not keep what was sent",
			fmt.Sprintf("Group %q was created in the app with id %q and is saved in the state (marked tainted), but the app "+
				"did not keep all that was sent (members, display name or external id). The next terraform apply tries again.\n\n%v\n\n%s",
				group.DisplayName, created.ID, err, nextStep(err)))
		return
	}
	if len(pending) == 0 || resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.Groups.Update(ctx, created.ID, nil, pending, nil); err != nil {
		resp.Diagnostics.AddError(clientError("adding members to", "group", created.ID, err))
		return
	}
	plan.ID = state.ID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	recordWrite(ctx, resp.Private, nil, r.client.HasConsistencyWindow(), &resp.Diagnostics)
}

func (r *groupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state groupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that every outcome (even removal from state) has the
	// identity the framework requires: Terraform before 1.12 stores none.
	setIDIdentity(ctx, resp.Identity, state.ID.ValueString(), &resp.Diagnostics)
	// Right after this provider's write, an app that applies group changes
	// asynchronously may still show the group as it was: read again, within
	// the dialect's window, until it shows what was written.
	var group *scim.Group
	writtenAt := lastWrite(ctx, req.Private)
	// Its members are this tenant's: if one answers while the group does
	// not, the group was deleted in the app.
	done := r.client.ManagedRead("Groups", state.ID.ValueString(), groupWitnesses(ctx, state, req.Private)...)
	err := r.client.ReadAfterWrite(ctx, writtenAt, func() (bool, error) {
		var err error
		// Unmanaged members are not read: an empty list of expected members
		// (not nil, which means "everyone") costs no member lookups.
		expected := state.Members.IDs()
		switch {
		case state.DisplayName.IsNull():
			// The read right after an import (display_name is required, so
			// only an import leaves it unset): the imported state describes
			// the whole group, so every user is a candidate where members
			// are read one by one (members_read = "filter").
			expected = nil
		case expected == nil:
			expected = []string{}
		}
		group, err = r.client.Groups.RefreshWithMembers(ctx, state.ID.ValueString(), expected, writtenAt)
		if err != nil || !r.client.Settling(writtenAt) {
			return true, err // outside the window every answer stands: no need to compare
		}
		// Settled when the app shows what was written, or anything but the
		// group as it was before the write: that is a change by someone else
		// (drift), which lag cannot explain.
		shown := groupFingerprint(group.DisplayName, shownMembers(state, group), !state.Members.IsNull())
		written := groupFingerprint(state.DisplayName.ValueString(), state.Members.IDs(), !state.Members.IsNull())
		before := priorFingerprint(ctx, req.Private)
		return shown == written || (before != "" && shown != before), nil
	})
	err = done(ctx, err)
	if errors.Is(err, scim.ErrNotFound) {
		tflog.Warn(ctx, "SCIM group is gone from the app; removing it from state", map[string]any{"scim_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError(clientError("reading", "group", state.ID.ValueString(), err))
		return
	}
	recordTenantWitness(ctx, req.Private, resp.Private, group.MemberIDs(), &resp.Diagnostics)
	refreshGroup(&state, group, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *groupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state groupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var attrs []scim.Operation
	if !plan.DisplayName.Equal(state.DisplayName) {
		attrs = append(attrs, scim.Operation{Op: "replace", Path: "displayName", Value: plan.DisplayName.ValueString()})
	}
	if !plan.ExternalID.Equal(state.ExternalID) {
		if plan.ExternalID.IsNull() {
			attrs = append(attrs, scim.Operation{Op: "remove", Path: "externalId"})
		} else {
			attrs = append(attrs, scim.Operation{Op: "replace", Path: "externalId", Value: plan.ExternalID.ValueString()})
		}
	}
	var add, remove, current []string
	if !plan.Members.IsNull() {
		current = memberIDs(state.Members)
		if state.Members.IsNull() {
			// Taking over membership that was unmanaged: diff against the app.
			// Every member the app holds, not only the planned ones: those
			// left unread would keep the group's access unseen.
			group, err := r.client.Groups.GetWithMembers(ctx, id, nil)
			if err != nil {
				resp.Diagnostics.AddError(clientError("reading", "group", id, err))
				return
			}
			current = group.MemberIDs()
		}
		desired := memberIDs(plan.Members)
		add, remove = missing(desired, current), missing(current, desired)
	}
	if len(attrs) > 0 || len(add) > 0 || len(remove) > 0 {
		tflog.Debug(ctx, "updating SCIM group", map[string]any{"scim_id": id, "members_added": len(add), "members_removed": len(remove)})
		if err := r.client.Groups.Update(ctx, id, attrs, add, remove); err != nil {
			resp.Diagnostics.AddError(clientError("updating", "group", id, err))
			keepPossibleMembers(ctx, state, current, add, err, resp)
			return
		}
		recordWrite(ctx, resp.Private, nil, r.client.HasConsistencyWindow(), &resp.Diagnostics)
		recordPriorFingerprint(ctx, resp.Private,
			groupFingerprint(state.DisplayName.ValueString(), state.Members.IDs(), !plan.Members.IsNull()), &resp.Diagnostics)
	}
	plan.ID = state.ID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setIDIdentity(ctx, resp.Identity, state.ID.ValueString(), &resp.Diagnostics)
	recordManaged(ctx, resp.Private, managedGroupAttrs(ctx, req.Config, &resp.Diagnostics), &resp.Diagnostics)
}

func (r *groupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state groupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() || state.DestroyMode.ValueString() == destroyAbandon {
		return
	}
	if err := r.client.Groups.Delete(ctx, state.ID.ValueString()); err != nil {
		resp.Diagnostics.AddError(clientError("deleting", "group", state.ID.ValueString(), err))
	}
}

// ImportState accepts a SCIM id, or display_name:<name>, or an identity
// with the SCIM id. Imported groups manage their members, so that the
// imported state describes the whole group.
func (r *groupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, &resp.Diagnostics)
	if name, ok := strings.CutPrefix(id, importByDisplayNamePrefix); ok {
		var found bool
		if id, found = groupIDByDisplayName(ctx, r.client, name, "importing", "import it by SCIM id", &resp.Diagnostics); !found {
			return
		}
	}
	if strings.TrimSpace(id) == "" {
		resp.Diagnostics.AddError("Invalid import ID", "Give the SCIM id of the group, or display_name:<name>.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("members"), []string{})...)
	setIDIdentity(ctx, resp.Identity, id, &resp.Diagnostics)
}
