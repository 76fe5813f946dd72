package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// Helpers for attribute schemas and values shared by the resources and the
// data sources.

// optionalString is an optional, non-empty string attribute.
func optionalString(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Optional: true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)}}
}

// objectAsOptions reads objects whose attributes may be null or unknown
// (unset or computed) into models, as empty values.
var objectAsOptions = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

// optionalStringValue is s, or null when s is empty: SCIM treats an absent
// attribute and an empty one alike (RFC 7643 section 2.5).
func optionalStringValue(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// keepCaseOf returns prior when it equals server ignoring case.
func keepCaseOf(prior types.String, server string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), server) {
		return prior
	}
	return optionalStringValue(server)
}
