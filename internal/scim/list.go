package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxTotalResults rejects absurd totals: no tenant has a billion users, and
// trusting such a number would make a caller page forever.
const maxTotalResults = 50_000_000

// ListOptions selects resources to list (RFC 7644 section 3.4.2).
type ListOptions struct {
	// Filter is a SCIM filter such as Eq("userName", "alice").
	Filter string
	// Attributes and ExcludedAttributes project the answer.
	Attributes         []string
	ExcludedAttributes []string
}

func (o ListOptions) query() url.Values {
	q := url.Values{}
	if o.Filter != "" {
		q.Set("filter", o.Filter)
	}
	if len(o.Attributes) > 0 {
		q.Set("attributes", joinComma(o.Attributes))
	}
	if len(o.ExcludedAttributes) > 0 {
		q.Set("excludedAttributes", joinComma(o.ExcludedAttributes))
	}
	return q
}

func joinComma(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

// list pages through resourcePath and calls fn for each resource once.
func (c *Client) list(ctx context.Context, resourcePath string, opts ListOptions, fn func(jsonObject) error) error {
	if c.dialect.ListNeedsFilter && resourcePath == "Users" && opts.Filter == "" {
		return fmt.Errorf("%w: %s lists users only for a filter (such as userName eq \"...\"), so every user cannot be "+
			"listed; look users up by userName, or import them by id", ErrUnsupported, c.dialect.App)
	}
	p := c.newPager(resourcePath, opts)
	for !p.done {
		if err := p.next(ctx, fn); err != nil {
			return err
		}
	}
	return nil
}

// pager walks one listing a page at a time. It advances startIndex by what
// actually came back (servers may cap pages below the asked count), stops
// on an empty page or when totalResults is reached, follows nextCursor
// (RFC 9865) when offered, and drops repeats by id.
type pager struct {
	c          *Client
	path       string
	opts       ListOptions
	seen       map[string]bool
	startIndex int
	cursor     string
	useCursor  bool
	pages      int
	// total is the app's totalResults as last stated (-1 when it states none).
	total int
	// lastSize is the number of resources on the last page fetched.
	lastSize int
	done     bool
	// restarts counts the times the listing started again because its
	// cursor expired (see cursorExpired).
	restarts int
	// exhaust: stop only on an empty page or the last of a cursor
	// listing, not on totalResults, which some apps misstate; repeated
	// says a page held nothing new (the app ignored startIndex).
	exhaust, repeated bool
	// firstTotal is the totalResults the first page stated (-1: none).
	firstTotal int
}

// maxCursorRestarts bounds how often one listing starts again after its
// cursor expired: a server whose cursors expire faster than pages come
// cannot be listed whole.
const maxCursorRestarts = 2

// cursorExpired reports whether err is a server's refusal of a cursor it
// no longer honours (RFC 9865 section 3: scimType expiredCursor, or
// invalidCursor, which some servers answer for an expired one).
func cursorExpired(err error) bool {
	var se *Error
	return errors.As(err, &se) && se.StatusCode == http.StatusBadRequest &&
		(strings.EqualFold(se.ScimType, "expiredCursor") || strings.EqualFold(se.ScimType, "invalidCursor"))
}

func (c *Client) newPager(resourcePath string, opts ListOptions) *pager {
	return &pager{c: c, path: resourcePath, opts: opts, seen: map[string]bool{}, total: -1, firstTotal: -1,
		startIndex: c.dialect.StartIndexBase, useCursor: c.dialect.CursorPaging}
}

// next fetches one page and calls fn for each resource not seen before;
// done is set after the last page.
func (p *pager) next(ctx context.Context, fn func(jsonObject) error) error {
	d := p.c.dialect
	if p.pages >= d.MaxPages {
		return fmt.Errorf("listing %s: stopped after %d pages; the server keeps returning results", p.path, p.pages)
	}
	p.pages++
	q := p.opts.query()
	q.Set("count", strconv.Itoa(d.PageSize))
	// A page asked for with a cursor the server gave is a page of a cursor
	// listing: one without nextCursor is its last, whatever totalResults says.
	followingCursor := p.cursor != ""
	switch {
	case p.cursor != "":
		q.Set("cursor", p.cursor)
	case p.useCursor:
		q.Set("cursor", "") // an empty cursor asks for cursor paging from the first page (RFC 9865)
	default:
		q.Set("startIndex", strconv.Itoa(p.startIndex))
	}
	resp, err := p.c.do(ctx, request{Method: "GET", Path: p.path, Query: q, Idempotent: true})
	if err != nil && p.cursor != "" && cursorExpired(err) && p.restarts < maxCursorRestarts {
		// Start again from the first page; what was yielded is skipped.
		p.restarts++
		p.c.log.WarnContext(ctx, "the listing's cursor expired; listing again from the first page", "path", p.path, "restart", p.restarts)
		p.cursor, p.useCursor = "", true
		return p.next(ctx, fn)
	}
	if err != nil {
		return err
	}
	obj, ok := parseObject(resp.Body)
	if !ok {
		return fmt.Errorf("listing %s: the answer is not a JSON ListResponse", p.path)
	}
	resources, _ := obj.list("Resources")
	total, hasTotal := obj.integer("totalResults")
	if hasTotal && (total < 0 || total > maxTotalResults) {
		return fmt.Errorf("listing %s: implausible totalResults %d", p.path, total)
	}
	if hasTotal {
		p.total = total
		if p.pages == 1 {
			p.firstTotal = total
		}
	}
	p.lastSize = len(resources)
	fresh := 0
	for _, r := range resources {
		m, ok := r.(map[string]any)
		if !ok {
			continue
		}
		item := jsonObject(m)
		id := item.str("id")
		if id != "" && p.seen[id] {
			continue
		}
		p.seen[id] = true
		fresh++
		if err := fn(item); err != nil {
			return err
		}
	}
	p.cursor = obj.str("nextCursor")
	switch {
	case p.cursor != "":
		return nil
	case len(resources) == 0, fresh == 0, followingCursor:
		p.done, p.repeated = true, len(resources) > 0 && fresh == 0
	case p.useCursor && !hasTotal:
		p.done = true // the last page of a cursor listing
	case hasTotal && p.startIndex-d.StartIndexBase+len(resources) >= total && !p.exhaust:
		p.done = true
	}
	p.useCursor = false // the server answered with index paging: go on that way
	p.startIndex += len(resources)
	return nil
}
