package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

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

// groupKindBase is what scim_group and scim_group_member share: the client,
// their type name, and a plan that fails on apps without groups.
type groupKindBase struct {
	client *scim.Client
	// kind names the resource type, in Metadata and in messages.
	kind string
}

func (r *groupKindBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + strings.TrimPrefix(r.kind, "scim")
}

func (r *groupKindBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails at plan time on apps without groups, before any request.
func (r *groupKindBase) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() {
		checkGroupsSupported(r.client, r.kind, &resp.Diagnostics)
	}
}

// Default time limits of one operation on a resource, retries and rate-limit
// waits included; a timeouts block changes them.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
)

// timeoutsBlock is the timeouts block every resource has; its descriptions
// give the defaults, so every resource page shows them.
func timeoutsBlock(ctx context.Context) map[string]schema.Block {
	limit := func(op string, def time.Duration, more string) string {
		return fmt.Sprintf("Time limit of one %s, retries and rate-limit waits included, as a duration such as `30s` or `1h` "+
			"(units `s`, `m`, `h`). Default `%s`.%s", op, shortDuration(def), more)
	}
	return map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: limit("create", defaultCreateTimeout, ""),
		ReadDescription:   limit("read", defaultReadTimeout, " Reads happen in every refresh, so in every plan unless `-refresh=false`."),
		UpdateDescription: limit("update", defaultUpdateTimeout, ""),
		DeleteDescription: limit("destroy", defaultDeleteTimeout, ""),
	})}
}

// shortDuration writes 20m0s as 20m, as a configuration would.
func shortDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// withTimeout bounds ctx by the configured (or default) time limit of one operation.
func withTimeout(ctx context.Context, limit func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, ds := limit(ctx, def)
	diags.Append(ds...)
	return context.WithTimeout(ctx, d)
}
