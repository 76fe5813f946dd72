package main

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
	"github.com/scim-terraform/terraform-provider-scim/internal/tfcli"
)

const benchToken = "bench-token"

// providerProcess is a provider started in debug mode; Terraform attaches
// to it through TF_REATTACH_PROVIDERS, so its memory is its own.
type providerProcess struct {
	cmd      *exec.Cmd
	reattach string
}

// startProvider starts bin with env: a reattached provider reads its
// environment (SCIM_ENDPOINT, SCIM_TOKEN) from its own process.
func startProvider(bin string, env []string) (*providerProcess, error) {
	cmd := exec.Command(bin, "-debug")
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		scanner.Buffer(make([]byte, 64<<10), 1<<20)
		for scanner.Scan() {
			line := strings.TrimSpace(scanner.Text())
			if v, ok := strings.CutPrefix(line, "TF_REATTACH_PROVIDERS='"); ok {
				found <- strings.TrimSuffix(v, "'")
			}
		}
	}()
	select {
	case r := <-found:
		return &providerProcess{cmd: cmd, reattach: r}, nil
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("%s did not print its reattach configuration", bin)
	}
}

// peakMiB reads the process's high-water resident memory (VmHWM).
func (p *providerProcess) peakMiB() float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuSeconds reads the process's user and system time so far, in clock
// ticks of 1/100 s (USER_HZ, 100 on Linux).
func (p *providerProcess) cpuSeconds() float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th of them.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100
}

func (p *providerProcess) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
	}
}

// localServer is the SCIM server on a loopback port, in this process so
// its request counts can be read directly.
type localServer struct {
	*scimtest.Server
	url  string
	http *http.Server
	// proxy, when set, counts for a server this bench did not start
	// (Server is nil then).
	proxy *countingProxy
}

// ResetCounts clears the request counts.
func (s *localServer) ResetCounts() {
	if s.proxy != nil {
		s.proxy.reset()
		return
	}
	s.Server.ResetCounts()
}

// putUser stores a user out of band, uncounted.
func (s *localServer) putUser(doc map[string]any) {
	if s.proxy != nil {
		if err := s.proxy.putUser(doc); err != nil {
			log.Fatal(err)
		}
		return
	}
	s.Put("Users", doc)
}

func startServer(opts scimtest.Options) (*localServer, error) {
	opts.Token = benchToken
	srv := scimtest.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return &localServer{Server: srv, url: "http://" + ln.Addr().String() + scimtest.BasePath, http: hs}, nil
}

func (s *localServer) close() { _ = s.http.Close() }

// apiRequests counts requests to users and groups, leaving out discovery.
func (s *localServer) apiRequests() int {
	if s.proxy != nil {
		n := 0
		for _, c := range s.proxy.byMethod() {
			n += c
		}
		return n
	}
	return s.Count("") - s.Count("discovery")
}

// workspace is one Terraform working directory.
type workspace struct {
	*tfcli.Dir
}

func newWorkspace(o options, name string, server *localServer, extraEnv ...string) (*workspace, error) {
	path := filepath.Join(o.workDir, name)
	if err := os.RemoveAll(path); err != nil {
		return nil, err
	}
	var env []string
	if server != nil {
		env = append(env, "SCIM_ENDPOINT="+server.url, "SCIM_TOKEN="+benchToken)
	}
	env = append(env, extraEnv...)
	dir, err := tfcli.New(path, o.terraform, "plugin_cache_dir = \"\"\n", env...)
	if err != nil {
		return nil, err
	}
	return &workspace{dir}, nil
}

func (w *workspace) write(name, content string) error { return w.Write(name, content) }

// with returns the workspace with more environment for its commands and
// the providers started for them.
func (w *workspace) with(env ...string) *workspace {
	d := *w.Dir
	d.Env = append(append([]string(nil), w.Env...), env...)
	return &workspace{&d}
}

// usage is what one Terraform command cost: wall time, and the provider's
// peak memory and CPU beside Terraform's own CPU (0 without a provider
// process).
type usage struct {
	took         time.Duration
	peakMiB      float64
	terraformCPU float64 // seconds
	providerCPU  float64 // seconds
}

// run runs one Terraform command, attached to provider when given, and
// returns its wall time and Terraform's CPU time. Its output is kept in
// last-<command>.log.
func (w *workspace) run(provider *providerProcess, wantCode int, args ...string) (usage, error) {
	var env []string
	if provider != nil {
		env = append(env, "TF_REATTACH_PROVIDERS="+provider.reattach)
	}
	res, err := w.Run(env, args...)
	u := usage{took: res.Took, terraformCPU: res.CPU.Seconds()}
	if err != nil {
		return u, err
	}
	if err := w.Write("last-"+args[0]+".log", res.Output); err != nil {
		return u, err
	}
	return u, res.Want(wantCode, args...)
}

// timed runs a command with a fresh provider process (if bin is set) and
// reports what it cost.
func (w *workspace) timed(bin string, wantCode int, args ...string) (usage, error) {
	if bin == "" {
		return w.run(nil, wantCode, args...)
	}
	p, err := startProvider(bin, w.Env)
	if err != nil {
		return usage{}, err
	}
	defer p.stop()
	u, err := w.run(p, wantCode, args...)
	u.peakMiB, u.providerCPU = p.peakMiB(), p.cpuSeconds()
	return u, err
}

// methodCounts returns API requests by method, discovery left out.
func (s *localServer) methodCounts() map[string]int {
	if s.proxy != nil {
		return s.proxy.byMethod()
	}
	out := map[string]int{}
	for _, m := range []string{"GET", "POST", "PATCH", "PUT", "DELETE"} {
		if n := s.Count(m); n > 0 {
			out[m] = n
		}
	}
	if out["GET"] -= s.Count("discovery"); out["GET"] <= 0 {
		delete(out, "GET")
	}
	return out
}
