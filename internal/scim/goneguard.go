package scim

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// goneQuiet is how long a 404 waits for other reads of managed objects to
// start or end when none has found its object yet: Terraform refreshes
// resources a few at a time, and one read that finds its object shows the
// endpoint is the right tenant.
const goneQuiet = time.Second

// goneGuard tells an object deleted in the app from an endpoint that points
// at the wrong tenant (or an emptied one): there every managed object
// answers 404, and taking each 404 as "gone" would silently drop the whole
// state and plan to create everything again. One guard per client (per
// provider configuration and run).
type goneGuard struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever a read starts or ends
	inflight int
	found    int
	missing  int
	// AllowEmpty says the tenant may really be empty (the provider setting).
	allowEmpty bool
}

func (g *goneGuard) notify() {
	if g.changed != nil {
		close(g.changed)
	}
	g.changed = make(chan struct{})
}

// TenantMismatchError stops a refresh in which managed objects answer 404
// in a way an endpoint pointing at the wrong tenant would.
type TenantMismatchError struct {
	Endpoint     string
	ResourceType string
	Missing      int
	// Collection says what the collection showed: "empty", "missing" or "".
	Collection string
}

func (e *TenantMismatchError) Error() string {
	seen := fmt.Sprintf("all %d managed objects read at %s in this run answered 404 and none was found", e.Missing, e.Endpoint)
	switch e.Collection {
	case "empty":
		seen = fmt.Sprintf("the managed object answered 404 and %s%s lists nothing", e.Endpoint, e.ResourceType)
	case "missing":
		seen = fmt.Sprintf("the managed object answered 404 and %s%s itself answers 404", e.Endpoint, e.ResourceType)
	}
	return fmt.Sprintf("refusing to drop objects from the state: %s. The endpoint may point at the wrong tenant, "+
		"workspace or API version; check the endpoint and the credentials. If the objects really were deleted in the "+
		"app, set allow_empty_tenant = true in the provider block for this run", seen)
}

// ManagedRead starts a refresh of one object the caller manages; call the
// returned function with the read's result. It returns err unchanged,
// except for a 404 (ErrNotFound) that does not prove the object gone: when
// no read of this run found its object while every one answered 404, or
// when the only one answered 404 and the collection is empty or missing,
// it returns *TenantMismatchError instead.
func (c *Client) ManagedRead() func(ctx context.Context, resourceType string, err error) error {
	g := &c.gone
	g.mu.Lock()
	g.inflight++
	g.notify()
	g.mu.Unlock()
	return func(ctx context.Context, resourceType string, err error) error {
		g.mu.Lock()
		g.inflight--
		switch {
		case err == nil:
			g.found++
		case errors.Is(err, ErrNotFound):
			g.missing++
		}
		g.notify()
		if !errors.Is(err, ErrNotFound) || g.allowEmpty {
			g.mu.Unlock()
			return err
		}
		g.waitForOthers(ctx)
		found, missing := g.found, g.missing
		g.mu.Unlock()
		if ctx.Err() != nil {
			return ctx.Err() // undecided: never drop an object for lack of time
		}
		switch {
		case found > 0:
			return err
		case missing >= 2:
			return &TenantMismatchError{Endpoint: c.Endpoint(), ResourceType: resourceType, Missing: missing}
		}
		if state := c.collectionState(ctx, resourceType); state != "" {
			return &TenantMismatchError{Endpoint: c.Endpoint(), ResourceType: resourceType, Missing: missing, Collection: state}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
}

// waitForOthers waits, with mu held, until a read finds its object, or no
// read is in flight and none started for goneQuiet.
func (g *goneGuard) waitForOthers(ctx context.Context) {
	for g.found == 0 {
		changed := g.changed
		var quiet <-chan time.Time
		if g.inflight == 0 {
			quiet = time.After(goneQuiet)
		}
		g.mu.Unlock()
		select {
		case <-changed:
			g.mu.Lock()
			continue
		case <-quiet:
		case <-ctx.Done():
		}
		g.mu.Lock()
		return
	}
}

// collectionState is "missing" when the collection answers 404, "empty"
// when its first page lists nothing, and "" otherwise (or when it cannot
// tell: another error is not evidence).
func (c *Client) collectionState(ctx context.Context, resourceType string) string {
	if c.dialect.ListNeedsFilter && resourceType == "Users" {
		return "" // an unfiltered listing is refused: it proves nothing
	}
	p := c.newPager(resourceType, ListOptions{Attributes: []string{"id"}})
	listed := false
	err := p.next(ctx, func(jsonObject) error { listed = true; return nil })
	var se *Error
	switch {
	case errors.Is(err, ErrNotFound) || (errors.As(err, &se) && se.StatusCode == 404):
		return "missing"
	case err == nil && !listed:
		return "empty"
	}
	return ""
}
