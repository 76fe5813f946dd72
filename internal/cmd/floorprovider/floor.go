// The benchmark floor: a provider with exactly the schemas
// of terraform-provider-scim whose resources do no I/O. Running the same
// configuration against it measures what Terraform and the plugin protocol
// cost by themselves, so benchmark figures can be given as ratios to it.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	scimprovider "github.com/scim-terraform/terraform-provider-scim/internal/provider"
)

// newFloor returns the floor provider, named like the real one; variant
// changes the schema of scim_user (see variants.go).
func newFloor(variant func(schema.Schema) schema.Schema) provider.Provider {
	return &floorProvider{real: scimprovider.New("floor")(), variant: variant}
}

type floorProvider struct {
	real    provider.Provider
	variant func(schema.Schema) schema.Schema
}

func (p *floorProvider) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	p.real.Metadata(ctx, req, resp)
}

func (p *floorProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

// Configure accepts any settings and builds nothing.
func (p *floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *floorProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, build := range p.real.Resources(ctx) {
		out = append(out, func() resource.Resource { return &noIO{real: build(), variant: p.variant} })
	}
	return out
}

func (p *floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// noIO has a real resource's name and schema (scim_user's changed by
// variant); its CRUD copies the plan.
type noIO struct {
	real    resource.Resource
	variant func(schema.Schema) schema.Schema
}

func (r *noIO) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r *noIO) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
	var meta resource.MetadataResponse
	r.real.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "scim"}, &meta)
	if meta.TypeName == "scim_user" {
		resp.Schema = r.variant(resp.Schema)
	}
}

func (r *noIO) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (r *noIO) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *noIO) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (r *noIO) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *noIO) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// known replaces unknown values: a fresh id for "id", null elsewhere (the
// write-only password is always null in state).
func known(plan tftypes.Value) tftypes.Value {
	out, _ := tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		if len(p.Steps()) == 1 && p.Steps()[0] == tftypes.AttributeName("id") {
			b := make([]byte, 16)
			_, _ = rand.Read(b)
			return tftypes.NewValue(tftypes.String, hex.EncodeToString(b)), nil
		}
		return tftypes.NewValue(v.Type(), nil), nil
	})
	return out
}
