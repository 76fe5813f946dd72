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
// considers listing the users: fewer are cheaper looked up one by one.
const listAfterCreates = 10

func (l *listedUsers) holds(name string) bool { return l.names[strings.ToLower(name)] }

// listedBefore returns this run's listing of the users, taking it when it
// has come due, or nil while creates look their names up one by one. A
// listing that cannot be complete (the app cannot list users whole, or it
// lists fewer than it says it has) is given up for the run.
func (s *UsersService) listedBefore(ctx context.Context) *listedUsers {
	l := &s.client.run.users
	l.mu.Lock()
	defer l.mu.Unlock()
	l.creates++
	if l.done || l.creates < listAfterCreates {
		return l.listed
	}
	if l.due == 0 {
		first, pages, err := s.listUsers(ctx, 1)
		if err != nil {
			l.done = true
			return nil
		}
		if first != nil {
			l.done, l.listed = true, first
			return first
		}
		l.due = max(listAfterCreates, pages)
	}
	if l.creates < l.due {
		return nil
	}
	l.listed, _, _ = s.listUsers(ctx, 0)
	l.done = true
	return l.listed
}

// listUsers lists every user's id and userName, in at most maxPages pages
// (0: all). It returns nil with the number of pages the listing takes
// when more remain, and nil with an error when it cannot be complete.
func (s *UsersService) listUsers(ctx context.Context, maxPages int) (*listedUsers, int, error) {
	listed := &listedUsers{names: map[string]bool{}, ids: map[string]bool{}}
	p := s.client.newPager("Users", ListOptions{Attributes: []string{"userName"}})
	for !p.done {
		if maxPages > 0 && p.pages == maxPages {
			pageSize := max(1, p.lastSize)
			return nil, (max(p.total, 0) + pageSize - 1) / pageSize, nil
		}
		err := p.next(ctx, func(o jsonObject) error {
			listed.ids[o.str("id")] = true
			listed.names[strings.ToLower(o.str("userName"))] = true
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	// A listing is complete only where the app says how many users it has
	// and showed as many: one that stopped early (startIndex ignored, a
	// page cap) would take a user that exists for one that does not.
	if p.total < 0 || len(listed.ids) < p.total {
		s.client.log.DebugContext(ctx, "the users listing is not complete; creates look their names up one by one",
			"listed", len(listed.ids), "total", p.total)
		return nil, 0, errIncompleteListing
	}
	return listed, p.pages, nil
}
