package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// Plan-time checks against what the app's dialect supports, so that an
// unsupported configuration fails at plan, never halfway through apply.
// The facts come from the dialect (data); the resources only ask.

func unsupportedDetail(d scim.Dialect, what, instead string) string {
	msg := fmt.Sprintf("%s does not support %s (vendor preset %q).", d.App, what, d.Name)
	if instead != "" {
		msg += " " + instead
	}
	return msg
}

// checkGroupsSupported fails scim_group and scim_group_member plans on apps without groups.
func checkGroupsSupported(client *scim.Client, kind string, diags *diag.Diagnostics) {
	if client == nil {
		return
	}
	if d := client.Dialect(); !d.SupportsGroups {
		diags.AddError(kind+" is not supported by "+d.App, unsupportedDetail(d, "SCIM groups",
			"Remove the "+kind+" resources for this provider, or set dialect.groups = true if the app has gained /Groups."))
	}
}

// checkUserCapabilities checks destroy_mode, password_wo and extensions of a planned user.
func checkUserCapabilities(ctx context.Context, client *scim.Client, plan userResourceModel, password types.String, diags *diag.Diagnostics) {
	if client == nil {
		return
	}
	d := client.Dialect()
	if plan.DestroyMode.ValueString() == destroyDelete && !d.SupportsDelete {
		diags.AddAttributeError(path.Root("destroy_mode"), "destroy_mode = \"delete\" is not supported by "+d.App,
			unsupportedDetail(d, "deleting users through SCIM", `Use destroy_mode = "deactivate" (the default) or "abandon".`))
	}
	if !password.IsNull() && !d.SupportsPassword {
		diags.AddAttributeError(path.Root("password_wo"), "password_wo is not supported by "+d.App,
			unsupportedDetail(d, "passwords (users sign in through SSO)", "Remove password_wo and password_wo_version."))
	}
	if plan.Extensions.IsNull() || plan.Extensions.IsUnknown() {
		return
	}
	known, ok := client.KnownSchemas(ctx)
	if !ok {
		return // the app does not list its schemas: nothing to check against
	}
	for urn := range plan.Extensions.Elements() {
		lower := strings.ToLower(urn)
		if lower == strings.ToLower(scim.SchemaUser) || known[lower] {
			continue
		}
		diags.AddAttributeError(path.Root("extensions").AtMapKey(urn), "Unknown schema extension",
			fmt.Sprintf("%s does not list the schema %q at /Schemas, so it would reject or drop these attributes. "+
				"Check the URN against the app's documentation.", d.App, urn))
	}
}
