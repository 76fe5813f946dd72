package scim

import (
	"sync"
	"sync/atomic"
	"time"
)

// runState is what a Client keeps for one Terraform run (one provider
// configuration, one plan or apply), apart from the stateless SCIM client:
// the wrong-tenant guard, the objects this run created or claimed and the
// creates under way, when it last wrote, and the pages and group reads a
// refresh shares. Nothing in it outlives the run or crosses to another
// configuration.
type runState struct {
	// gone tells deleted objects from a wrong or emptied tenant.
	gone goneGuard
	// created holds the ids of objects this client created or claimed in
	// this run, which a later create's lookup must never claim again.
	created sync.Map
	// creates counts the creates under way per object name (see startCreate).
	createsMu sync.Mutex
	creates   map[string]int
	// lastWriteNanos is when this client last sent a request that may
	// change the app (anything but GET): pages fetched before it are stale.
	lastWriteNanos atomic.Int64
	// userPages and groupPages serve a refresh from listing pages;
	// groupReads reads each group once per run for all its readers.
	userPages, groupPages *pagedReads
	groupReads            *groupReads
	// users is the listing of the users that existed, taken once a run
	// creates many (see userListing); userWrites keeps this run's creates,
	// deletes and deactivations of users out of the time it lists them.
	users      userListing
	userWrites sync.RWMutex
}

// writingUsers marks a create, delete or deactivation of a user under way
// until the returned release; it waits while the run lists its users.
func (r *runState) writingUsers() (release func()) {
	r.userWrites.RLock()
	return r.userWrites.RUnlock
}

// holdUserWrites waits for the run's writes of users under way and keeps
// new ones back until release.
func (r *runState) holdUserWrites() (release func()) {
	r.userWrites.Lock()
	return r.userWrites.Unlock
}

// lastWrite is when this client last sent a request other than GET.
func (c *Client) lastWrite() time.Time {
	if n := c.run.lastWriteNanos.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

func (c *Client) claim(id string) { c.run.created.Store(id, true) }

// startCreate counts a create of an object named key as under way until
// the returned end is called; others tells how many other creates of the
// same name are under way meanwhile. A create whose request failed cannot
// tell its own object from theirs while one is (its answer not yet back,
// its object not yet claimed).
func (c *Client) startCreate(key string) (others func() int, end func()) {
	c.run.createsMu.Lock()
	if c.run.creates == nil {
		c.run.creates = map[string]int{}
	}
	c.run.creates[key]++
	c.run.createsMu.Unlock()
	others = func() int {
		c.run.createsMu.Lock()
		defer c.run.createsMu.Unlock()
		return c.run.creates[key] - 1
	}
	end = sync.OnceFunc(func() {
		c.run.createsMu.Lock()
		defer c.run.createsMu.Unlock()
		c.run.creates[key]--
	})
	return others, end
}

func (c *Client) claimed(id string) bool {
	_, ok := c.run.created.Load(id)
	return ok
}
