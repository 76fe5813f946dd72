// Command bench runs Terraform end to end against the local SCIM server and
// prints, per scenario: median wall time over several runs, HTTP requests
// per resource (from the server's counts), and the provider process's peak
// memory (VmHWM, read from /proc while it runs in debug/reattach mode). Each
// figure is also given as a ratio to a floor measured in the same run: the
// same configuration served by a provider with the same schemas and no I/O.
// `make bench` runs it; sizes are flags.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

type options struct {
	terraform   string
	providerBin string
	floorBin    string
	workDir     string
	runs        int
	sizes       []int
	tenant      int
	bigUsers    int
	groupSize   int
	rateUsers   int
	rateLimit   int
	faultUsers  int
	faultShare  float64
	out         string
	scenarios   string
	thirdParty  string
	fleetSizes  []int
	fleetUsers  int
	// prefill is how many deactivated users the local server holds before
	// each lifecycle: a create into a tenant that is not empty.
	prefill int
	// usersEndpoint, when set, is the SCIM server the real provider's
	// users lifecycle runs against instead of the local one.
	usersEndpoint string
}

func main() {
	var o options
	flag.StringVar(&o.terraform, "terraform", "terraform", "Terraform binary")
	flag.StringVar(&o.providerBin, "provider", "", "terraform-provider-scim binary")
	flag.StringVar(&o.floorBin, "floor", "", "floor provider binary")
	flag.StringVar(&o.workDir, "work-dir", ".bench", "scratch directory")
	flag.IntVar(&o.runs, "runs", 1, "runs per scenario (the median is reported)")
	sizes := flag.String("sizes", "250,500,1000", "comma-separated numbers of users in the lifecycle scenario (the chart's x axis)")
	flag.IntVar(&o.tenant, "tenant", 10000, "users in the tenant of the few-managed-users refresh")
	flag.IntVar(&o.prefill, "prefill", 0, "deactivated users the server holds before each users lifecycle")
	flag.StringVar(&o.usersEndpoint, "users-endpoint", "", "SCIM endpoint (token "+benchToken+") the real provider's users lifecycle "+
		"runs against through a counting proxy, instead of the local server (a third-party server, started apart)")
	flag.IntVar(&o.bigUsers, "big-users", 10000, "users in the large plan and rate-limited refresh (bigplan, bigrefresh)")
	flag.IntVar(&o.groupSize, "group-size", 1000, "members of the large group")
	flag.IntVar(&o.rateUsers, "rate-users", 500, "users in the rate-limited scenario")
	flag.IntVar(&o.rateLimit, "rate-limit", 20, "requests per second the rate-limited server allows")
	flag.IntVar(&o.faultUsers, "fault-users", 1000, "users created and destroyed through random faults")
	flag.Float64Var(&o.faultShare, "fault-share", 0.3, "share of requests answered with a fault in the faults scenario")
	flag.StringVar(&o.out, "out", ".bench/results.json", "JSON results file (the Markdown table and SVG chart go beside it)")
	flag.StringVar(&o.scenarios, "scenarios", "users,refresh,group,ratelimit,faults,fleet,memberships", "comma-separated scenarios: "+
		"users, refresh, group, ratelimit, faults, fleet, memberships, bigplan, bigrefresh, schema, thirdparty")
	fleetSizes := flag.String("fleet-sizes", "4,8", "comma-separated numbers of workspaces applied at once in the fleet scenario")
	flag.IntVar(&o.fleetUsers, "fleet-users", 100, "users in each workspace of the fleet scenario")
	flag.StringVar(&o.thirdParty, "third-party", "", "name=endpoint,... of rate-limited SCIM servers for the thirdparty scenario "+
		"(allowing -rate-limit requests per second; make bench-thirdparty starts them)")
	flag.Parse()
	for _, v := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 10 {
			log.Fatalf("bench: -sizes %q: want numbers of at least 10", *sizes)
		}
		o.sizes = append(o.sizes, n)
	}
	sort.Ints(o.sizes)
	for _, v := range strings.Split(*fleetSizes, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || k < 1 {
			log.Fatalf("bench: -fleet-sizes %q: want numbers of workspaces", *fleetSizes)
		}
		o.fleetSizes = append(o.fleetSizes, k)
	}
	if o.providerBin == "" || o.floorBin == "" {
		log.Fatal("bench: -provider and -floor are required (make bench builds them)")
	}
	for _, p := range []*string{&o.providerBin, &o.floorBin, &o.workDir, &o.out} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			log.Fatal(err)
		}
		*p = abs
	}
	b := &bench{opts: o}
	start := time.Now()
	scenarios := map[string]func(){
		"users": b.usersLifecycle, "refresh": b.refreshFew, "group": b.bigGroup, "ratelimit": b.rateLimited,
		"faults": b.faults, "bigplan": b.bigPlan, "bigrefresh": b.bigRefresh, "schema": b.schemaVariants,
		"thirdparty": b.thirdPartyRateLimited, "fleet": b.fleet, "memberships": b.membershipRefresh,
	}
	for _, name := range strings.Split(o.scenarios, ",") {
		run, ok := scenarios[strings.TrimSpace(name)]
		if !ok {
			log.Fatalf("bench: unknown scenario %q", name)
		}
		run()
	}
	b.report(time.Since(start))
}

// measurement is one figure of one scenario for one provider.
type measurement struct {
	Scenario string `json:"scenario"`
	// Step is the scenario's step without its size, such as "create".
	Step      string    `json:"step"`
	Provider  string    `json:"provider"` // scim, floor (real schema), minimal (7-attribute schema), floor:<variant>, protocol, protocol-minimal (no framework)
	Resources int       `json:"resources"`
	WallS     float64   `json:"wall_seconds_median"`
	RunsS     []float64 `json:"wall_seconds_runs"`
	// RequestsPerResource counts HTTP requests to the SCIM API per resource
	// (discovery, once per Terraform command, excluded).
	RequestsPerResource float64 `json:"requests_per_resource,omitempty"`
	Requests            int     `json:"requests,omitempty"`
	PeakMiB             float64 `json:"provider_peak_mib,omitempty"`
	// CPU seconds of the terraform process and of the provider process
	// (users lifecycle steps): where a schema's cost is paid.
	TerraformCPUS float64            `json:"terraform_cpu_seconds,omitempty"`
	ProviderCPUS  float64            `json:"provider_cpu_seconds,omitempty"`
	RatioToFloor  float64            `json:"ratio_to_floor,omitempty"`
	Extra         map[string]float64 `json:"extra,omitempty"`
}

type bench struct {
	opts    options
	results []measurement
}

// cpuTable splits the users steps' CPU time between the terraform process
// and the provider process: what each pays for a schema.
func cpuTable(results []measurement) string {
	var sb strings.Builder
	for _, m := range results {
		if m.TerraformCPUS == 0 {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteString("\n### CPU by process (median)\n\n| Scenario | Provider | Resources | Wall | Terraform CPU | Provider CPU |\n|---|---|---:|---:|---:|---:|\n")
		}
		fmt.Fprintf(&sb, "| %s | %s | %d | %.2f s | %.2f s | %.2f s |\n", m.Scenario, m.Provider, m.Resources, m.WallS, m.TerraformCPUS, m.ProviderCPUS)
	}
	return sb.String()
}

func (b *bench) add(m measurement) {
	b.results = append(b.results, m)
	log.Printf("%-28s %-14s n=%-6d wall=%.2fs req/res=%.2f peak=%.1fMiB", m.Scenario, m.Provider, m.Resources, m.WallS,
		m.RequestsPerResource, m.PeakMiB)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func (b *bench) report(total time.Duration) {
	byKey := map[string]float64{}
	key := func(m measurement, provider string) string {
		return fmt.Sprintf("%s|%d|%s", m.Scenario, m.Resources, provider)
	}
	for _, m := range b.results {
		byKey[key(m, m.Provider)] = m.WallS
	}
	ratio := func(m measurement, provider string) string {
		if f := byKey[key(m, provider)]; f > 0 && m.Provider != provider {
			return fmt.Sprintf("%.2fx", m.WallS/f)
		}
		return ""
	}
	for i, m := range b.results {
		if f := byKey[key(m, "floor")]; f > 0 && m.Provider != "floor" {
			b.results[i].RatioToFloor = m.WallS / f
		}
	}
	var sb strings.Builder
	sb.WriteString(b.targets())
	fmt.Fprintf(&sb, "\n### All figures\n\n| Scenario | Provider | Resources | Wall (median of %d) | ÷ floor, real schema | ÷ floor, minimal schema | Requests | Requests/resource | Provider peak |\n", b.opts.runs)
	sb.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range b.results {
		reqs, perRes, peak := "", "", ""
		if m.Provider == "scim" {
			reqs, perRes = fmt.Sprint(m.Requests), fmt.Sprintf("%.3f", m.RequestsPerResource)
		}
		if m.PeakMiB > 0 {
			peak = fmt.Sprintf("%.0f MiB", m.PeakMiB)
		}
		fmt.Fprintf(&sb, "| %s | %s | %d | %.2f s | %s | %s | %s | %s | %s |\n", m.Scenario, m.Provider, m.Resources, m.WallS,
			ratio(m, "floor"), ratio(m, "minimal"), reqs, perRes, peak)
	}
	sb.WriteString(cpuTable(b.results))
	sb.WriteString("\n")
	for _, m := range b.results {
		var keys []string
		for k := range m.Extra {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&sb, "- %s (%d) / %s: %s = %.3f\n", m.Scenario, m.Resources, m.Provider, k, m.Extra[k])
		}
	}
	// What the same sizes cost without this provider: the floors' runs
	// alone, i.e. Terraform and the plugin protocol.
	var withoutSCIM float64
	for _, m := range b.results {
		if m.Provider != "scim" {
			for _, s := range m.RunsS {
				withoutSCIM += s
			}
		}
	}
	fmt.Fprintf(&sb, "\nTotal bench time: %s, of which Terraform with the floor providers: %s; %s; %s\n",
		total.Round(time.Second), (time.Duration(withoutSCIM * float64(time.Second))).Round(time.Second), machine(), b.terraformVersion())
	fmt.Println()
	fmt.Print(sb.String())
	data, err := json.MarshalIndent(map[string]any{"machine": machine(), "results": b.results}, "", "  ")
	if err == nil {
		err = os.MkdirAll(filepath.Dir(b.opts.out), 0o755)
	}
	if err == nil {
		err = os.WriteFile(b.opts.out, data, 0o644)
	}
	base := strings.TrimSuffix(b.opts.out, ".json")
	if err == nil {
		err = os.WriteFile(base+".md", []byte(sb.String()), 0o644)
	}
	if err == nil {
		err = writeChart(base+".svg", b.results)
	}
	if err != nil {
		log.Fatalf("writing the results: %v", err)
	}
	fmt.Printf("JSON: %s, Markdown: %s.md, chart: %s.svg\n", b.opts.out, base, base)
}

func (b *bench) terraformVersion() string {
	out, err := exec.Command(b.opts.terraform, "version").Output()
	if err != nil {
		return "Terraform version unknown"
	}
	return strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
}

func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
				break
			}
		}
	}
	n := strings.Count(readOr("/proc/cpuinfo", ""), "processor\t:")
	return fmt.Sprintf("%d x %s", n, cpu)
}

func readOr(path, def string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return def
	}
	return string(data)
}
