package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/scim-terraform/terraform-provider-scim/internal/planmodifiers"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

// Destroy modes of scim_user.
const (
	destroyDeactivate = "deactivate"
	destroyDelete     = "delete"
	destroyAbandon    = "abandon"
)

// unmanagedNote ends the description of every attribute the app may fill
// in itself.
const unmanagedNote = " When not set, the app's value is kept and not managed; removing it from the configuration later " +
	"removes it from the app."

// appStringAttribute is a user attribute that the configuration manages
// only when it sets it: unset, the app's value is kept (and shown in state).
func appStringAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description + unmanagedNote, Optional: true, Computed: true,
		Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

// multiValuedAttribute is the schema of emails, phone_numbers, roles and
// entitlements. SCIM multi-valued attributes have no order, and servers
// reorder them, but the attribute is a list, not a set: a nested set costs
// Terraform and the framework about a tenth more CPU per user on every plan
// and apply. Order carries no meaning all the same: planmodifiers.IgnoreOrder
// plans no change when the configuration lists the same values in another
// order, and reads keep the order of the prior state (flattenMultiValues).
func multiValuedAttribute(description, valueDescription string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: description + " Values are compared case-insensitively, and their order is not significant, " +
			"so an app that changes either shows no drift." + unmanagedNote,
		Optional:      true,
		Computed:      true,
		Validators:    []validator.List{validators.AtMostOnePrimary()},
		PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown(), planmodifiers.IgnoreOrder()},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"value": schema.StringAttribute{MarkdownDescription: valueDescription, Required: true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"type":    optionalString("Kind of value, such as `work` or `home` (SCIM `type`)."),
			"display": optionalString("Human-readable label (SCIM `display`). Left unmanaged when not set."),
			"primary": schema.BoolAttribute{MarkdownDescription: "Whether this is the preferred value (SCIM `primary`). " +
				"At most one value may be primary.", Optional: true},
		}},
	}
}

// Schema is long because it is declarative: one entry per SCIM attribute,
// read top to bottom like the generated docs. The data sources derive
// theirs from it (data_source_schema.go).
func (r *userResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Blocks: timeoutsBlock(ctx),
		MarkdownDescription: "A SCIM User ([RFC 7643 section 4.1](https://www.rfc-editor.org/rfc/rfc7643#section-4.1)) in the app. " +
			"Destroying it deactivates the user by default (`active = false`), so the app keeps its history; see `destroy_mode`. " +
			"Creating a user whose `userName` already exists reactivates and takes over an inactive account, and fails for an " +
			"active one unless `adopt_existing` is set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "SCIM `id` assigned by the app.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: "Unique login name (SCIM `userName`), often the email address. Compared case-insensitively, " +
					"as RFC 7643 defines it, so a change of case by the app is not drift. Changing it renames the user in place.",
				Required:   true,
				Validators: []validator.String{validators.NotBlank()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Name shown in the app (SCIM `displayName`). When not set, the value the app derives " +
					"(often from the name parts) is kept without a diff, and is known after apply when the name changes.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the user can log in (SCIM `active`). Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"name": schema.SingleNestedAttribute{
				MarkdownDescription: "Components of the user's real name (SCIM `name`). When set, its parts are managed " +
					"together: a part left out is removed from the app." + unmanagedNote,
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"formatted": schema.StringAttribute{
						MarkdownDescription: "Full name as displayed (SCIM `name.formatted`). Many apps derive it; when not set, the derived value is kept without a diff.",
						Optional:            true,
						Computed:            true,
					},
					"family_name":      optionalString("Family name (SCIM `name.familyName`)."),
					"given_name":       optionalString("Given name (SCIM `name.givenName`)."),
					"middle_name":      optionalString("Middle name (SCIM `name.middleName`)."),
					"honorific_prefix": optionalString("Honorific prefix such as `Ms.` (SCIM `name.honorificPrefix`)."),
					"honorific_suffix": optionalString("Honorific suffix such as `III` (SCIM `name.honorificSuffix`)."),
				},
			},
			"emails": multiValuedAttribute("Email addresses (SCIM `emails`).",
				"Email address."),
			"phone_numbers": multiValuedAttribute("Phone numbers (SCIM `phoneNumbers`).", "Phone number, ideally in E.164 or RFC 3966 form."),
			"roles": multiValuedAttribute("Roles of the user in the app (SCIM `roles`). RFC 7643 defines no vocabulary: "+
				"use the values the app documents.", "Role name."),
			"entitlements": multiValuedAttribute("Entitlements of the user (SCIM `entitlements`).", "Entitlement name."),
			"enterprise": schema.SingleNestedAttribute{
				MarkdownDescription: "Attributes of the enterprise extension `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. " +
					"When set, its attributes are managed together: one left out is removed from the app." + unmanagedNote,
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"employee_number": optionalString("Employee number (`employeeNumber`)."),
					"cost_center":     optionalString("Cost center (`costCenter`)."),
					"organization":    optionalString("Organization (`organization`)."),
					"division":        optionalString("Division (`division`)."),
					"department":      optionalString("Department (`department`)."),
					"manager_id":      optionalString("SCIM `id` of the user's manager (`manager.value`)."),
				},
			},
			"extensions": schema.MapAttribute{
				MarkdownDescription: "Other attributes, keyed by schema URN, each a JSON object (use `jsonencode`). Only the keys " +
					"given are managed. The core and enterprise URNs are accepted too, for custom attributes an app defines in " +
					"those namespaces; their keys are merged with the typed attributes.",
				Optional:    true,
				ElementType: jsontypes.NormalizedType{},
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.RegexMatches(validators.SchemaURN, "must be a schema URN starting with urn:")),
					validators.ExtensionObjects(typedAttributeFor),
				},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "Initial or new password (SCIM `password`). Write-only: never stored in the plan or state, " +
					"and SCIM never returns it, so it cannot be read back or imported. Sent on create, and on update when " +
					"`password_wo_version` changes. Needs Terraform 1.11 or later.",
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Change this number to send `password_wo` again on update.",
				Optional:            true,
				Validators: []validator.Int64{
					int64validator.AlsoRequires(path.MatchRoot("password_wo")),
				},
			},
			"destroy_mode": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does in the app: `deactivate` (default) sets `active = false` " +
					"and keeps the account and its history; `delete` removes it (SCIM `DELETE`); `abandon` only removes it from " +
					"the Terraform state.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(destroyDeactivate),
				Validators: []validator.String{stringvalidator.OneOf(destroyDeactivate, destroyDelete, destroyAbandon)},
			},
			"adopt_existing": schema.BoolAttribute{
				MarkdownDescription: "When creating, take over an existing **active** user with the same `user_name` instead of " +
					"failing. Inactive users are always reactivated and taken over. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
	for _, a := range userAttributes {
		if a.description != "" {
			resp.Schema.Attributes[a.argument] = appStringAttribute(a.description)
		}
	}
}
