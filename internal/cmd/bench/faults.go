package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"sync"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// faultMix answers a share of requests with a fault before the server
// acts on them, whatever the request rate, like a gateway in front of an
// app whose quota is shared with other clients: of the faulted requests,
// 45% get 429 (Retry-After: 1), 25% 503 (Retry-After: 1) and 30% an HTML
// 502. At a 30% share, about 13% of all answers are 429s. The sequence is
// seeded, so runs are comparable.
type faultMix struct {
	mu     sync.Mutex
	rng    *rand.Rand
	share  float64
	counts map[int]int
}

func newFaultMix(share float64) *faultMix {
	return &faultMix{rng: rand.New(rand.NewPCG(7, 13)), share: share, counts: map[int]int{}}
}

func (f *faultMix) fault(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
	if r.URL.Path == scimtest.BasePath+"/ServiceProviderConfig" || r.URL.Path == scimtest.BasePath+"/Schemas" {
		return false
	}
	f.mu.Lock()
	roll, kind := f.rng.Float64(), f.rng.Float64()
	status := 0
	switch {
	case roll >= f.share:
	case kind < 0.45:
		status = http.StatusTooManyRequests
	case kind < 0.70:
		status = http.StatusServiceUnavailable
	default:
		status = http.StatusBadGateway
	}
	if status != 0 {
		f.counts[status]++
	}
	f.mu.Unlock()
	switch status {
	case 0:
		return false
	case http.StatusBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	default:
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"%d"}`, status)
	}
	return true
}

// faults creates and destroys users through the fault mix. The target is
// a destroy that takes no more than 1.5 times the create: 429s that are
// not about the request rate must not drive the pace down.
func (b *bench) faults() {
	n := b.opts.faultUsers
	mix := newFaultMix(b.opts.faultShare)
	server, err := startServer(scimtest.Options{Fault: mix.fault})
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
	if _, _, err := ws.timed(b.opts.providerBin, 0, "init"); err != nil {
		log.Fatal(err)
	}
	var create float64
	for _, st := range []struct{ name, command string }{{"create", "apply"}, {"destroy", "destroy"}} {
		server.ResetCounts()
		mix.mu.Lock()
		mix.counts = map[int]int{}
		mix.mu.Unlock()
		took, _, err := ws.timed(b.opts.providerBin, 0, st.command, "-auto-approve")
		if err != nil {
			log.Fatalf("faults %s: %v", st.name, err)
		}
		mix.mu.Lock()
		counts := map[int]int{}
		for k, v := range mix.counts {
			counts[k] = v
		}
		mix.mu.Unlock()
		all := server.apiRequests()
		m := measurement{Scenario: fmt.Sprintf("random faults (%.0f%%): %s", b.opts.faultShare*100, st.name), Step: "faults-" + st.name,
			Provider: "scim", Resources: n, WallS: took.Seconds(), RunsS: []float64{took.Seconds()}, Requests: all,
			RequestsPerResource: float64(all) / float64(n),
			Extra: map[string]float64{"429 answers": float64(counts[429]), "503 answers": float64(counts[503]),
				"502 answers": float64(counts[502]), "share of 429s": float64(counts[429]) / float64(max(all, 1))}}
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
