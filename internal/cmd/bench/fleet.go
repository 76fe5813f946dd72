package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// fleet applies, plans and destroys K workspaces of fleetUsers users each
// at once, against one app that allows rateLimit requests per second in
// fixed one-second windows and states it (RateLimit-Policy and
// RateLimit-Remaining on every answer, 429 with Retry-After beyond): the
// organisation that splits a tenant by team and runs the parts in parallel
// CI jobs. Each K runs twice: with the budget the provider shares between
// runs on one machine, and without it (share_rate_limit = false), as runs
// on separate machines would be.
func (b *bench) fleet() {
	for _, k := range b.opts.fleetSizes {
		for _, shared := range []bool{true, false} {
			b.fleetRun(k, shared)
		}
	}
}

// fleetPhase is what one command run in every workspace at once cost.
type fleetPhase struct {
	wall             time.Duration
	perWorkspace     []float64 // seconds
	accepted, refuse int
	failed           int
}

func (b *bench) fleetRun(k int, shared bool) {
	n, limit := b.opts.fleetUsers, b.opts.rateLimit
	mode := map[bool]string{true: "shared budget", false: "no shared budget"}[shared]
	server, err := startServer(scimtest.Options{Quirks: scimtest.Quirks{RateLimit: limit, RateLimitHeaders: true}})
	if err != nil {
		log.Fatal(err)
	}
	defer server.close()
	rec, err := startRecorder(server.url)
	if err != nil {
		log.Fatal(err)
	}
	defer rec.close()
	budgetDir := filepath.Join(b.opts.workDir, fmt.Sprintf("fleet-budget-%d-%v", k, shared))
	must(os.RemoveAll(budgetDir))
	var workspaces []*workspace
	for i := range k {
		ws, err := newWorkspace(b.opts, fmt.Sprintf("fleet-%d-%v-%d", k, shared, i), nil,
			"SCIM_ENDPOINT="+rec.url, "SCIM_TOKEN="+benchToken, "SCIM_RATE_LIMIT_DIR="+budgetDir,
			fmt.Sprintf("SCIM_SHARE_RATE_LIMIT=%v", shared))
		if err != nil {
			log.Fatal(err)
		}
		must(ws.write("main.tf", usersConfigNamed(fmt.Sprintf("team%d-", i), n, 0)))
		if _, err := ws.timed(b.opts.providerBin, 0, "init"); err != nil {
			log.Fatal(err)
		}
		workspaces = append(workspaces, ws)
	}
	phases := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"apply", []string{"apply", "-auto-approve"}, 0},
		{"plan", []string{"plan", "-detailed-exitcode"}, 0},
		{"destroy", []string{"destroy", "-auto-approve"}, 0},
	}
	for _, ph := range phases {
		rec.reset()
		p := b.fleetPhase(workspaces, ph.wantCode, ph.args...)
		api := rec.api()
		p.refuse = countAnswers(api, "", http.StatusTooManyRequests)
		p.accepted = len(api) - p.refuse
		ideal := float64(p.accepted) / float64(limit)
		refusedShare := float64(p.refuse) / float64(max(len(api), 1))
		efficiency := ideal / p.wall.Seconds()
		slices.Sort(p.perWorkspace)
		b.add(measurement{Scenario: fmt.Sprintf("fleet: %d workspaces × %d users behind %d/s, %s", k, n, limit, mode),
			Step: "fleet " + ph.name + " " + mode, Provider: "scim", Resources: k, WallS: p.wall.Seconds(),
			RunsS: p.perWorkspace, Requests: len(api), RequestsPerResource: float64(len(api)) / float64(k*n),
			Extra: map[string]float64{"efficiency": efficiency, "refused share": refusedShare, "ideal seconds": ideal,
				"failed runs": float64(p.failed), "fastest workspace seconds": p.perWorkspace[0],
				"slowest workspace seconds": p.perWorkspace[len(p.perWorkspace)-1], "users per workspace": float64(n)}})
	}
	// Every user once: retried or refused POSTs made no duplicate.
	if held := len(server.All("Users")); held != k*n {
		log.Fatalf("fleet: the app holds %d users, want %d", held, k*n)
	}
}

// fleetPhase runs one command in every workspace at once, each with its
// own provider process, and notes each one's time and failure.
func (b *bench) fleetPhase(workspaces []*workspace, wantCode int, args ...string) fleetPhase {
	var mu sync.Mutex
	var wg sync.WaitGroup
	p := fleetPhase{}
	start := time.Now()
	for _, ws := range workspaces {
		wg.Go(func() {
			u, err := ws.timed(b.opts.providerBin, wantCode, args...)
			mu.Lock()
			defer mu.Unlock()
			p.perWorkspace = append(p.perWorkspace, u.took.Seconds())
			if err != nil {
				p.failed++
				log.Printf("fleet: %s in %s failed: %v", args[0], ws.Path, err)
			}
		})
	}
	wg.Wait()
	p.wall = time.Since(start)
	return p
}
