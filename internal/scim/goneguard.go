package scim

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
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
//
// Each object is judged once per run (the memberships of a deleted group
// read the same group: one object, one verdict), and the evidence that the
// endpoint is the right tenant does not depend on how many objects of a
// kind exist or in which order Terraform reads them: any managed object
// found in this run, or a witness, an object the caller knows belongs to
// this tenant (a member of the group, the member of a membership), that
// answers. Ids are the tenant's own, so another tenant answers 404 for them;
// small numbers, which another tenant may count too, are no proof (countedID).
type goneGuard struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever a read starts or ends
	inflight int
	found    int
	// missing holds the objects ("Groups/id") that answered 404.
	missing map[string]bool
	// verdicts holds the outcome of each object judged gone or not.
	verdicts map[string]error
	// witnesses holds what each witness ("Users/id") answered: true when found.
	witnesses map[string]bool
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
	// Missing lists the managed objects ("Groups/id") that answered 404 in
	// this run, each once.
	Missing []string
	// Witnesses lists what the objects known to belong to this tenant
	// answered ("Users/id: 404").
	Witnesses []string
	// Collection says what the collection showed: "empty", "missing" or "".
	Collection string
}

func (e *TenantMismatchError) Error() string {
	objects := e.Missing
	if len(objects) > 3 {
		objects = append(slices.Clone(objects[:3]), fmt.Sprintf("and %d more", len(e.Missing)-3))
	}
	seen := fmt.Sprintf("%d managed objects read at %s in this run answered 404 (%s) and none was found",
		len(e.Missing), e.Endpoint, strings.Join(objects, ", "))
	switch e.Collection {
	case "empty":
		seen = fmt.Sprintf("%s answered 404, no other managed object was read, and %s%s lists nothing",
			strings.Join(objects, ", "), e.Endpoint, e.ResourceType)
	case "missing":
		seen = fmt.Sprintf("%s answered 404, no other managed object was read, and %s%s itself answers 404",
			strings.Join(objects, ", "), e.Endpoint, e.ResourceType)
	}
	if len(e.Witnesses) > 0 {
		seen += "; objects known to belong to this tenant are missing too (" + strings.Join(e.Witnesses, ", ") + ")"
	}
	return fmt.Sprintf("refusing to take managed objects as deleted: %s. The endpoint may point at the wrong tenant, "+
		"workspace or API version", seen)
}

// ManagedRead starts a refresh of one object the caller manages
// (resourceType "Users" or "Groups", and its id); call the returned
// function with the read's result. witnesses are ids of users (or groups)
// the caller knows belong to this tenant, such as the object's members.
// It returns err unchanged, except for a 404 (ErrNotFound) that does not
// prove the object gone: when no read of this run found its object, no
// witness answered, and a witness answered 404, or two objects answered
// 404, or the only one did and the collection is empty or missing, it
// returns *TenantMismatchError instead (see judgeMissing).
func (c *Client) ManagedRead(resourceType, id string, witnesses ...string) func(ctx context.Context, err error) error {
	g := &c.run.gone
	key := resourceType + "/" + id
	g.mu.Lock()
	g.inflight++
	g.notify()
	g.mu.Unlock()
	return func(ctx context.Context, err error) error {
		g.mu.Lock()
		g.inflight--
		if g.missing == nil {
			g.missing, g.verdicts, g.witnesses = map[string]bool{}, map[string]error{}, map[string]bool{}
		}
		switch {
		case err == nil && !countedID(id):
			g.found++ // an object of this tenant: another tenant answers 404 for its id
		case err == nil:
			// Found under a small number, which another tenant may count
			// too: no proof of the tenant.
		case errors.Is(err, ErrNotFound):
			g.missing[key] = true
		}
		g.notify()
		if !errors.Is(err, ErrNotFound) || g.allowEmpty {
			g.mu.Unlock()
			return err
		}
		g.mu.Unlock()
		verdict := c.judgeMissing(ctx, key, resourceType, witnesses, err)
		if ctx.Err() != nil {
			return ctx.Err() // undecided: never drop an object for lack of time
		}
		return verdict
	}
}

// judgeMissing decides what a 404 of a managed object means: notFound when
// the endpoint is shown to be the right tenant, *TenantMismatchError when
// it may not be. A witness that answers is proof; a witness that answers
// 404 (an object of this tenant missing too) is evidence of the wrong
// tenant; without either, two objects missing and none found, or the only
// one missing from an empty or missing collection, stop the refresh.
func (c *Client) judgeMissing(ctx context.Context, key, resourceType string, witnesses []string, notFound error) error {
	g := &c.run.gone
	answered, refuted := c.askWitnesses(ctx, witnesses)
	g.mu.Lock()
	defer g.mu.Unlock()
	if answered {
		g.found++ // an object of this tenant found: evidence for every read
		g.notify()
		return notFound
	}
	mismatch := &TenantMismatchError{Endpoint: c.Endpoint(), ResourceType: resourceType, Witnesses: refuted}
	if verdict, judged := g.verdicts[key]; judged && len(refuted) == 0 {
		return verdict
	}
	g.waitForOthers(ctx)
	mismatch.Missing = slices.Sorted(maps.Keys(g.missing))
	if ctx.Err() != nil {
		return ctx.Err()
	}
	verdict := notFound
	switch {
	case g.found > 0:
	case len(refuted) > 0, len(mismatch.Missing) >= 2:
		verdict = mismatch
	default:
		g.mu.Unlock()
		mismatch.Collection = c.collectionState(ctx, resourceType)
		g.mu.Lock()
		if mismatch.Collection != "" {
			verdict = mismatch
		}
	}
	if len(refuted) == 0 {
		g.verdicts[key] = verdict
	}
	return verdict
}

// askWitnesses asks each witness (as a user, then as a group: a member may
// be either) whether it is at this endpoint, once per run: answered is true
// when one is found, refuted lists those that answered 404 ("Users/id:
// 404"). An answer other than found or 404 is no evidence either way.
func (c *Client) askWitnesses(ctx context.Context, witnesses []string) (answered bool, refuted []string) {
	g := &c.run.gone
	for _, w := range witnesses[:min(len(witnesses), 2)] {
		missingAs := 0
		for _, rt := range []string{"Users", "Groups"} {
			key := rt + "/" + w
			g.mu.Lock()
			found, asked := g.witnesses[key]
			g.mu.Unlock()
			if !asked {
				_, err := c.do(ctx, request{Method: "GET", Path: rt + "/" + url.PathEscape(w), Idempotent: true,
					Query: url.Values{"attributes": {"id"}}})
				if err != nil && !errors.Is(err, ErrNotFound) {
					break
				}
				found = err == nil
				g.mu.Lock()
				g.witnesses[key] = found
				g.mu.Unlock()
			}
			if found && !countedID(w) {
				return true, nil
			}
			if found {
				break // no proof either way: another tenant may hold the same number
			}
			missingAs++
		}
		if missingAs == 2 {
			refuted = append(refuted, w+": 404 as a user and as a group")
		}
	}
	return false, refuted
}

// countedID reports whether id may be a number counted per tenant (up to
// eleven digits): another tenant may hold an object of the same id, so
// finding it proves nothing about which tenant the endpoint is. Longer
// numbers (snowflake ids), UUIDs and other ids are the tenant's own.
func countedID(id string) bool {
	if id == "" || len(id) > 11 {
		return false
	}
	for _, r := range id {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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
