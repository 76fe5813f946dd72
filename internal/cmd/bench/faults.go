package main

import (
	"fmt"
	"log"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// faultSteps are the two steps of the faults scenario, in order.
var faultSteps = []struct{ name, command string }{{"create", "apply"}, {"destroy", "destroy"}}

// faultRun is what one step of one run of the faults scenario measured.
type faultRun struct {
	wallS    float64
	requests int
	answers  map[string]int // faulted answers by kind (scimtest.Fault*)
}

// faults creates and destroys users through the fault mix, runs times, and
// records the medians. The target is a destroy that takes no more than 1.5
// times the create: 429s that are not about the request rate must not
// drive the pace down. The ratio is taken within each run (both steps meet
// the same spell of the machine) and its median reported.
func (b *bench) faults() {
	n := b.opts.faultUsers
	byStep := make([][]faultRun, len(faultSteps))
	var ratios []float64
	for run := 0; run < b.opts.runs; run++ {
		steps := b.faultsOnce(run)
		for i, s := range steps {
			byStep[i] = append(byStep[i], s)
		}
		if steps[0].wallS > 0 {
			ratios = append(ratios, steps[1].wallS/steps[0].wallS)
		}
	}
	for i, st := range faultSteps {
		var walls, requests []float64
		answers := map[string][]float64{}
		for _, r := range byStep[i] {
			walls = append(walls, r.wallS)
			requests = append(requests, float64(r.requests))
			for _, kind := range []string{scimtest.Fault429, scimtest.Fault503, scimtest.FaultHTML500} {
				answers[kind] = append(answers[kind], float64(r.answers[kind]))
			}
		}
		all := int(median(requests))
		m := measurement{Scenario: fmt.Sprintf("random faults (%.0f%%): %s", b.opts.faultShare*100, st.name), Step: "faults-" + st.name,
			Provider: "scim", Resources: n, WallS: median(walls), RunsS: walls, Requests: all,
			RequestsPerResource: float64(all) / float64(n),
			Extra: map[string]float64{"429 answers": median(answers[scimtest.Fault429]), "503 answers": median(answers[scimtest.Fault503]),
				"HTML 500 answers": median(answers[scimtest.FaultHTML500]),
				"share of 429s":    median(answers[scimtest.Fault429]) / float64(max(all, 1))}}
		if st.name == "destroy" {
			m.Extra["destroy / create"] = median(ratios)
		}
		b.add(m)
	}
}

// faultsOnce runs the create and the destroy once against a fresh server
// behind the fault mix, and checks that the destroy left no user active.
func (b *bench) faultsOnce(run int) []faultRun {
	n := b.opts.faultUsers
	// Each run its own sequence of faults (run 0 the one used before runs
	// existed here), so that the median is over different draws, not the
	// same draws shuffled among requests.
	mix := scimtest.NewGatewayFaults(b.opts.faultShare, 7+uint64(run))
	server, err := startServer(scimtest.Options{Fault: mix.Fault})
	if err != nil {
		log.Fatal(err)
	}
	defer server.close()
	// Ten retries: at a 30% fault share, five would leave a one-in-a-
	// thousand chance that some request of a thousand-user run fails.
	ws, err := newWorkspace(b.opts, fmt.Sprintf("faults-%d", run), server, "SCIM_MAX_RETRIES=10")
	if err != nil {
		log.Fatal(err)
	}
	must(ws.write("main.tf", usersConfig(n, 0)))
	if _, err := ws.timed(b.opts.providerBin, 0, "init"); err != nil {
		log.Fatal(err)
	}
	var out []faultRun
	for _, st := range faultSteps {
		server.ResetCounts()
		before := mix.Counts()
		u, err := ws.timed(b.opts.providerBin, 0, st.command, "-auto-approve")
		if err != nil {
			log.Fatalf("faults %s: %v", st.name, err)
		}
		answers := map[string]int{}
		for kind, count := range mix.Counts() {
			answers[kind] = count - before[kind]
		}
		out = append(out, faultRun{wallS: u.took.Seconds(), requests: server.apiRequests(), answers: answers})
	}
	active := 0
	for _, doc := range server.All("Users") {
		if doc["active"] == true {
			active++
		}
	}
	if active != 0 {
		log.Fatalf("faults: %d users still active after destroy", active)
	}
	return out
}
