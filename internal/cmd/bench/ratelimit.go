package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// rateLimited applies users against the local server allowing rateLimit
// requests per second in fixed one-second windows (429 with Retry-After
// beyond, no header stating the limit).
func (b *bench) rateLimited() {
	b.measureRateLimited("rate-limited", fmt.Sprintf("rate-limited apply (%d/s)", b.opts.rateLimit), "user",
		func() (string, func()) {
			server, err := startServer(scimtest.Options{Quirks: scimtest.Quirks{RateLimit: b.opts.rateLimit}})
			if err != nil {
				log.Fatal(err)
			}
			return server.url, server.close
		})
}

// thirdPartyRateLimited does the same through rate limiters this project
// did not write (-third-party, set by scripts/bench-thirdparty.sh: SCIMMY
// behind express-rate-limit or npm limiter), so that the efficiency figure
// is not only what our own model of a limit allows. Their store outlives a
// run, so each run's users have names of their own.
func (b *bench) thirdPartyRateLimited() {
	if b.opts.thirdParty == "" {
		log.Fatal("bench: the thirdparty scenario needs -third-party name=endpoint,... (make bench-thirdparty sets it)")
	}
	for _, pair := range strings.Split(b.opts.thirdParty, ",") {
		name, endpoint, ok := strings.Cut(pair, "=")
		if !ok || name == "" || endpoint == "" {
			log.Fatalf("bench: -third-party %q: want name=endpoint pairs", b.opts.thirdParty)
		}
		b.measureRateLimited("rate-limited "+name, fmt.Sprintf("rate-limited apply (%d/s, %s)", b.opts.rateLimit, name), name,
			func() (string, func()) { return endpoint, func() {} })
	}
}

// measureRateLimited applies rateUsers users, runs times, against the
// endpoint start returns, through a recorder. Efficiency is the best
// possible time, successful requests / limit, over the measured time. The
// bound is what a provider pacing exactly at the limit would reach after
// the time Terraform spends before the first request (planning every
// instance) and after the last (writing state), which no provider can send
// requests in.
func (b *bench) measureRateLimited(stepName, scenario, prefix string, start func() (string, func())) {
	n, limit := b.opts.rateUsers, b.opts.rateLimit
	var walls, effs, windowEffs, leads, tails, bounds, floorPlans, rejections []float64
	requests := 0
	for run := 0; run < b.opts.runs; run++ {
		config := usersConfigNamed(fmt.Sprintf("%s-r%d-", prefix, run), n, 0)
		floorPlan, err := b.floorCreatePlan(fmt.Sprintf("%s-floor-%d", prefix, run), config)
		if err != nil {
			log.Fatal(err)
		}
		floorPlans = append(floorPlans, floorPlan)
		endpoint, stop := start()
		rec, err := startRecorder(endpoint)
		if err != nil {
			log.Fatal(err)
		}
		ws, err := newWorkspace(b.opts, fmt.Sprintf("%s-ratelimited-%d", prefix, run), nil,
			"SCIM_ENDPOINT="+rec.url, "SCIM_TOKEN="+benchToken)
		if err != nil {
			log.Fatal(err)
		}
		must(ws.write("main.tf", config))
		if _, err := ws.timed(b.opts.providerBin, 0, "init"); err != nil {
			log.Fatal(err)
		}
		rec.reset()
		began := time.Now()
		u, err := ws.timed(b.opts.providerBin, 0, "apply", "-auto-approve")
		if err != nil {
			log.Fatalf("%s: %v", scenario, err)
		}
		took := u.took
		api := rec.api()
		rec.close()
		stop()
		if created := countAnswers(api, "POST", http.StatusCreated); created != n {
			log.Fatalf("%s created %d users, want %d", scenario, created, n)
		}
		refused := countAnswers(api, "", http.StatusTooManyRequests)
		accepted := len(api) - refused
		if len(api) > 0 {
			// Time before the first request and after the last one is
			// Terraform's own (planning, starting the provider, writing state).
			lead, tail := api[0].at.Sub(began).Seconds(), began.Add(took).Sub(api[len(api)-1].at).Seconds()
			leads, tails = append(leads, lead), append(tails, tail)
			if span := api[len(api)-1].at.Sub(api[0].at).Seconds(); span > 0 {
				windowEffs = append(windowEffs, float64(accepted)/float64(limit)/span)
			}
			ideal := float64(accepted) / float64(limit)
			bounds = append(bounds, ideal/(ideal+lead+tail))
		}
		walls = append(walls, took.Seconds())
		effs = append(effs, float64(accepted)/float64(limit)/took.Seconds())
		rejections = append(rejections, float64(refused))
		requests = accepted
	}
	b.add(measurement{Scenario: scenario, Step: stepName, Provider: "scim", Resources: n,
		WallS: median(walls), RunsS: walls, Requests: requests, RequestsPerResource: float64(requests) / float64(n),
		Extra: map[string]float64{"efficiency": median(effs), "rejected_429": median(rejections),
			"seconds before the first request": median(leads), "efficiency while requests flow": median(windowEffs),
			"seconds after the last request":              median(tails),
			"efficiency bound after Terraform's own time": median(bounds), "seconds the floor takes to plan the same creates": median(floorPlans)}})
}

// recorder is a reverse proxy on a loopback port in front of a SCIM
// endpoint that notes when each request arrived and how it was answered:
// what the bench can see of a server it cannot look into.
type recorder struct {
	url  string // the proxy's endpoint (the target's path on the proxy's port)
	http *http.Server
	mu   sync.Mutex
	log  []exchange
}

// exchange is one request as the recorder saw it.
type exchange struct {
	at     time.Time
	method string
	path   string
	status int
}

func startRecorder(endpoint string) (*recorder, error) {
	target, err := url.Parse(endpoint)
	if err != nil {
		return nil, err
	}
	host := &url.URL{Scheme: target.Scheme, Host: target.Host}
	proxy := &httputil.ReverseProxy{
		// No X-Forwarded-For: the limiter behind sees one client, as it
		// would without the recorder.
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(host) },
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute},
	}
	rec := &recorder{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rec.url = "http://" + ln.Addr().String() + target.Path
	rec.http = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		at := time.Now()
		proxy.ServeHTTP(sw, r)
		rec.mu.Lock()
		rec.log = append(rec.log, exchange{at: at, method: r.Method, path: r.URL.Path, status: sw.status})
		rec.mu.Unlock()
	})}
	go func() { _ = rec.http.Serve(ln) }()
	return rec, nil
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = nil
}

// api returns the exchanges so far with discovery left out.
func (r *recorder) api() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []exchange
	for _, e := range r.log {
		if !isDiscovery(e.path) {
			out = append(out, e)
		}
	}
	return out
}

func (r *recorder) close() { _ = r.http.Close() }

// countAnswers counts exchanges answered with status, of one method or any ("").
func countAnswers(log []exchange, method string, status int) int {
	n := 0
	for _, e := range log {
		if e.status == status && (method == "" || e.method == method) {
			n++
		}
	}
	return n
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
