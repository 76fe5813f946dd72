package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Serve serves the provider to Terraform over protocol 6, as
// providerserver.Serve does, through NewReleasingServer.
func Serve(address string, providerFunc func() provider.Provider, debug bool) error {
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve(address, func() tfprotov6.ProviderServer {
		return NewReleasingServer(providerserver.NewProtocol6(providerFunc())())
	}, opts...)
}

// NewReleasingServer wraps a framework provider server so that each
// resource and data source request's context can be freed once the request
// is answered.
//
// Why: the framework keeps the cancel function of every request's context
// until StopProvider, which Terraform sends only on interrupt. Each one
// holds the whole context chain of its request (gRPC stream, loggers,
// fields), about 25 KB, so a plan over thousands of resources would keep
// hundreds of MiB alive for every garbage collection to scan. The wrapper
// hands the framework a small context that forwards to the request's
// context while the request runs and is emptied when it returns; what stays
// behind is a few hundred bytes per request.
//
// Terraform finds list resources, actions and state stores through
// optional interfaces of the server (tfprotov6.ProviderServerWithListResource
// and friends). A wrapper that only embedded ProviderServer would hide them,
// so when the wrapped server has them the wrapper has them too, passed
// through untouched: a list stream keeps using its context after
// ListResource returns, so that context must not be released.
func NewReleasingServer(server tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	base := releasingServer{ProviderServer: server}
	full, ok := server.(fullProviderServer)
	if !ok {
		return base
	}
	return releasingFullServer{releasingServer: base, ListResourceServer: full, ActionServer: full, StateStoreServer: full}
}

// fullProviderServer is what the framework's server implements today.
type fullProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

type releasingServer struct {
	tfprotov6.ProviderServer
}

type releasingFullServer struct {
	releasingServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

func withReleasedContext[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasableContext(ctx)
	defer rc.release()
	return call(rc, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return withReleasedContext(ctx, req, s.ProviderServer.ReadDataSource)
}

// releasableContext forwards to a request's context until release; after
// that it is a canceled context with no values, and no longer references
// the request's.
type releasableContext struct {
	inner atomic.Pointer[contextBox]
}

type contextBox struct{ ctx context.Context }

var releasedContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

func newReleasableContext(ctx context.Context) *releasableContext {
	rc := &releasableContext{}
	rc.inner.Store(&contextBox{ctx: ctx})
	return rc
}

func (c *releasableContext) current() context.Context {
	if box := c.inner.Load(); box != nil {
		return box.ctx
	}
	return releasedContext
}

func (c *releasableContext) release() { c.inner.Store(nil) }

func (c *releasableContext) Deadline() (time.Time, bool) { return c.current().Deadline() }
func (c *releasableContext) Done() <-chan struct{}       { return c.current().Done() }
func (c *releasableContext) Err() error                  { return c.current().Err() }
func (c *releasableContext) Value(key any) any           { return c.current().Value(key) }
