package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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

// userCapabilityInputs are what checkUserCapabilities looks at in a
// planned user. They are read from the raw plan and configuration: decoding
// the whole plan into the model cost a twentieth of the provider's CPU in a
// no-change plan of 1,000 users, for two attributes.
type userCapabilityInputs struct {
	config        tftypes.Value // the raw configuration, for required and single-valued attributes
	create        bool
	adopting      bool // adopt_existing = true: the create may take over a user the app already has
	destroyMode   string
	hasPassword   bool     // password_wo set or unknown in the configuration
	extensionURNs []string // nil when extensions is null or unknown
}

func userCapabilityInputsFrom(plan, config tftypes.Value, create bool) userCapabilityInputs {
	in := userCapabilityInputs{config: config, create: create}
	if v, ok := rawValue(config, "adopt_existing"); ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&in.adopting)
	}
	if v, ok := rawValue(plan, "destroy_mode"); ok && v.IsKnown() && !v.IsNull() {
		_ = v.As(&in.destroyMode)
	}
	if v, ok := rawValue(config, "password_wo"); ok && !v.IsNull() {
		in.hasPassword = true
	}
	if v, ok := rawValue(plan, "extensions"); ok && v.IsKnown() && !v.IsNull() {
		var byURN map[string]tftypes.Value
		if v.As(&byURN) == nil {
			in.extensionURNs = slices.Sorted(maps.Keys(byURN))
		}
	}
	return in
}

// checkUserCapabilities checks destroy_mode, password_wo and extensions of a planned user.
func checkUserCapabilities(ctx context.Context, client *scim.Client, in userCapabilityInputs, diags *diag.Diagnostics) {
	if client == nil {
		return
	}
	d := client.Dialect()
	if in.destroyMode == destroyDelete && !d.SupportsDelete {
		diags.AddAttributeError(path.Root("destroy_mode"), "destroy_mode = \"delete\" is not supported by "+d.App,
			unsupportedDetail(d, "deleting users through SCIM", `Use destroy_mode = "deactivate" (the default) or "abandon".`))
	}
	if in.destroyMode == destroyDelete && d.SupportsDelete && d.DeleteIrreversible {
		diags.AddAttributeWarning(path.Root("destroy_mode"), "destroy_mode = \"delete\" cannot be undone in "+d.App,
			fmt.Sprintf("Destroying this user sends DELETE, which %s treats as permanent: the account cannot be restored, and "+
				"the person must be provisioned again as a new user. destroy_mode = \"deactivate\" (the default) suspends the "+
				"account instead, and declaring the user again reactivates it.", d.App))
	}
	checkUserShape(d, in, diags)
	if in.hasPassword && !d.SupportsPassword {
		diags.AddAttributeError(path.Root("password_wo"), "password_wo is not supported by "+d.App,
			unsupportedDetail(d, "passwords (users sign in through SSO)", "Remove password_wo and password_wo_version."))
	}
	if len(in.extensionURNs) == 0 {
		return
	}
	known, ok := client.KnownSchemas(ctx)
	if !ok {
		return // the app does not list its schemas: nothing to check against
	}
	for _, urn := range in.extensionURNs {
		lower := strings.ToLower(urn)
		if lower == strings.ToLower(scim.SchemaUser) || known[lower] {
			continue
		}
		diags.AddAttributeError(path.Root("extensions").AtMapKey(urn), "Unknown schema extension",
			fmt.Sprintf("%s does not list the schema %q at /Schemas, so it would reject or drop these attributes. "+
				"Check the URN against the app's documentation.", d.App, urn))
	}
}
