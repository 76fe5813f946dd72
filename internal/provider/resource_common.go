package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// configuredClient extracts the client the provider's Configure built.
func configuredClient(providerData any, diags *diag.Diagnostics) *scim.Client {
	if providerData == nil {
		return nil // the provider is not configured yet (validation)
	}
	client, ok := providerData.(*scim.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *scim.Client, got: %T. Please report this issue to the provider developers.", providerData))
	}
	return client
}

// groupsResource is what scim_group and scim_group_member share: the client,
// and a plan that fails on apps without groups.
type groupsResource struct {
	client *scim.Client
	// kind names the resource type in messages.
	kind string
}

func (r *groupsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails at plan time on apps without groups, before any request.
func (r *groupsResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() {
		checkGroupsSupported(r.client, r.kind, &resp.Diagnostics)
	}
}
