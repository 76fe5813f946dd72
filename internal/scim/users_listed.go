package scim

import (
	"context"
	"strings"
	"sync"
)

// A create must know which users existed before its POST: after an
// ambiguous failure (a 5xx, a reset, a timeout), only a user that was not
// there can be the one the POST made. One lookup of the name before each
// POST tells it, at the price of a second request per create. A run that
// creates many users lists the app's users once instead, and a create of
// a name the listing does not hold sends its POST alone; a name it holds
// is looked up as before (the user may be one to reactivate or refuse).
//
// The listing costs a request a page, so it is taken only once the run
// has begun as many creates as the listing has pages (the lookups until
// then cost no more than the listing would have): a run of a few creates
// into a large tenant never pays for it.
type userListing struct {
	mu sync.Mutex
	// creates counts the user creates begun in this run; due is the count
	// at which the listing pays off (0 until the first page told the size).
	creates, due int
	// done: taken or given up; listed is nil when given up.
	done   bool
	listed *listedUsers
}

// listedUsers is what one listing showed, by lower-cased userName and id.
type listedUsers struct {
	names map[string]bool
	ids   map[string]bool
}

// listAfterCreates is how many user creates a run begins before it
// considers listing the users: one or two are cheaper looked up one by
// one. It stays well below Terraform's parallelism (10): a listing taken
// while many creates are under way holds them all back and lets them go
// at once, a burst that an app's rate limit refuses.
const listAfterCreates = 3

func (l *listedUsers) holds(name string) bool { return l.names[strings.ToLower(name)] }

// listedBefore returns this run's listing of the users, taking it when it
// has come due, or nil while creates look their names up one by one. A
// listing that cannot be trusted whole is given up for the run (see
// listUsers).
func (s *UsersService) listedBefore(ctx context.Context) *listedUsers {
	l := &s.client.run.users
	l.mu.Lock()
	defer l.mu.Unlock()
	l.creates++
	if l.done || l.creates < listAfterCreates {
		return l.listed
	}
	if s.client.dialect.ListNeedsFilter {
		l.done = true // the app lists users only for a filter
		return nil
	}
	if l.due == 0 {
		pages, err := s.listingPages(ctx)
		if err != nil {
			l.done = true
			return nil
		}
		l.due = max(listAfterCreates, pages)
	}
	if l.creates < l.due {
		return nil
	}
	l.listed, _ = s.listUsers(ctx)
	l.done = true
	return l.listed
}

// listingPages is how many pages a listing of the users takes, from the
// first page's totalResults.
func (s *UsersService) listingPages(ctx context.Context) (int, error) {
	p := s.client.newPager("Users", ListOptions{Attributes: []string{"userName"}})
	if err := p.next(ctx, func(jsonObject) error { return nil }); err != nil {
		return 0, err
	}
	if p.total < 0 {
		return 0, errIncompleteListing
	}
	return p.total/max(1, p.lastSize) + 1, nil
}

// listUsers lists every user's id and userName while this run sends no
// create, delete or deactivation of a user (writeUsers), so that the
// run's own writes cannot shift the pages. It is trusted only when whole:
// paged to an empty page (not stopped on totalResults, which some apps
// misstate), no page repeated (an app that ignores startIndex), the same
// totalResults first and last, as many users as it states, and a userName
// for every one. Writes by others meanwhile remain a risk it cannot see.
func (s *UsersService) listUsers(ctx context.Context) (*listedUsers, error) {
	release := s.client.run.holdUserWrites()
	defer release()
	listed := &listedUsers{names: map[string]bool{}, ids: map[string]bool{}}
	p := s.client.newPager("Users", ListOptions{Attributes: []string{"userName"}})
	p.exhaust = true
	nameless := 0
	for !p.done {
		err := p.next(ctx, func(o jsonObject) error {
			name := o.str("userName")
			if name == "" {
				nameless++
			}
			listed.ids[o.str("id")] = true
			listed.names[strings.ToLower(name)] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if p.repeated || nameless > 0 || p.total < 0 || p.total != p.firstTotal || len(listed.ids) != p.total {
		s.client.log.DebugContext(ctx, "the users listing cannot be trusted whole; creates look their names up one by one",
			"listed", len(listed.ids), "total", p.total, "first_total", p.firstTotal, "repeated", p.repeated, "nameless", nameless)
		return nil, errIncompleteListing
	}
	return listed, nil
}
