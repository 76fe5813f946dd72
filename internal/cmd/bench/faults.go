package main

import (
	"fmt"
	"log"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// faults creates and destroys users through the fault mix. The target is
// a destroy that takes no more than 1.5 times the create: 429s that are
// not about the request rate must not drive the pace down.
func (b *bench) faults() {
	n := b.opts.faultUsers
	mix := scimtest.NewGatewayFaults(b.opts.faultShare)
	server, err := startServer(scimtest.Options{Fault: mix.Fault})
	if err != nil {
		log.Fatal(err)
	}
	defer server.close()
	// Ten retries: at a 30% fault share, five would leave a one-in-a-
	// thousand chance that some request of a thousand-user run fails.
	ws, err := newWorkspace(b.opts, "faults", server, "SCIM_MAX_RETRIES=10")
	if err != nil {
		log.Fatal(err)
	}
	must(ws.write("main.tf", usersConfig(n, 0)))
	if _, err := ws.timed(b.opts.providerBin, 0, "init"); err != nil {
		log.Fatal(err)
	}
	var create float64
	for _, st := range []struct{ name, command string }{{"create", "apply"}, {"destroy", "destroy"}} {
		server.ResetCounts()
		before := mix.Counts()
		u, err := ws.timed(b.opts.providerBin, 0, st.command, "-auto-approve")
		took := u.took
		if err != nil {
			log.Fatalf("faults %s: %v", st.name, err)
		}
		counts := map[string]int{}
		for kind, n := range mix.Counts() {
			counts[kind] = n - before[kind]
		}
		all := server.apiRequests()
		m := measurement{Scenario: fmt.Sprintf("random faults (%.0f%%): %s", b.opts.faultShare*100, st.name), Step: "faults-" + st.name,
			Provider: "scim", Resources: n, WallS: took.Seconds(), RunsS: []float64{took.Seconds()}, Requests: all,
			RequestsPerResource: float64(all) / float64(n),
			Extra: map[string]float64{"429 answers": float64(counts[scimtest.Fault429]), "503 answers": float64(counts[scimtest.Fault503]),
				"HTML 500 answers": float64(counts[scimtest.FaultHTML500]),
				"share of 429s":    float64(counts[scimtest.Fault429]) / float64(max(all, 1))}}
		if st.name == "create" {
			create = took.Seconds()
		} else if create > 0 {
			m.Extra["destroy / create"] = took.Seconds() / create
		}
		b.add(m)
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
}
