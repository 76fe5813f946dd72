package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// groupIDByDisplayName finds the one group named name (case-insensitively)
// and returns its id. No group, or several, is an error diagnostic; verb
// says what the caller was doing ("reading", "importing") and instead what
// the user can do ("import one of them by SCIM id").
func groupIDByDisplayName(ctx context.Context, client *scim.Client, name, verb, instead string, diags *diag.Diagnostics) (string, bool) {
	groups, err := client.Groups.FindByDisplayName(ctx, name)
	if err != nil {
		diags.AddError(clientError(verb, "group", name, err))
		return "", false
	}
	switch len(groups) {
	case 0:
		diags.AddError("SCIM group not found",
			fmt.Sprintf("No group with displayName %q exists in the app (compared case-insensitively). Check the name, or %s.", name, instead))
		return "", false
	case 1:
		return groups[0].ID, true
	}
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	diags.AddError("Ambiguous SCIM group name",
		fmt.Sprintf("%d groups are named %q: %s. To pick one, %s.", len(groups), name, strings.Join(ids, ", "), instead))
	return "", false
}
