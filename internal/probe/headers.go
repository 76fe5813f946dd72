package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

func (p *prober) versions(ctx context.Context) {
	ex, req := p.send(ctx, "GET", "Users/"+url.PathEscape(fmt.Sprint(p.user["id"])), nil, nil)
	if !ok(ex) {
		p.add(Finding{Key: "users.get", Severity: Blocker, Summary: "GET /Users/{id} fails: " + describeError(ex), Request: req,
			Provider: "Refresh reads each user by id; the app must answer it."})
		return
	}
	var doc map[string]any
	_ = json.Unmarshal(ex.Body, &doc)
	meta, _ := doc["meta"].(map[string]any)
	if ex.Header.Get("ETag") != "" || meta["version"] != nil {
		p.detected.SupportsETags = true
		p.add(Finding{Key: "etag", Severity: OK, Request: req, Summary: "Users carry versions (ETag or meta.version).",
			Provider: "etag = true: full replaces send If-Match, so a concurrent change is not overwritten."})
		return
	}
	p.add(Finding{Key: "etag", Severity: OK, Request: req, Summary: "Users carry no version (no ETag, no meta.version).",
		Provider: "Full replaces are sent without If-Match."})
}

func (p *prober) errorShape(ctx context.Context) {
	ex, req := p.send(ctx, "GET", "Users/scim-probe-no-such-user-7f3a", nil, nil)
	switch {
	case ex == nil:
	case ex.Status == 404 && ex.Err != nil && !ex.Err.NonSCIM && strings.Contains(string(ex.Body), "urn:ietf:params:scim:api:messages:2.0:Error"):
		p.add(Finding{Key: "errors", Severity: OK, Request: req, Summary: "A missing user is a 404 with a SCIM Error document."})
	case ex.Status == 404:
		p.add(Finding{Key: "errors", Severity: Quirk, Request: req, Summary: "A missing user is a 404 without a SCIM Error document.",
			Provider: "A 404 with an HTML body is not taken as \"gone\" (it usually means a wrong URL); JSON or empty bodies are."})
	default:
		p.add(Finding{Key: "errors", Severity: Quirk, Request: req, Summary: fmt.Sprintf("A missing user answers %d, not 404.", ex.Status),
			Provider: "Users deleted in the app may not be seen as gone; refresh reports the error instead."})
	}
}

func (p *prober) rateLimitHeaders(ex *scim.Exchange, req string) {
	var found []string
	for _, h := range []string{"RateLimit-Policy", "RateLimit", "RateLimit-Limit", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After"} {
		if v := ex.Header.Get(h); v != "" {
			found = append(found, h+": "+v)
		}
	}
	if len(found) > 0 {
		p.add(Finding{Key: "rate_limit", Severity: OK, Request: req, Summary: "Rate-limit headers: " + strings.Join(found, "; ") + ".",
			Provider: "The limiter paces requests to the stated limit and honours Retry-After."})
		return
	}
	p.add(Finding{Key: "rate_limit", Severity: OK, Request: req, Summary: "No rate-limit headers on a listing.",
		Provider: "The limiter learns from 429 answers; set rate_limit if the app documents one."})
}
