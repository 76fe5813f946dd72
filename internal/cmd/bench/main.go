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
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type options struct {
	terraform   string
	providerBin string
	floorBin    string
	workDir     string
	runs        int
	users       int
	bigUsers    int
	groupSize   int
	rateUsers   int
	rateLimit   int
	out         string
	scenarios   string
}

func main() {
	var o options
	flag.StringVar(&o.terraform, "terraform", "terraform", "Terraform binary")
	flag.StringVar(&o.providerBin, "provider", "", "terraform-provider-scim binary")
	flag.StringVar(&o.floorBin, "floor", "", "floor provider binary")
	flag.StringVar(&o.workDir, "work-dir", ".bench", "scratch directory")
	flag.IntVar(&o.runs, "runs", 3, "runs per scenario (the median is reported)")
	flag.IntVar(&o.users, "users", 1000, "users in the lifecycle scenario")
	flag.IntVar(&o.bigUsers, "big-users", 10000, "users in the large no-change plan scenario")
	flag.IntVar(&o.groupSize, "group-size", 10000, "members of the large group")
	flag.IntVar(&o.rateUsers, "rate-users", 500, "users in the rate-limited scenario")
	flag.IntVar(&o.rateLimit, "rate-limit", 20, "requests per second the rate-limited server allows")
	flag.StringVar(&o.out, "out", ".bench/results.json", "JSON results file")
	flag.StringVar(&o.scenarios, "scenarios", "users,bigplan,group,ratelimit", "comma-separated scenarios to run")
	flag.Parse()
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
		"users": b.usersLifecycle, "bigplan": b.bigPlan, "group": b.bigGroup, "ratelimit": b.rateLimited,
	}
	for _, name := range strings.Split(o.scenarios, ",") {
		run, ok := scenarios[strings.TrimSpace(name)]
		if !ok {
			log.Fatalf("bench: unknown scenario %q (want users, bigplan, group or ratelimit)", name)
		}
		run()
	}
	b.report(time.Since(start))
}

// measurement is one figure of one scenario for one provider.
type measurement struct {
	Scenario  string    `json:"scenario"`
	Provider  string    `json:"provider"` // scim, floor or terraform_data
	Resources int       `json:"resources"`
	WallS     float64   `json:"wall_seconds_median"`
	RunsS     []float64 `json:"wall_seconds_runs"`
	// RequestsPerResource counts HTTP requests to the SCIM API per resource
	// (discovery, once per Terraform command, excluded).
	RequestsPerResource float64            `json:"requests_per_resource,omitempty"`
	Requests            int                `json:"requests,omitempty"`
	PeakMiB             float64            `json:"provider_peak_mib,omitempty"`
	RatioToFloor        float64            `json:"ratio_to_floor,omitempty"`
	Extra               map[string]float64 `json:"extra,omitempty"`
}

type bench struct {
	opts    options
	results []measurement
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
	floors := map[string]float64{}
	for _, m := range b.results {
		if m.Provider == "floor" {
			floors[m.Scenario] = m.WallS
		}
	}
	for i, m := range b.results {
		if f := floors[m.Scenario]; f > 0 && m.Provider != "floor" {
			b.results[i].RatioToFloor = m.WallS / f
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "| Scenario | Provider | Resources | Wall (median of %d) | Ratio to floor | Requests/resource | Provider peak |\n", b.opts.runs)
	sb.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	for _, m := range b.results {
		ratio, reqs, peak := "", "", ""
		if m.RatioToFloor > 0 {
			ratio = fmt.Sprintf("%.2fx", m.RatioToFloor)
		}
		if m.Provider == "scim" {
			reqs = fmt.Sprintf("%.2f", m.RequestsPerResource)
		}
		if m.PeakMiB > 0 {
			peak = fmt.Sprintf("%.0f MiB", m.PeakMiB)
		}
		fmt.Fprintf(&sb, "| %s | %s | %d | %.2f s | %s | %s | %s |\n", m.Scenario, m.Provider, m.Resources, m.WallS, ratio, reqs, peak)
	}
	for _, m := range b.results {
		for k, v := range m.Extra {
			fmt.Fprintf(&sb, "\n%s / %s: %s = %.3f", m.Scenario, m.Provider, k, v)
		}
	}
	// What the same sizes cost without this provider: the floor's and
	// terraform_data's runs alone, i.e. Terraform and the plugin protocol.
	var withoutSCIM float64
	for _, m := range b.results {
		if m.Provider != "scim" {
			for _, s := range m.RunsS {
				withoutSCIM += s
			}
		}
	}
	fmt.Fprintf(&sb, "\n\nTotal bench time: %s, of which Terraform with the floor provider and terraform_data: %s; %s\n",
		total.Round(time.Second), (time.Duration(withoutSCIM * float64(time.Second))).Round(time.Second), machine())
	fmt.Println()
	fmt.Print(sb.String())
	data, err := json.MarshalIndent(map[string]any{"machine": machine(), "results": b.results}, "", "  ")
	if err == nil {
		err = os.MkdirAll(filepath.Dir(b.opts.out), 0o755)
	}
	if err == nil {
		err = os.WriteFile(b.opts.out, data, 0o644)
	}
	if err == nil {
		err = os.WriteFile(strings.TrimSuffix(b.opts.out, ".json")+".md", []byte(sb.String()), 0o644)
	}
	if err != nil {
		log.Fatalf("writing the results: %v", err)
	}
	fmt.Printf("JSON: %s\n", b.opts.out)
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
