package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

// dialectModel holds the user's overrides of the vendor preset; null
// fields keep the preset's (or discovery's) value.
type dialectModel struct {
	PatchOpCase         types.String `tfsdk:"patch_op_case"`
	UpdateMethod        types.String `tfsdk:"update_method"`
	ContentType         types.String `tfsdk:"content_type"`
	PageSize            types.Int64  `tfsdk:"page_size"`
	StartIndexBase      types.Int64  `tfsdk:"start_index_base"`
	MemberChunkSize     types.Int64  `tfsdk:"member_chunk_size"`
	MemberAdds          types.Int64  `tfsdk:"member_adds_per_request"`
	MemberRemoves       types.Int64  `tfsdk:"member_removes_per_request"`
	MemberChangesAlone  types.Bool   `tfsdk:"member_changes_alone"`
	MemberFilter        types.String `tfsdk:"member_filter_attribute"`
	MemberAddShape      types.String `tfsdk:"member_add_shape"`
	PathCase            types.String `tfsdk:"path_case"`
	DiscoveryPath       types.String `tfsdk:"discovery_path"`
	MembersRead         types.String `tfsdk:"members_read"`
	Groups              types.Bool   `tfsdk:"groups"`
	Delete              types.Bool   `tfsdk:"delete"`
	Password            types.Bool   `tfsdk:"password"`
	ETag                types.Bool   `tfsdk:"etag"`
	FilterOnEmails      types.Bool   `tfsdk:"filter_on_emails"`
	DeactivateMayDelete types.Bool   `tfsdk:"deactivate_may_delete"`
	DeleteIrreversible  types.Bool   `tfsdk:"delete_irreversible"`
	ListNeedsFilter     types.Bool   `tfsdk:"list_needs_filter"`
	RequiredOnCreate    types.List   `tfsdk:"required_on_create"`
	SingleValued        types.List   `tfsdk:"single_valued"`
	RolesAttribute      types.String `tfsdk:"roles_attribute"`
	UserSchemas         types.List   `tfsdk:"user_schemas"`
	Discovery           types.Bool   `tfsdk:"discovery"`
	ConsistencyWindow   types.String `tfsdk:"consistency_window"`
}

func dialectSchema() schema.SingleNestedAttribute {
	b := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Optional: true}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Overrides of the `vendor` preset, for apps whose SCIM server departs from RFC 7644. " +
			"Each field left unset keeps the preset's value (or what discovery found). The SCIM compatibility guide explains each one.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"patch_op_case": schema.StringAttribute{MarkdownDescription: "`lower` (`replace`) or `capitalized` (`Replace`, as Microsoft Entra ID sends).",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("lower", "capitalized")}},
			"update_method": schema.StringAttribute{MarkdownDescription: "`patch` (one operation per changed attribute) or `put` " +
				"(every write, for users and groups alike, is a read, a local merge and a replace of the whole resource, with " +
				"`If-Match` when the app uses ETags). With `patch`, a 405 or 501 answer, or `patch.supported = false` in " +
				"discovery, switches to `put` by itself.",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf(scim.UpdatePatch, scim.UpdatePut)}},
			"content_type": schema.StringAttribute{MarkdownDescription: "Request media type, `application/scim+json` by default " +
				"(a 415 answer switches to `application/json` by itself).", Optional: true},
			"page_size": schema.Int64Attribute{MarkdownDescription: "Resources asked for per list page.", Optional: true,
				Validators: []validator.Int64{int64validator.Between(1, 1000)}},
			"start_index_base": schema.Int64Attribute{MarkdownDescription: "`1` (RFC 7644) or `0` for servers that count from zero.",
				Optional: true, Validators: []validator.Int64{int64validator.Between(0, 1)}},
			"member_chunk_size": schema.Int64Attribute{MarkdownDescription: "Most member changes in one group PATCH (a 413 answer halves it).",
				Optional: true, Validators: []validator.Int64{int64validator.Between(1, 10000)}},
			"member_adds_per_request": schema.Int64Attribute{MarkdownDescription: "Most members added by one group PATCH " +
				"(`20` for `entra`; unset: `member_chunk_size`; never more than `member_chunk_size`).", Optional: true, Validators: []validator.Int64{int64validator.Between(1, 10000)}},
			"member_removes_per_request": schema.Int64Attribute{MarkdownDescription: "Most members removed by one group PATCH " +
				"(`1` for `entra`; unset: `member_chunk_size`; never more than `member_chunk_size`).", Optional: true, Validators: []validator.Int64{int64validator.Between(1, 10000)}},
			"member_changes_alone": b("Send member additions, member removals and other group changes in requests of their own " +
				"(`true` for `entra`). Additions go first, so a member being replaced is never out of the group in between."),
			"member_filter_attribute": schema.StringAttribute{MarkdownDescription: "With `members_read = \"filter\"`, how one member " +
				"is checked: `members` (`id eq \"g\" and members eq \"u\"`, AWS IAM Identity Center, the default) or `members.value` " +
				"(`id eq \"g\" and members.value eq \"u\"`, `entra`).",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("members", "members.value")}},
			"member_add_shape": schema.StringAttribute{MarkdownDescription: "How a PATCH adds members: unset (RFC 7644: " +
				"`path` `members`, `value` a list), `object` (`value` `{\"members\": [...]}` under the `members` path, `salesforce`) or " +
				"`object_pathless` (no path, `value` `{\"members\": [...]}`, `databricks`).",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("object", "object_pathless")}},
			"path_case": schema.StringAttribute{MarkdownDescription: "`lower` for apps that route `/users`, `/groups` and " +
				"`/serviceproviderconfig` only (`entra`); unset, the RFC 7644 names `/Users`, `/Groups`.",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("lower")}},
			"discovery_path": schema.StringAttribute{MarkdownDescription: "The service provider configuration endpoint, " +
				"`ServiceProviderConfig` by default; `ServiceProviderConfigs` (SCIM 1.1's name) for apps that kept it.",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf("ServiceProviderConfig", "ServiceProviderConfigs")}},
			"members_read": schema.StringAttribute{MarkdownDescription: "How group members are read: `inline` (with the group), " +
				"`attributes` (`?attributes=members`) or `filter` (one `id eq … and members eq …` query per expected member, " +
				"for servers that never return members) or `paged` (the users whose `groups` contain the group, " +
				"listed page by page), or `write_only` for apps that take member changes as PATCH add/remove but never " +
				"show members on reads: membership is then written as add/remove changes and trusted from the state, so " +
				"changes made in the app cannot be detected.",
				Optional: true, Validators: []validator.String{stringvalidator.OneOf(scim.MembersInline, scim.MembersAttributes,
					scim.MembersFilter, scim.MembersPaged, scim.MembersWriteOnly)}},
			"groups":           b("Whether the app has `/Groups`. When false, `scim_group` and `scim_group_member` fail at plan time."),
			"delete":           b("Whether the app accepts `DELETE` of users. When false, `destroy_mode = \"delete\"` fails at plan time."),
			"password":         b("Whether the app accepts passwords. When false, `password_wo` fails at plan time."),
			"etag":             b("Send `If-Match` with the version read before a full replace."),
			"filter_on_emails": b("Whether `emails[...]` filters work."),
			"deactivate_may_delete": b("The app removes users when it deactivates them: a 404 to the deactivation counts as done, without a warning. " +
				"Otherwise a 404 is checked with a GET: a user still active there fails the destroy, a user gone is accepted with a warning."),
			"delete_irreversible": b("A user deleted in the app cannot be restored or provisioned again under the same name " +
				"(`github_emu`): a plan with `destroy_mode = \"delete\"` warns and says so."),
			"list_needs_filter": b("The app's user listing answers only with a filter (`google_cloud_identity`: `userName eq`) " +
				"and has no paging: refresh reads each user by id, and listings without a filter fail with a clear error " +
				"that says to import by id instead."),
			"required_on_create": schema.ListAttribute{MarkdownDescription: "SCIM paths of user attributes the app refuses " +
				"a create without, such as `name.givenName` (`aws_identity_center` and `entra`: `displayName`, " +
				"`name.givenName`, `name.familyName`). A `scim_user` planned for creation without one fails at plan time " +
				"and names it (with `adopt_existing`, it warns: taking over an existing user needs nothing more).", Optional: true, ElementType: types.StringType,
				Validators: []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(requirableUserPaths()...))}},
			"single_valued": schema.ListAttribute{MarkdownDescription: "Multi-valued user attributes the app keeps one " +
				"value of, which must be primary (`aws_identity_center`: `emails`, `phoneNumbers`). A plan that lists two " +
				"values, or one not marked primary, fails and names the attribute.", Optional: true, ElementType: types.StringType,
				Validators: []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(multiValuedUserPaths...))}},
			"roles_attribute": schema.StringAttribute{MarkdownDescription: "Attribute that holds roles in the app, `roles` by default.",
				Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"user_schemas": schema.ListAttribute{MarkdownDescription: "Extension URNs always listed in a user's `schemas`.",
				Optional: true, ElementType: types.StringType},
			"discovery": b("Read `/ServiceProviderConfig` once to refine the settings (on by default for " +
				presetsWhere(func(d scim.Dialect) bool { return d.Discover }) + "; off for " +
				presetsWhere(func(d scim.Dialect) bool { return !d.Discover && d.Name != "proof" }) + ")."),
			"consistency_window": schema.StringAttribute{MarkdownDescription: "For apps that apply writes asynchronously: how long " +
				"after this provider's own write a read that does not show it yet (a 404, or a group with other members than " +
				"written) is retried with backoff instead of being taken as gone or as drift. A Go duration such as `30s`, at " +
				"most `10m`; `0s` (the default, except `hyperproof`: `1m`) turns it off.",
				Optional: true, Validators: []validator.String{validators.Duration(true, 10*time.Minute)}},
		},
	}
}

// presetsWhere lists, in backquotes, the presets for which keep is true:
// the docs state preset facts from the preset data.
func presetsWhere(keep func(scim.Dialect) bool) string {
	var names []string
	for _, name := range scim.PresetNames() {
		if d, _ := scim.Preset(name); keep(d) {
			names = append(names, "`"+name+"`")
		}
	}
	return strings.Join(names, ", ")
}

// presetPaces lists the presets with a documented pace and the pace, such
// as "`slack` 3".
func presetPaces() string {
	var paces []string
	for _, name := range scim.PresetNames() {
		if d, _ := scim.Preset(name); d.RateLimit > 0 {
			paces = append(paces, fmt.Sprintf("`%s` %g", name, d.RateLimit))
		}
	}
	return strings.Join(paces, ", ")
}

func vendorSchema() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Preset for the app's SCIM quirks: " + "`" + strings.Join(scim.PresetNames(), "`, `") + "`. " +
			"Defaults to `generic` (RFC 7644, refined by discovery). `proof` fails on purpose: Proof has no SCIM API.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(scim.PresetNames()...)},
	}
}

// resolveDialect applies the vendor preset and the user's overrides, and
// returns which fields the user set (discovery must not change those).
func resolveDialect(ctx context.Context, vendor types.String, overrides types.Object, diags *diag.Diagnostics) (scim.Dialect, map[string]bool) {
	name := "generic"
	if !vendor.IsNull() {
		name = vendor.ValueString()
	}
	d, ok := scim.Preset(name)
	if !ok {
		diags.AddAttributeError(path.Root("vendor"), "Unknown vendor", fmt.Sprintf("%q is not one of %s.", name, strings.Join(scim.PresetNames(), ", ")))
		return d, nil
	}
	explicit := map[string]bool{}
	if overrides.IsNull() || overrides.IsUnknown() {
		return d, explicit
	}
	var m dialectModel
	diags.Append(overrides.As(ctx, &m, objectAsOptions)...)
	setString := func(key string, v types.String, dst *string) {
		if !v.IsNull() && !v.IsUnknown() {
			*dst, explicit[key] = v.ValueString(), true
		}
	}
	setInt := func(key string, v types.Int64, dst *int) {
		if !v.IsNull() && !v.IsUnknown() {
			*dst, explicit[key] = int(v.ValueInt64()), true
		}
	}
	setBool := func(key string, v types.Bool, dst *bool) {
		if !v.IsNull() && !v.IsUnknown() {
			*dst, explicit[key] = v.ValueBool(), true
		}
	}
	setString("patch_op_case", m.PatchOpCase, &d.PatchOpCase)
	setString("update_method", m.UpdateMethod, &d.UpdateMethod)
	setString("content_type", m.ContentType, &d.ContentType)
	setString("members_read", m.MembersRead, &d.MembersRead)
	setString("roles_attribute", m.RolesAttribute, &d.RolesAttribute)
	setInt("page_size", m.PageSize, &d.PageSize)
	setInt("start_index_base", m.StartIndexBase, &d.StartIndexBase)
	setInt("member_chunk_size", m.MemberChunkSize, &d.MemberChunkSize)
	setInt("member_adds_per_request", m.MemberAdds, &d.MemberAddsPerRequest)
	setInt("member_removes_per_request", m.MemberRemoves, &d.MemberRemovesPerRequest)
	setBool("member_changes_alone", m.MemberChangesAlone, &d.MemberChangesAlone)
	setString("member_filter_attribute", m.MemberFilter, &d.MemberFilterAttribute)
	setString("path_case", m.PathCase, &d.PathCase)
	setString("member_add_shape", m.MemberAddShape, &d.MemberAddShape)
	setString("discovery_path", m.DiscoveryPath, &d.DiscoveryPath)
	setBool("groups", m.Groups, &d.SupportsGroups)
	setBool("delete", m.Delete, &d.SupportsDelete)
	setBool("password", m.Password, &d.SupportsPassword)
	setBool("etag", m.ETag, &d.SupportsETags)
	setBool("filter_on_emails", m.FilterOnEmails, &d.FilterOnEmails)
	setBool("deactivate_may_delete", m.DeactivateMayDelete, &d.DeactivateMayDelete)
	setBool("discovery", m.Discovery, &d.Discover)
	setBool("delete_irreversible", m.DeleteIrreversible, &d.DeleteIrreversible)
	setBool("list_needs_filter", m.ListNeedsFilter, &d.ListNeedsFilter)
	setStrings := func(key string, v types.List, dst *[]string) {
		if !v.IsNull() && !v.IsUnknown() {
			*dst = nil
			diags.Append(v.ElementsAs(ctx, dst, false)...)
			explicit[key] = true
		}
	}
	setStrings("required_on_create", m.RequiredOnCreate, &d.RequiredOnCreate)
	setStrings("single_valued", m.SingleValued, &d.SingleValued)
	if !m.ConsistencyWindow.IsNull() && !m.ConsistencyWindow.IsUnknown() {
		// Valid: the block's validators checked it, also from SCIM_DIALECT.
		d.ConsistencyWindow, _ = time.ParseDuration(m.ConsistencyWindow.ValueString())
		explicit["consistency_window"] = true
	}
	setStrings("user_schemas", m.UserSchemas, &d.UserSchemas)
	d.Name += " (with overrides)"
	return d, explicit
}
