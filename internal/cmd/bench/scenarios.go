package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/benchconfig"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

const providersTF = `
terraform {
  required_providers {
    scim = { source = "scim-terraform/scim" }
  }
}
provider "scim" {}
`

// usersConfig declares n users; the first changed of them get the "v2" title.
func usersConfig(n, changed int) string {
	return usersConfigNamed("user", n, changed)
}

// usersConfigNamed is usersConfig with user names that start with prefix.
func usersConfigNamed(prefix string, n, changed int) string {
	return providersTF + benchconfig.Users(prefix, n, changed)
}

type step struct {
	name     string
	config   string
	args     []string
	wantCode int
}

// binary returns the provider binary and its extra environment for a kind:
// the real provider, the floor with the real or another scim_user schema,
// or the protocol floor (no framework) with the real or the minimal schema.
func (b *bench) binary(kind string) (string, []string) {
	switch {
	case kind == "scim":
		return b.opts.providerBin, nil
	case kind == "floor":
		return b.opts.floorBin, []string{"FLOOR_SCHEMA=real"}
	case kind == "minimal":
		return b.opts.floorBin, []string{"FLOOR_SCHEMA=minimal"}
	case kind == "protocol":
		return b.opts.floorBin, []string{"FLOOR_SERVER=protocol", "FLOOR_SCHEMA=real"}
	case kind == "protocol-minimal":
		return b.opts.floorBin, []string{"FLOOR_SERVER=protocol", "FLOOR_SCHEMA=minimal"}
	case strings.HasPrefix(kind, "floor:"):
		return b.opts.floorBin, []string{"FLOOR_SCHEMA=" + strings.TrimPrefix(kind, "floor:")}
	}
	log.Fatalf("bench: unknown provider kind %q", kind)
	return "", nil
}

// lifecycleSteps says which steps after create and plan a lifecycle runs.
type lifecycleSteps struct {
	update, destroy bool
}

// lifecycle is create, no-change plan and, as asked, a 10% update and
// destroy of n users for one provider kind, run several times. The real
// provider also plans once with paged_refresh = "never", to show what paged
// refresh saves.
type lifecycle struct {
	kind    string
	n       int
	steps   []step
	results []stepResults // one per step
}

// stepResults is what the runs of one step measured.
type stepResults struct {
	walls, terraformCPU, providerCPU []float64
	peak                             float64
	reqs                             int // of the last run
	methods                          map[string]int
}

func newLifecycle(kind string, n int, also lifecycleSteps) *lifecycle {
	config := usersConfig
	steps := []step{
		{"create", config(n, 0), []string{"apply", "-auto-approve"}, 0},
		{"plan", config(n, 0), []string{"plan", "-detailed-exitcode"}, 0},
	}
	if kind == "scim" {
		steps = append(steps, step{"plan, one GET each", config(n, 0), []string{"plan", "-detailed-exitcode"}, 0})
	}
	if also.update {
		steps = append(steps, step{"update 10%", config(n, n/10), []string{"apply", "-auto-approve"}, 0})
	}
	if also.destroy {
		steps = append(steps, step{"destroy", config(n, n/10), []string{"destroy", "-auto-approve"}, 0})
	}
	return &lifecycle{kind: kind, n: n, steps: steps, results: make([]stepResults, len(steps))}
}

// lifecycles runs each lifecycle once per run, taking turns, and records
// the medians: a slow spell of the machine (single runs vary by 10-20%)
// then falls on every provider kind alike instead of on the one whose runs
// it happened to meet.
func (b *bench) lifecycles(ls ...*lifecycle) {
	for run := 0; run < b.opts.runs; run++ {
		for _, l := range ls {
			b.lifecycleRun(l, run)
		}
	}
	for _, l := range ls {
		for i, st := range l.steps {
			r := l.results[i]
			m := lifecycleMeasurement(l.kind, st.name, l.n, r.walls, r.peak, r.reqs, r.methods)
			m.TerraformCPUS, m.ProviderCPUS = median(r.terraformCPU), median(r.providerCPU)
			b.add(m)
		}
	}
}

// lifecycleRun runs every step of l once, in a fresh workspace.
func (b *bench) lifecycleRun(l *lifecycle, run int) {
	bin, env := b.binary(l.kind)
	ws, server := b.workspace(l.kind, fmt.Sprintf("lifecycle-%s-%d-%d", strings.ReplaceAll(l.kind, ":", "-"), l.n, run), env...)
	for i := 0; server != nil && i < b.opts.prefill; i++ {
		server.putUser(map[string]any{"userName": fmt.Sprintf("existing-%05d@example.com", i), "active": false})
	}
	must(ws.write("main.tf", l.steps[0].config))
	if _, err := ws.timed(bin, 0, "init"); err != nil {
		log.Fatal(err)
	}
	for i, st := range l.steps {
		must(ws.write("main.tf", st.config))
		if server != nil {
			server.ResetCounts()
		}
		stepWS := ws
		if st.name == "plan, one GET each" {
			stepWS = ws.with("SCIM_PAGED_REFRESH=never")
		}
		u, err := stepWS.timed(bin, st.wantCode, st.args...)
		if err != nil {
			log.Fatalf("%s/%s: %v", l.kind, st.name, err)
		}
		r := &l.results[i]
		r.walls = append(r.walls, u.took.Seconds())
		r.terraformCPU, r.providerCPU = append(r.terraformCPU, u.terraformCPU), append(r.providerCPU, u.providerCPU)
		r.peak = max(r.peak, u.peakMiB)
		if server != nil {
			r.reqs, r.methods = server.apiRequests(), server.methodCounts()
		}
	}
	if server != nil {
		server.close()
	}
}

// lifecycleMeasurement records one step's medians and, for the real
// provider, its requests per resource: writes are per changed user, reads
// (Terraform's refresh) per user.
func lifecycleMeasurement(kind, name string, n int, walls []float64, peak float64, reqs int, methods map[string]int) measurement {
	m := measurement{Scenario: fmt.Sprintf("users: %s", name), Step: name, Provider: kind, Resources: n,
		WallS: median(walls), RunsS: walls, PeakMiB: peak}
	if kind != "scim" {
		return m
	}
	m.Requests = reqs
	m.RequestsPerResource = float64(reqs) / float64(n)
	m.Extra = map[string]float64{}
	for method, count := range methods {
		per := n
		if strings.Contains(name, "update") && method != "GET" {
			per = n / 10
		}
		m.Extra[method+" per resource"] = float64(count) / float64(per)
	}
	return m
}

// usersLifecycle runs the lifecycle at each size for the real provider and
// both floors. The chart needs only create and plan at every size; the 10%
// update (requests per update) and, for the real provider, destroy (requests
// per deactivation, the fault-free baseline of the faults scenario) run at
// the largest size, where the targets read them. At the largest size both
// schemas also create and plan through the protocol floor, which leaves the
// framework out: the schema's cost to Terraform alone, for the targets.
func (b *bench) usersLifecycle() {
	for i, n := range b.opts.sizes {
		largest := i == len(b.opts.sizes)-1
		var ls []*lifecycle
		for _, kind := range []string{"scim", "floor", "minimal"} {
			ls = append(ls, newLifecycle(kind, n, lifecycleSteps{update: largest, destroy: largest && kind == "scim"}))
		}
		if largest {
			ls = append(ls, newLifecycle("protocol", n, lifecycleSteps{}), newLifecycle("protocol-minimal", n, lifecycleSteps{}))
		}
		b.lifecycles(ls...)
	}
}

// schemaVariants measures create and plan of the largest size against the
// floor with each variant of the scim_user schema.
func (b *bench) schemaVariants() {
	n := b.opts.sizes[len(b.opts.sizes)-1]
	var ls []*lifecycle
	for _, v := range []string{"real", "minimal", "used-only", "no-modifiers", "sets", "optional-only", "no-timeouts"} {
		ls = append(ls, newLifecycle("floor:"+v, n, lifecycleSteps{update: true}))
	}
	b.lifecycles(ls...)
}

// groupConfig writes the member ids out literally: Terraform's range()
// stops at 1,024 values.
func groupConfig(n int, swapped bool) string {
	ids := make([]string, 0, n)
	for i := 0; i < n-1; i++ {
		ids = append(ids, fmt.Sprintf("%q", fmt.Sprintf("member-%06d", i)))
	}
	last := "member-last-a"
	if swapped {
		last = "member-last-b"
	}
	ids = append(ids, fmt.Sprintf("%q", last))
	return providersTF + fmt.Sprintf(`
resource "scim_group" "big" {
  display_name = "Big group"
  members      = [%s]
}
`, strings.Join(ids, ", "))
}

// bigGroup measures a group of many members: create, change one member,
// no-change plan.
func (b *bench) bigGroup() {
	n := b.opts.groupSize
	steps := []step{
		{"group: create", groupConfig(n, false), []string{"apply", "-auto-approve"}, 0},
		{"group: change one member", groupConfig(n, true), []string{"apply", "-auto-approve"}, 0},
		{"group: no-change plan", groupConfig(n, true), []string{"plan", "-detailed-exitcode"}, 0},
	}
	for _, kind := range []string{"scim", "floor"} {
		bin, env := b.binary(kind)
		walls := make([][]float64, len(steps))
		peaks := make([]float64, len(steps))
		reqs := make([]map[string]int, len(steps))
		for run := 0; run < b.opts.runs; run++ {
			ws, server := b.workspace(kind, fmt.Sprintf("group-%s-%d", kind, run), env...)
			must(ws.write("main.tf", steps[0].config))
			if _, err := ws.timed(bin, 0, "init"); err != nil {
				log.Fatal(err)
			}
			for i, st := range steps {
				must(ws.write("main.tf", st.config))
				if server != nil {
					server.ResetCounts()
				}
				u, err := ws.timed(bin, st.wantCode, st.args...)
				if err != nil {
					log.Fatalf("group %s/%s: %v", kind, st.name, err)
				}
				walls[i], peaks[i] = append(walls[i], u.took.Seconds()), max(peaks[i], u.peakMiB)
				if server != nil {
					reqs[i] = map[string]int{"GET": server.Count("GET") - server.Count("discovery"), "PATCH": server.Count("PATCH"),
						"POST": server.Count("POST"), "all": server.apiRequests()}
				}
			}
			if server != nil {
				server.close()
			}
		}
		for i, st := range steps {
			m := measurement{Scenario: fmt.Sprintf("%s (%d members)", st.name, n), Step: st.name, Provider: kind, Resources: 1,
				WallS: median(walls[i]), RunsS: walls[i], PeakMiB: peaks[i]}
			if kind == "scim" {
				m.Requests, m.RequestsPerResource = reqs[i]["all"], float64(reqs[i]["all"])
				m.Extra = map[string]float64{"PATCH": float64(reqs[i]["PATCH"]), "GET": float64(reqs[i]["GET"]), "POST": float64(reqs[i]["POST"])}
			}
			b.add(m)
		}
	}
}

// floorCreatePlan times a plan of config from an empty state with the no-I/O
// floor provider: what Terraform and the framework spend on planning it
// whatever the provider does.
func (b *bench) floorCreatePlan(name, config string) (float64, error) {
	ws, err := newWorkspace(b.opts, name, nil)
	if err != nil {
		return 0, err
	}
	if err := ws.write("main.tf", config); err != nil {
		return 0, err
	}
	if _, err := ws.timed(b.opts.floorBin, 0, "init"); err != nil {
		return 0, err
	}
	u, err := ws.timed(b.opts.floorBin, 0, "plan", "-refresh=false", "-out=floor.tfplan")
	return u.took.Seconds(), err
}

// apiLog leaves out discovery requests.
func apiLog(log []scimtest.Request) []scimtest.Request {
	var out []scimtest.Request
	for _, r := range log {
		if !isDiscovery(r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// isDiscovery says whether a request path is one of the discovery
// endpoints the provider reads once per Terraform command.
func isDiscovery(path string) bool {
	return strings.HasSuffix(path, "/ServiceProviderConfig") || strings.HasSuffix(path, "/Schemas")
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// workspace prepares a fresh working directory for one run, with a local
// SCIM server when the real provider is measured (nil otherwise).
func (b *bench) workspace(kind, name string, env ...string) (*workspace, *localServer) {
	var server *localServer
	if kind == "scim" {
		var err error
		if b.opts.usersEndpoint != "" && strings.HasPrefix(name, "lifecycle-") {
			server, err = startCountingProxy(b.opts.usersEndpoint)
		} else {
			server, err = startServer(scimtest.Options{})
		}
		if err != nil {
			log.Fatal(err)
		}
	}
	ws, err := newWorkspace(b.opts, name, server, env...)
	if err != nil {
		log.Fatal(err)
	}
	return ws, server
}
