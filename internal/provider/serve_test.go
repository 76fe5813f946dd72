package provider

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"testing"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type ctxKey struct{}

// bigValue stands for the loggers and gRPC state a request context holds.
type bigValue struct{ payload []byte }

func TestReleasableContextForwardsUntilReleased(t *testing.T) {
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
	defer cancel()
	rc := newReleasableContext(parent)
	if rc.Value(ctxKey{}) != "v" || rc.Err() != nil {
		t.Fatalf("before release: value %v, err %v; want the request's", rc.Value(ctxKey{}), rc.Err())
	}
	child, cancelChild := context.WithCancel(rc)
	defer cancelChild()
	cancel()
	<-child.Done() // cancelling the request cancels what the framework derived from it
	rc.release()
	if rc.Value(ctxKey{}) != nil || !errors.Is(rc.Err(), context.Canceled) {
		t.Fatalf("after release: value %v, err %v; want none and canceled", rc.Value(ctxKey{}), rc.Err())
	}
	select {
	case <-rc.Done():
	default:
		t.Fatal("a released context must be done")
	}
}

// The framework keeps every request context's cancel function until
// StopProvider; through a released context, that must not keep the
// request's values alive.
func TestReleasedContextDoesNotRetainRequest(t *testing.T) {
	var kept []context.CancelFunc // what the framework holds on to
	big := &bigValue{payload: make([]byte, 1<<16)}
	ref := weak.Make(big)
	func() {
		request, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, big))
		defer cancel()
		rc := newReleasableContext(request)
		_, frameworkCancel := context.WithCancel(rc)
		kept = append(kept, frameworkCancel)
		rc.release()
	}()
	big = nil
	runtime.GC()
	runtime.GC()
	if ref.Value() != nil {
		t.Fatal("the request's values are still reachable through the kept cancel function")
	}
	runtime.KeepAlive(kept)
}

// Terraform reaches list resources only when the served value implements
// the optional list-resource interface (tf6server checks for
// ProviderServerWithListResource: ProviderServer plus ListResourceServer);
// the wrapper must keep it.
func TestReleasingServerKeepsOptionalInterfaces(t *testing.T) {
	server := NewReleasingServer(providerserver.NewProtocol6(New("test")())())
	if _, ok := server.(tfprotov6.ListResourceServer); !ok {
		t.Error("the wrapped server hides the list-resource interface")
	}
	if _, ok := server.(tfprotov6.ActionServer); !ok {
		t.Error("the wrapped server hides the action interface")
	}
	if _, ok := server.(tfprotov6.StateStoreServer); !ok {
		t.Error("the wrapped server hides the state-store interface")
	}
	meta, err := server.GetMetadata(context.Background(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var lists []string
	for _, l := range meta.ListResources {
		lists = append(lists, l.TypeName)
	}
	if !slices.Equal(lists, []string{"scim_group", "scim_user"}) && !slices.Equal(lists, []string{"scim_user", "scim_group"}) {
		t.Errorf("list resources %v, want scim_user and scim_group", lists)
	}
}
