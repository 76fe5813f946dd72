package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// requirableUserPaths lists the SCIM paths of scim_user's top-level and
// name attributes: the ones a dialect may require on create.
func requirableUserPaths() []string {
	var paths []string
	for _, scimPaths := range userAttrPaths {
		for _, p := range scimPaths {
			if !strings.HasPrefix(p, "urn:") {
				paths = append(paths, p)
			}
		}
	}
	slices.Sort(paths)
	return paths
}

// tfPath turns "name.given_name" into a framework path.
func tfPath(name string) path.Path {
	steps := strings.Split(name, ".")
	p := path.Root(steps[0])
	for _, s := range steps[1:] {
		p = p.AtName(s)
	}
	return p
}

// checkUserShape refuses at plan time what the app's dialect says it
// refuses: a create without an attribute it requires, and more than one
// value (or a value not marked primary) of an attribute it takes one of.
func checkUserShape(d scim.Dialect, in userCapabilityInputs, diags *diag.Diagnostics) {
	if in.create {
		for _, required := range d.RequiredOnCreate {
			name := argumentFor(required)
			if isSet(in.config, name) {
				continue
			}
			summary := fmt.Sprintf("%s requires %s", d.App, name)
			detail := fmt.Sprintf("%s refuses to create a user without %s (SCIM %s). Set it in the configuration.", d.App, name, required)
			if in.adopting {
				// Taking over a user the app has needs nothing more; only a
				// create (no such user found) would be refused.
				diags.AddAttributeWarning(tfPath(name), summary, detail+
					" With adopt_existing, an existing user is taken over as it is; the create is refused only if none is found.")
				continue
			}
			diags.AddAttributeError(tfPath(name), summary, detail)
		}
	}
	for _, attr := range d.SingleValued {
		name := argumentFor(attr)
		v, ok := rawValue(in.config, name)
		if !ok || !v.IsKnown() || v.IsNull() {
			continue
		}
		var items []tftypes.Value
		if v.As(&items) != nil {
			continue
		}
		detail := fmt.Sprintf("%s keeps one value of %s, and it must be the primary one: list one value with primary = true.", d.App, name)
		if len(items) > 1 {
			diags.AddAttributeError(path.Root(name), fmt.Sprintf("%s takes one value of %s", d.App, name), detail)
			continue
		}
		if len(items) == 1 {
			if p, ok := rawValue(items[0], "primary"); ok && p.IsKnown() {
				var primary bool
				if p.IsNull() || p.As(&primary) != nil || !primary {
					diags.AddAttributeError(path.Root(name).AtListIndex(0).AtName("primary"),
						fmt.Sprintf("%s needs the value of %s to be primary", d.App, name), detail)
				}
			}
		}
	}
}
