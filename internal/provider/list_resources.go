package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

// List resources (Terraform 1.14+): `terraform query` lists the users and
// groups of a tenant, and -generate-config-out writes configuration and
// import blocks for them. Each result carries the identity and, with
// include_resource, the object exactly as importing it would store it, so
// that the generated configuration imports with no change.

var (
	_ list.ListResourceWithConfigure = (*userListResource)(nil)
	_ list.ListResourceWithConfigure = (*groupListResource)(nil)
)

// NewUserListResource is the scim_user list resource.
func NewUserListResource() list.ListResource { return &userListResource{} }

// NewGroupListResource is the scim_group list resource.
func NewGroupListResource() list.ListResource {
	return &groupListResource{*newGroupResource()}
}

// The list resources embed the resources for Metadata and Configure: the
// list resource's name must be the managed resource's.
type userListResource struct{ userResource }

type groupListResource struct{ groupResource }

type userListModel struct {
	Filter         types.String `tfsdk:"filter"`
	UserNamePrefix types.String `tfsdk:"user_name_prefix"`
	Active         types.Bool   `tfsdk:"active"`
}

type groupListModel struct {
	Filter            types.String `tfsdk:"filter"`
	DisplayNamePrefix types.String `tfsdk:"display_name_prefix"`
}

// filterCheckedNote says what the provider checks of a filter the app
// was sent (scimfilter.MayMatch), for every argument that takes one.
const filterCheckedNote = "Every result the app returns is checked against the filter too (strings compared without case), " +
	"so an app that ignores filters still yields only what the filter describes. What a listing does not show cannot be " +
	"checked and is kept: a user's `groups` or a group's `members` when the app leaves them out or lists them empty, an " +
	"absent `active` or `meta`, an extension the listing does not carry, and filters in the `emails[type eq \"work\"].value` " +
	"form (a sub-attribute after brackets, which RFC 7644 lacks)."

func listFilterAttribute(example string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: "SCIM filter ([RFC 7644 section 3.4.2.2](https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2)) " +
			"sent to the app as written, such as `" + example + "`; its syntax is checked before any request. " +
			"Combined with the other arguments by `and`. " + filterCheckedNote,
		Optional:   true,
		Validators: []validator.String{validators.SCIMFilter()},
	}
}

func prefixAttribute(attr string) listschema.StringAttribute {
	return listschema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("Only objects whose `%s` starts with this, compared case-insensitively. Sent as "+
			"`%s sw \"...\"` where the app supports it; otherwise every page is read and narrowed by the provider.", attr, attr),
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func (r *userListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the app's SCIM users for `terraform query` (Terraform 1.14+), page by page. With " +
			"`-generate-config-out`, writes a `scim_user` block and an import block for each. Every result is checked " +
			"against these arguments, so an app that ignores filters still lists only the users asked for (see `filter` for " +
			"what a listing cannot show).",
		Attributes: map[string]listschema.Attribute{
			"filter":           listFilterAttribute(`title eq "Engineer"`),
			"user_name_prefix": prefixAttribute("userName"),
			"active": listschema.BoolAttribute{
				MarkdownDescription: "Only active (`true`) or only deactivated (`false`) users. Sent as `active eq ...` " +
					"where the app supports it.",
				Optional: true,
			},
		},
	}
}

func (r *groupListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the app's SCIM groups for `terraform query` (Terraform 1.14+), page by page. With " +
			"`-generate-config-out`, writes a `scim_group` block (with its members, when results include the resource) " +
			"and an import block for each. Every result is checked against these arguments, as for users.",
		Attributes: map[string]listschema.Attribute{
			"filter":              listFilterAttribute(`displayName sw "eng-"`),
			"display_name_prefix": prefixAttribute("displayName"),
		},
	}
}

func (r *userListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listConfig[userListModel](ctx, req, r.client, stream)
	if !ok {
		return
	}
	q := scim.Query{Filter: cfg.Filter.ValueString(), NamePrefix: cfg.UserNamePrefix.ValueString(), Limit: int(req.Limit)}
	if !cfg.Active.IsNull() {
		active := cfg.Active.ValueBool()
		q.Active = &active
	}
	stream.Results = func(push func(list.ListResult) bool) {
		err := r.client.Users.Walk(ctx, q, func(u *scim.User) bool {
			result := req.NewListResult(ctx)
			result.DisplayName = userDisplayName(u)
			setIDIdentity(ctx, result.Identity, u.ID, &result.Diagnostics)
			if req.IncludeResource {
				importedUser(ctx, u, result.Resource, &result.Diagnostics)
			}
			return push(result)
		})
		if err != nil {
			pushError(push, listError("users", q, err))
		}
	}
}

func (r *groupListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listConfig[groupListModel](ctx, req, r.client, stream)
	if !ok {
		return
	}
	q := scim.Query{Filter: cfg.Filter.ValueString(), NamePrefix: cfg.DisplayNamePrefix.ValueString(), Limit: int(req.Limit)}
	stream.Results = func(push func(list.ListResult) bool) {
		// Members are only needed for the resource objects; then the
		// groups are collected first, so that an app whose members must
		// be read another way (AWS-style filters) is scanned once, not per group.
		var groups []*scim.Group
		err := r.client.Groups.Walk(ctx, q, req.IncludeResource, func(g *scim.Group) bool {
			groups = append(groups, g)
			return true
		})
		if err == nil && req.IncludeResource {
			err = r.client.Groups.FillMembers(ctx, groups)
		}
		if err != nil {
			pushError(push, listError("groups", q, err))
			return
		}
		for _, g := range groups {
			result := req.NewListResult(ctx)
			result.DisplayName = g.DisplayName
			setIDIdentity(ctx, result.Identity, g.ID, &result.Diagnostics)
			if req.IncludeResource {
				importedGroup(ctx, g, result.Resource, &result.Diagnostics)
			}
			if !push(result) {
				return
			}
		}
	}
}

// importedUser sets target to what importing u and reading it stores.
func importedUser(ctx context.Context, u *scim.User, target *tfsdk.Resource, diags *diag.Diagnostics) {
	var prior userResourceModel
	diags.Append(target.SetAttribute(ctx, path.Root("id"), u.ID)...)
	diags.Append(target.Get(ctx, &prior)...)
	if diags.HasError() {
		return
	}
	model, d := flattenUser(ctx, u, prior)
	diags.Append(d...)
	diags.Append(target.Set(ctx, &model)...)
}

// importedGroup sets target to what importing g and reading it stores.
func importedGroup(ctx context.Context, g *scim.Group, target *tfsdk.Resource, diags *diag.Diagnostics) {
	var state groupResourceModel
	diags.Append(target.SetAttribute(ctx, path.Root("id"), g.ID)...)
	diags.Append(target.SetAttribute(ctx, path.Root("members"), []string{})...)
	diags.Append(target.Get(ctx, &state)...)
	if diags.HasError() {
		return
	}
	refreshGroup(&state, g, diags)
	diags.Append(target.Set(ctx, &state)...)
}

// userDisplayName is how a user reads in `terraform query` output.
func userDisplayName(u *scim.User) string {
	name := u.UserName
	switch {
	case u.DisplayName != "" && !u.IsActive():
		name += " (" + u.DisplayName + ", inactive)"
	case u.DisplayName != "":
		name += " (" + u.DisplayName + ")"
	case !u.IsActive():
		name += " (inactive)"
	}
	return name
}

func listError(kind string, q scim.Query, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError(clientError("listing", kind, firstNonEmptyString(q.Filter, "all"), err))
	return diags
}

func pushError(push func(list.ListResult) bool, diags diag.Diagnostics) {
	push(list.ListResult{Diagnostics: diags})
}

// listConfig reads a list block's configuration; on failure, or without a
// configured provider, the stream carries the diagnostics.
func listConfig[T any](ctx context.Context, req list.ListRequest, client *scim.Client, stream *list.ListResultsStream) (T, bool) {
	var cfg T
	diags := req.Config.Get(ctx, &cfg)
	if client == nil {
		diags.AddError("The scim provider is not configured",
			"Listing needs a configured provider block (endpoint and credentials) for the list block's provider.")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return cfg, false
	}
	return cfg, true
}
