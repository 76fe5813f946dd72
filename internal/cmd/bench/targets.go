package main

import (
	"fmt"
	"math"
	"runtime"
	"strings"
)

// find returns the measurement of a step for a provider at n resources
// (n = 0: the largest measured).
func (b *bench) find(step, provider string, n int) (measurement, bool) {
	var best measurement
	found := false
	for _, m := range b.results {
		if m.Step != step || m.Provider != provider || (n > 0 && m.Resources != n) {
			continue
		}
		if !found || m.Resources > best.Resources {
			best, found = m, true
		}
	}
	return best, found
}

// targets is the table of the performance targets, each with the figure
// this run measured (rows whose scenario did not run are left out).
func (b *bench) targets() string {
	var rows []string
	row := func(target, figure string, holds bool) {
		verdict := "yes"
		if !holds {
			verdict = "**no**"
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s |", target, figure, verdict))
	}
	wallRatio := func(step, a, c string) (float64, int, bool) {
		x, ok1 := b.find(step, a, 0)
		y, ok2 := b.find(step, c, x.Resources)
		if !ok1 || !ok2 || y.WallS == 0 {
			return 0, 0, false
		}
		return x.WallS / y.WallS, x.Resources, true
	}
	if r, n, ok := wallRatio("create", "scim", "floor"); ok {
		row(fmt.Sprintf("apply ≤ 1.2x the real-schema floor (%d users)", n), fmt.Sprintf("%.2fx", r), r <= 1.2)
	}
	if r, n, ok := wallRatio("plan", "scim", "floor"); ok {
		row(fmt.Sprintf("plan ≤ 1.3x the real-schema floor (%d users)", n), fmt.Sprintf("%.2fx", r), r <= 1.3)
	}
	// The schema targets allow for Terraform making them impossible: when
	// the protocol floors (no framework) are over the target too, the row
	// says so instead of a plain no.
	schemaRow := func(step, target string, limit float64) {
		r, n, ok := wallRatio(step, "floor", "minimal")
		if !ok {
			return
		}
		figure := fmt.Sprintf("%.2fx%s", r, b.terraformSchemaBound(step))
		verdict := "yes"
		if r > limit {
			verdict = "**no**"
			if alone, _, ok := wallRatio(step, "protocol", "protocol-minimal"); ok && alone > limit {
				verdict = fmt.Sprintf("**no**, out of reach: Terraform alone costs %.2fx", alone)
			}
		}
		rows = append(rows, fmt.Sprintf("| %s (%d users) | %s | %s |", target, n, figure, verdict))
	}
	schemaRow("create", "schema cost on apply ≤ 1.4x (real-schema floor ÷ minimal floor)", 1.4)
	schemaRow("plan", "schema cost on plan ≤ 1.15x", 1.15)
	if m, ok := b.find("plan", "scim", 0); ok && m.Requests > 0 {
		limit := int(math.Ceil(float64(m.Resources)/100)) + 10
		row(fmt.Sprintf("refresh of %d users that are the tenant ≤ ceil(N/100) + 10 = %d requests", m.Resources, limit),
			fmt.Sprint(m.Requests), m.Requests <= limit)
	}
	if m, ok := b.find("refresh-few", "scim", 0); ok {
		row(fmt.Sprintf("refresh of 10 users in a tenant of %d: about 10 requests, no listing", b.opts.tenant),
			fmt.Sprintf("%d requests, %.0f listings", m.Requests, m.Extra["listing requests"]), m.Requests <= 11 && m.Extra["listing requests"] == 0)
	}
	if m, ok := b.find("refresh-limited", "scim", 0); ok {
		span := m.Extra["seconds from first to last request"]
		row(fmt.Sprintf("refresh of %d users behind %d requests/s in < 30 s of requests", m.Resources, b.opts.rateLimit),
			fmt.Sprintf("%.1f s, %d requests", span, m.Requests), span < 30)
	}
	if r, n, ok := wallRatio("plan", "scim", "floor"); ok && n >= 10000 {
		row(fmt.Sprintf("no-change plan of %d users ≤ 1.1x the real-schema floor", n), fmt.Sprintf("%.2fx", r), r <= 1.1)
	}
	if m, ok := b.find("faults-destroy", "scim", 0); ok {
		r := m.Extra["destroy / create"]
		row(fmt.Sprintf("under random faults (%.0f%%, %d users): destroy ≤ 1.5x create", b.opts.faultShare*100, m.Resources),
			fmt.Sprintf("%.2fx (%.0f s)%s", r, m.WallS, b.faultFreeBaseline(m)), r > 0 && r <= 1.5)
	}
	for _, m := range b.results {
		behind, ok := strings.CutPrefix(m.Step, "rate-limited")
		if !ok || m.Provider != "scim" {
			continue
		}
		if behind != "" {
			behind = " (" + strings.TrimSpace(behind) + ")"
		}
		e := m.Extra["efficiency"]
		row(fmt.Sprintf("apply efficiency ≥ 0.9 behind %d requests/s%s", b.opts.rateLimit, behind),
			fmt.Sprintf("%.3f (%.3f while requests flow; %.3f at best after Terraform's %.1f s before the first request; the floor plans the same creates in %.1f s)",
				e, m.Extra["efficiency while requests flow"], m.Extra["efficiency bound after Terraform's own time"],
				m.Extra["seconds before the first request"], m.Extra["seconds the floor takes to plan the same creates"]), e >= 0.9)
	}
	for _, m := range b.results {
		mode, ok := strings.CutPrefix(m.Step, "fleet apply ")
		if !ok {
			continue
		}
		failed, refused, requests, worst := 0.0, 0.0, 0.0, 0.0
		for _, phase := range []string{"apply", "plan", "destroy"} {
			if p, ok := b.find("fleet "+phase+" "+mode, "scim", m.Resources); ok {
				failed += p.Extra["failed runs"]
				refused += p.Extra["refused share"] * float64(p.Requests)
				requests += float64(p.Requests)
				worst = max(worst, p.Extra["refused share"])
			}
		}
		refused /= max(requests, 1)
		wantEff, wantRefused := 0.85, 0.10
		if mode != "shared budget" {
			wantEff, wantRefused = 0.75, 0.25
		}
		e := m.Extra["efficiency"]
		row(fmt.Sprintf("%d workspaces × %.0f users at once behind %d/s, %s: no failed run, ≤ %.0f%% refused, apply efficiency ≥ %.2f",
			m.Resources, m.Extra["users per workspace"], b.opts.rateLimit, mode, 100*wantRefused, wantEff),
			fmt.Sprintf("%.0f failed, %.1f%% of %.0f requests refused (apply, plan, destroy; %.1f%% in the worst), efficiency %.3f (apply %.0f s, ideal %.0f s; workspaces %.0f-%.0f s)",
				failed, 100*refused, requests, 100*worst, e, m.WallS, m.Extra["ideal seconds"], m.Extra["fastest workspace seconds"], m.Extra["slowest workspace seconds"]),
			failed == 0 && refused <= wantRefused && e >= wantEff)
	}
	if m, ok := b.find("membership refresh", "scim", 0); ok {
		lists := m.Extra["member lists fetched"]
		row(fmt.Sprintf("refresh of %d memberships of one %d-member group: ≤ 10 requests, no member list fetched twice", m.Resources, m.Resources),
			fmt.Sprintf("%d requests, member list fetched %.0f times", m.Requests, lists), m.Requests <= 10 && lists <= 1)
	}
	// A create is its POST once the run has listed the users that existed
	// (see scim.userListing): only the creates before the listing paid
	// off look their name up first (issue 40's bound).
	if m, ok := b.find("create", "scim", 0); ok {
		row("≤ 1.05 requests per create", fmt.Sprintf("%.3f (%.3f POST)", m.RequestsPerResource, m.Extra["POST per resource"]),
			m.RequestsPerResource <= 1.05)
	}
	for _, w := range []struct{ step, method, what string }{
		{"update 10%", "PATCH per resource", "update"}, {"destroy", "PATCH per resource", "deactivate"},
	} {
		if m, ok := b.find(w.step, "scim", 0); ok {
			v := m.Extra[w.method]
			row(fmt.Sprintf("1 request per %s", w.what), fmt.Sprintf("%.2f", v), v <= 1.0)
		}
	}
	for _, mem := range []struct {
		n      int
		budget float64
	}{{1000, 100}, {10000, 400}} {
		peak := 0.0
		for _, m := range b.results {
			if m.Provider == "scim" && m.Resources == mem.n {
				peak = max(peak, m.PeakMiB)
			}
		}
		if peak > 0 {
			row(fmt.Sprintf("provider memory at %d users ≤ %.0f MiB", mem.n, mem.budget), fmt.Sprintf("%.0f MiB", peak), peak <= mem.budget)
		}
	}
	if len(rows) == 0 {
		return ""
	}
	return "### Targets\n\n| Target | Measured | Holds |\n|---|---:|---|\n" + strings.Join(rows, "\n") + "\n"
}

// faultFreeBaseline sets the fault scenario's destroy beside the same
// lifecycle without faults in this run (the users scenario at the same
// size), when it ran: Terraform itself destroys many instances more slowly
// than it creates them, so what the faults cost is the faulted step ÷ the
// clean one, and the clean destroy ÷ create is the ratio Terraform starts from.
func (b *bench) faultFreeBaseline(destroy measurement) string {
	cleanCreate, ok1 := b.find("create", "scim", destroy.Resources)
	cleanDestroy, ok2 := b.find("destroy", "scim", destroy.Resources)
	faultedCreate, ok3 := b.find("faults-create", "scim", destroy.Resources)
	if !ok1 || !ok2 || !ok3 || cleanCreate.WallS == 0 || cleanDestroy.WallS == 0 {
		return ""
	}
	return fmt.Sprintf("; without faults in this run destroy ÷ create = %.2fx (%.0f s ÷ %.0f s); the faults changed create by %+.0f%% and destroy by %+.0f%%",
		cleanDestroy.WallS/cleanCreate.WallS, cleanDestroy.WallS, cleanCreate.WallS,
		100*(faultedCreate.WallS/cleanCreate.WallS-1), 100*(destroy.WallS/cleanDestroy.WallS-1))
}

// terraformSchemaBound splits the schema's cost between the two processes.
// Terraform's own CPU time for the real schema over the machine's cores is
// the least the step can take whatever the provider (a process uses at
// most every core), set against the minimal floor's wall time; the rest is
// the provider process, which in the floor runs only the framework (no I/O,
// no logic), so its CPU beside the minimal floor's is the framework's cost.
// Where the protocol floors ran, their ratio is the schema's cost with the
// framework left out, which is Terraform's (and the protocol's) alone.
func (b *bench) terraformSchemaBound(step string) string {
	realFloor, ok1 := b.find(step, "floor", 0)
	minimal, ok2 := b.find(step, "minimal", realFloor.Resources)
	if !ok1 || !ok2 || minimal.WallS == 0 {
		return ""
	}
	var out string
	if realFloor.TerraformCPUS > 0 {
		cores := runtime.NumCPU()
		least := realFloor.TerraformCPUS / float64(cores)
		out = fmt.Sprintf("; Terraform's CPU alone (%.1f s on %d cores) makes it at least %.2fx; the framework in the floor's provider process spends %.1f s of CPU against %.1f s on the minimal schema",
			realFloor.TerraformCPUS, cores, least/minimal.WallS, realFloor.ProviderCPUS, minimal.ProviderCPUS)
	}
	protocol, ok1 := b.find(step, "protocol", realFloor.Resources)
	protocolMinimal, ok2 := b.find(step, "protocol-minimal", realFloor.Resources)
	if ok1 && ok2 && protocolMinimal.WallS > 0 {
		out += fmt.Sprintf("; without the framework (protocol floors) the schema costs %.2fx (%.1f s against %.1f s), and the framework adds %.1f s to the real schema and %.1f s to the minimal one",
			protocol.WallS/protocolMinimal.WallS, protocol.WallS, protocolMinimal.WallS,
			realFloor.WallS-protocol.WallS, minimal.WallS-protocolMinimal.WallS)
	}
	return out
}
