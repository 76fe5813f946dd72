package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
