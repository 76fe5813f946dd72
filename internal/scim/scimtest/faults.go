package scimtest

import (
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault kinds for Faults.
const (
	Fault503         = "503"           // 503 with Retry-After, before acting
	Fault429         = "429"           // 429 with Retry-After, before acting
	Fault429NoHeader = "429-no-header" // 429 without Retry-After
	FaultResetBefore = "reset-before"  // connection dropped before acting
	FaultResetAfter  = "reset-after"   // server acts, then the connection drops: a lost response
	FaultSlowAfter   = "slow-after"    // server acts, then answers after SlowDelay
	FaultTruncated   = "truncated"     // server acts, then half the body is sent
	FaultHTML500     = "html-500"      // an HTML 500 page from a proxy, before acting
	FaultOKWithError = "200-error"     // 200 carrying a SCIM error document, before acting
)

// AllFaults lists every fault kind.
var AllFaults = []string{Fault503, Fault429, Fault429NoHeader, FaultResetBefore, FaultResetAfter, FaultSlowAfter,
	FaultTruncated, FaultHTML500, FaultOKWithError}

// FaultInjector answers a fraction of SCIM API requests with faults, chosen
// from kinds with a seeded generator, so a failing run can be repeated.
type FaultInjector struct {
	Rate      float64
	Kinds     []string
	SlowDelay time.Duration
	// Only, when set, limits faults to requests it accepts.
	Only func(*http.Request) bool

	mu       sync.Mutex
	rng      *rand.Rand
	Injected map[string]int
}

// NewFaultInjector returns an injector; use its Fault method as Options.Fault.
func NewFaultInjector(rate float64, seed uint64, kinds ...string) *FaultInjector {
	if len(kinds) == 0 {
		kinds = AllFaults
	}
	return &FaultInjector{Rate: rate, Kinds: kinds, SlowDelay: 3 * time.Second,
		rng: rand.New(rand.NewPCG(seed, seed^0x5ca1ab1e)), Injected: map[string]int{}}
}

// Counts returns how many faults of each kind were injected.
func (f *FaultInjector) Counts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.Injected {
		out[k] = v
	}
	return out
}

// Disable stops injecting faults.
func (f *FaultInjector) Disable() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Rate = 0
}

func (f *FaultInjector) pick(r *http.Request) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Rate <= 0 || (f.Only != nil && !f.Only(r)) || strings.HasSuffix(r.URL.Path, "/ServiceProviderConfig") {
		return ""
	}
	if f.rng.Float64() >= f.Rate {
		return ""
	}
	kind := f.Kinds[f.rng.IntN(len(f.Kinds))]
	f.Injected[kind]++
	return kind
}

// Fault implements Options.Fault.
func (f *FaultInjector) Fault(w http.ResponseWriter, r *http.Request, act func() *Response) bool {
	switch f.pick(r) {
	case "":
		return false
	case Fault503:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	case Fault429:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
	case Fault429NoHeader:
		http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
	case FaultResetBefore:
		DropConnection(w)
	case FaultResetAfter:
		act()
		DropConnection(w)
	case FaultSlowAfter:
		resp := act()
		time.Sleep(f.SlowDelay)
		resp.WriteTo(w)
	case FaultTruncated:
		resp := act()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.Body)))
		w.WriteHeader(resp.Status)
		_, _ = w.Write(resp.Body[:len(resp.Body)/2])
		DropConnection(w)
	case FaultHTML500:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><body><h1>500 Internal Server Error</h1><hr>nginx</body></html>")
	case FaultOKWithError:
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503","detail":"backend busy"}`)
	}
	return true
}

// DropConnection closes the TCP connection without an answer.
func DropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// NewGatewayFaults faults share of the requests whatever their rate, like a
// gateway in front of an app whose quota is shared with other clients: of
// the faulted requests, 45% get 429 and 25% 503 (both with Retry-After: 1),
// 30% an HTML 500, all before the server acts. At a share of 0.3, about 13%
// of all answers are 429s. The seed fixes the sequence of faults.
func NewGatewayFaults(share float64, seed uint64) *FaultInjector {
	var kinds []string
	for kind, weight := range map[string]int{Fault429: 9, Fault503: 5, FaultHTML500: 6} {
		for range weight {
			kinds = append(kinds, kind)
		}
	}
	sort.Strings(kinds) // map order is random; the seeded sequence must not be
	return NewFaultInjector(share, seed, kinds...)
}
