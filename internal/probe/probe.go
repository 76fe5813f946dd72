// Package probe asks a SCIM endpoint how it really behaves (whatever its
// discovery documents claim) and turns the answers into the provider
// settings that fit it. It uses the project's SCIM client for every
// request, read-only unless a write round trip is asked for.
package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// Options control a probe run.
type Options struct {
	// Write adds a round trip with a throwaway user (and group).
	Write bool
	// Progress receives a line per step as the probe runs (nil: none).
	Progress io.Writer
	// RequestTimeout bounds each request (0: 30s).
	RequestTimeout time.Duration
}

// Severity of a finding.
const (
	OK      = "ok"      // the app does what RFC 7644 says
	Quirk   = "quirk"   // the app departs from it; the provider adapts
	Blocker = "blocker" // the provider cannot manage the app this way
	Unknown = "unknown" // the probe could not tell
)

// Finding is one thing the probe learned.
type Finding struct {
	Key      string `json:"key"`
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	// Request is the request that showed it, with the answer's status.
	Request string `json:"request,omitempty"`
	// Provider says what the provider does about it.
	Provider string `json:"provider,omitempty"`
}

// Report is the whole result.
type Report struct {
	Endpoint   string    `json:"endpoint"`
	Write      bool      `json:"write"`
	Findings   []Finding `json:"findings"`
	Manageable bool      `json:"manageable"`
	// Vendor is the matching preset ("" when the generic dialect with
	// Overrides fits best); Overrides are dialect settings to set.
	Vendor    string         `json:"vendor,omitempty"`
	Overrides map[string]any `json:"dialect,omitempty"`
	// Block is the provider block to use.
	Block string `json:"provider_block"`
	// Requests counts the requests sent.
	Requests int `json:"requests"`
}

// prober holds one run's state.
type prober struct {
	c        *scim.Client
	opts     Options
	report   *Report
	detected scim.Dialect
	// probed lists the dialect fields the run observed; only they count
	// when matching presets.
	probed map[string]bool
	// user and group are an existing user and group, when the app has any.
	user  map[string]any
	group map[string]any
	// docURI is the documentationUri /ServiceProviderConfig states.
	docURI string
}

// Run probes the endpoint of c. The report's Manageable says whether the
// provider can manage the app.
func Run(ctx context.Context, c *scim.Client, opts Options) *Report {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	p := &prober{c: c, opts: opts, report: &Report{Endpoint: c.Endpoint(), Write: opts.Write, Manageable: true},
		detected: scim.Generic(), probed: map[string]bool{}}
	if p.readChecks(ctx) && opts.Write {
		p.writeRoundTrip(ctx)
	}
	p.suggest()
	return p.report
}

func (p *prober) step(format string, args ...any) {
	if p.opts.Progress != nil {
		_, _ = fmt.Fprintf(p.opts.Progress, "scim-probe: "+format+"\n", args...)
	}
}

func (p *prober) add(f Finding) {
	if f.Severity == Blocker {
		p.report.Manageable = false
	}
	p.report.Findings = append(p.report.Findings, f)
}

// send sends one request, bounded in time, and describes it for findings.
func (p *prober) send(ctx context.Context, method, path string, query url.Values, body any) (*scim.Exchange, string) {
	ctx, cancel := context.WithTimeout(ctx, p.opts.RequestTimeout)
	defer cancel()
	p.report.Requests++
	ex, err := p.c.Send(ctx, method, path, query, body, nil)
	if err != nil {
		return nil, fmt.Sprintf("%s %s -> no answer: %v", method, ex.Path, err)
	}
	return ex, fmt.Sprintf("%s %s -> %d", method, ex.Path, ex.Status)
}

// ok is true for a 2xx answer that is not a SCIM error document.
func ok(ex *scim.Exchange) bool {
	return ex != nil && ex.Status >= 200 && ex.Status < 300 && ex.Err == nil
}

// rejected is true for a 4xx answer.
func rejected(ex *scim.Exchange) bool {
	return ex != nil && ex.Status >= 400 && ex.Status < 500
}

func unsupported(ex *scim.Exchange) bool {
	return ex != nil && (ex.Status == http.StatusMethodNotAllowed || ex.Status == http.StatusNotImplemented)
}

func lower(s string) string { return strings.ToLower(s) }
