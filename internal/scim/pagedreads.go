package scim

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// RefreshMode chooses how a client answers the refresh reads of one run
// (one Client): one GET per object, or from listing pages fetched once.
type RefreshMode string

const (
	// RefreshAuto reads by GET until a run has read enough objects that
	// walking the listing costs fewer requests than it is likely to save.
	RefreshAuto RefreshMode = "auto"
	// RefreshPages walks the listing from the first read of the run.
	RefreshPages RefreshMode = "pages"
	// RefreshGet always reads one object with one GET.
	RefreshGet RefreshMode = "get"
)

// Auto mode's choice. A run's first autoWarmupReads reads are GETs: a run
// that reads only a few objects never lists. The next read fetches the
// first page, which states the tenant's size; the rest of the listing is
// walked once the reads so far reach a tenth of the pages it takes (a
// tenant of 10,000 users in pages of 100 is walked from the 11th read, for
// 10 + 100 requests instead of 10,000). A run that stops reading just past
// that point pays for a walk it did not need: at most 1.1 times the walk's
// requests in all. Nothing tells a provider how many reads a run will make.
const (
	autoWarmupReads   = 10
	autoPagesPerRead  = 10
	pagedReadsTimeout = 10 * time.Minute
)

// pagedReads answers reads of one collection (Users or Groups) from its
// listing, walked at most once per client. An object is served from a page
// only when the page was fetched after every write this client made, and
// after the caller's own record of its last write; anything a page did not
// contain is read by GET.
type pagedReads struct {
	c    *Client
	path string
	mode RefreshMode

	mu    sync.Mutex
	reads int
	state walkState
	// threshold is the number of reads from which the rest is walked (auto).
	threshold int
	pager     *pager
	objects   map[string]jsonObject
	// fetchedFrom is when the first page was asked for: every object held
	// is at least that fresh.
	fetchedFrom time.Time
	// changed is closed and replaced whenever a page arrives or the walk ends.
	changed chan struct{}
}

type walkState int

const (
	walkIdle     walkState = iota // no page fetched yet
	walkProbing                   // the first page is being fetched
	walkDeferred                  // first page held; the rest waits for the threshold
	walkRunning                   // the rest of the listing is being fetched
	walkDone                      // the whole listing is held
	walkOff                       // not used in this run (failed, or a write made it stale)
)

func newPagedReads(c *Client, path string, mode RefreshMode) *pagedReads {
	if mode == "" {
		mode = RefreshAuto
	}
	return &pagedReads{c: c, path: path, mode: mode, objects: map[string]jsonObject{}, changed: make(chan struct{})}
}

// lookup returns the object with id from the listing, fetching pages when
// the mode says so; ok is false when the caller should GET it.
func (p *pagedReads) lookup(ctx context.Context, id string, writtenAt time.Time) (jsonObject, bool) {
	if p.mode == RefreshGet || id == "" || p.c.Settling(writtenAt) {
		return nil, false
	}
	p.mu.Lock()
	p.reads++
	p.discardIfStale(ctx)
	switch {
	case p.state == walkIdle && (p.mode == RefreshPages || p.reads > autoWarmupReads):
		p.state = walkProbing
		p.fetchedFrom = time.Now()
		p.mu.Unlock()
		p.probe(ctx)
		p.mu.Lock()
	case p.state == walkDeferred && p.reads >= p.threshold:
		p.startWalk(ctx)
	}
	for {
		if p.state == walkOff || p.fetchedFrom.Before(writtenAt) {
			p.mu.Unlock()
			return nil, false
		}
		if o, ok := p.objects[id]; ok {
			delete(p.objects, id) // one read per object and run: the memory goes back as the run proceeds
			p.mu.Unlock()
			return o, true
		}
		if p.state != walkRunning && p.state != walkProbing {
			p.mu.Unlock()
			return nil, false // not listed (gone, or the listing shifted): GET says which
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, false
		}
		p.mu.Lock()
	}
}

// discardIfStale drops everything held once this client has written since
// the first page was fetched: a write to one object can change others
// (removing a user changes its groups' members). Called with mu held.
func (p *pagedReads) discardIfStale(ctx context.Context) {
	if p.state == walkIdle || p.state == walkOff {
		return
	}
	if last := p.c.lastWrite(); last.After(p.fetchedFrom) {
		p.c.log.DebugContext(ctx, "discarding listing pages older than this provider's last write", "path", p.path)
		p.off()
	}
}

// off stops answering from pages for the rest of the run. Called with mu held.
func (p *pagedReads) off() {
	p.state = walkOff
	p.objects = nil
	p.broadcast()
}

func (p *pagedReads) broadcast() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// probe fetches the first page and decides whether to walk the rest.
func (p *pagedReads) probe(ctx context.Context) {
	p.pager = p.c.newPager(p.path, ListOptions{})
	pageCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pagedReadsTimeout)
	defer cancel()
	err := p.fetchWith(pageCtx, p.pager)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != walkProbing {
		return
	}
	if err != nil {
		p.fail(ctx, err)
		return
	}
	if p.pager.done {
		p.state = walkDone
		p.broadcast()
		return
	}
	p.state = walkDeferred
	p.broadcast() // readers waiting for the first page look again
	p.threshold = 0
	if p.mode == RefreshAuto {
		p.threshold = max(autoWarmupReads, p.pagesLeft()/autoPagesPerRead)
	}
	p.c.log.DebugContext(ctx, "listing pages for refresh reads",
		"path", p.path, "total_results", p.pager.total, "pages_left", p.pagesLeft(),
		"walk_after_reads", p.threshold, "reads_so_far", p.reads)
	if p.reads >= p.threshold {
		p.startWalk(ctx)
	}
}

// pagesLeft estimates the pages still to fetch from totalResults and the
// size of the first page (an app may cap pages below the asked count).
func (p *pagedReads) pagesLeft() int {
	size := max(p.pager.lastSize, 1)
	if p.pager.total < 0 {
		return p.c.dialect.MaxPages
	}
	left := p.pager.total - len(p.pager.seen)
	return max(0, (left+size-1)/size)
}

// startWalk fetches the remaining pages in the background; readers are
// answered as the pages containing them arrive. Called with mu held.
func (p *pagedReads) startWalk(ctx context.Context) {
	p.state = walkRunning
	walkCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pagedReadsTimeout)
	if offsets := p.indexOffsets(); len(offsets) > 0 {
		go func() {
			defer cancel()
			p.fetchOffsets(walkCtx, ctx, offsets)
		}()
		return
	}
	go func() {
		defer cancel()
		for {
			p.mu.Lock()
			running, done := p.state == walkRunning, p.pager.done
			p.mu.Unlock()
			if !running {
				return
			}
			if done {
				p.mu.Lock()
				if p.state == walkRunning {
					p.state = walkDone
					p.broadcast()
				}
				p.mu.Unlock()
				return
			}
			if err := p.fetchWith(walkCtx, p.pager); err != nil {
				p.mu.Lock()
				p.fail(ctx, err)
				p.mu.Unlock()
				return
			}
		}
	}()
}

// fetchWith gets pg's next page and adds its objects. p.pager is only
// ever used by one goroutine at a time: the prober, then the walker.
func (p *pagedReads) fetchWith(ctx context.Context, pg *pager) error {
	page := map[string]jsonObject{}
	err := pg.next(ctx, func(o jsonObject) error {
		if id := o.str("id"); id != "" {
			page[id] = o
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == walkOff {
		return nil
	}
	for id, o := range page {
		p.objects[id] = o
	}
	p.broadcast()
	return nil
}

// fail gives up on pages for the run: reads go back to GET. Called with mu held.
func (p *pagedReads) fail(ctx context.Context, err error) {
	p.c.log.WarnContext(ctx, "listing for refresh failed; reading one object at a time", "path", p.path, "error", fmt.Sprint(err))
	p.off()
}

// walkWorkers is how many index pages are fetched at once: the rate
// limiter still paces them, and a reader waits for one page, not for all
// those before it.
const walkWorkers = 4

// indexOffsets lists the startIndex of every page still to fetch when the
// app pages by index and stated its total; nil means walk page by page
// (cursor paging, or no total). Called with mu held.
func (p *pagedReads) indexOffsets() []int {
	pg := p.pager
	if pg.cursor != "" || pg.useCursor || pg.total < 0 || pg.lastSize <= 0 {
		return nil
	}
	var offsets []int
	end := p.c.dialect.StartIndexBase + pg.total
	for at := pg.startIndex; at < end && len(offsets) < p.c.dialect.MaxPages; at += pg.lastSize {
		offsets = append(offsets, at)
	}
	return offsets
}

// fetchOffsets fetches the pages at offsets with walkWorkers at once.
func (p *pagedReads) fetchOffsets(walkCtx, logCtx context.Context, offsets []int) {
	next := make(chan int)
	var failed atomic.Value
	var wg sync.WaitGroup
	for range min(walkWorkers, len(offsets)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for at := range next {
				if failed.Load() != nil {
					continue
				}
				page := p.c.newPager(p.path, ListOptions{})
				page.startIndex = at
				if err := p.fetchWith(walkCtx, page); err != nil {
					failed.Store(err)
				}
			}
		}()
	}
	for _, at := range offsets {
		next <- at
	}
	close(next)
	wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err, _ := failed.Load().(error); err != nil {
		p.fail(logCtx, err)
		return
	}
	if p.state == walkRunning {
		p.state = walkDone
		p.broadcast()
	}
}
