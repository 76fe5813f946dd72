package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// schemaValidatorsFindings runs the validators of one provider setting on a
// value the provider block did not hold (one read from the environment):
// Terraform runs them only on the configuration, and a value from
// SCIM_DIALECT must meet the same rules as the block's. It returns the
// detail of each error found.
func schemaValidatorsFindings(ctx context.Context, a schema.Attribute, p path.Path, v attr.Value) []string {
	var diags diag.Diagnostics
	switch a := a.(type) {
	case schema.StringAttribute:
		s, _ := v.(types.String)
		for _, check := range a.Validators {
			resp := &validator.StringResponse{}
			check.ValidateString(ctx, validator.StringRequest{Path: p, ConfigValue: s}, resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.Int64Attribute:
		n, _ := v.(types.Int64)
		for _, check := range a.Validators {
			resp := &validator.Int64Response{}
			check.ValidateInt64(ctx, validator.Int64Request{Path: p, ConfigValue: n}, resp)
			diags.Append(resp.Diagnostics...)
		}
	case schema.ListAttribute:
		l, _ := v.(types.List)
		for _, check := range a.Validators {
			resp := &validator.ListResponse{}
			check.ValidateList(ctx, validator.ListRequest{Path: p, ConfigValue: l}, resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	var findings []string
	for _, d := range diags.Errors() {
		findings = append(findings, d.Detail())
	}
	return findings
}
