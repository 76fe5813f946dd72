package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// readChecks runs the read-only checks; false when nothing more can be
// learned (the endpoint refuses us or has no usable /Users).
func (p *prober) readChecks(ctx context.Context) bool {
	p.pathCase(ctx)
	p.step("reading /ServiceProviderConfig, /Schemas and /ResourceTypes")
	p.discovery(ctx)
	p.step("listing users")
	ex, req := p.send(ctx, "GET", "Users", url.Values{"startIndex": {"1"}, "count": {"2"}}, nil)
	switch {
	case ex == nil:
		p.add(Finding{Key: "endpoint", Severity: Blocker, Summary: "The endpoint did not answer.", Request: req,
			Provider: "Check the URL (the SCIM base URL, ending before /Users) and the network path."})
		return false
	case ex.Status == 401 || ex.Status == 403:
		p.add(Finding{Key: "auth", Severity: Blocker, Summary: "The credentials were refused.", Request: req,
			Provider: "Use the app's SCIM provisioning token (SCIM_TOKEN), or basic auth or OAuth2 if the app asks for them."})
		return false
	case ex.Status == http.StatusBadRequest:
		if ex, req, needs := p.listNeedsFilter(ctx); needs {
			p.rateLimitHeaders(ex, req)
			advice := "Run again with -write to check the write path on a throwaway user."
			if p.opts.Write {
				advice = "The write round trip below checks the write path on a throwaway user."
			}
			p.add(Finding{Key: "filters", Severity: Unknown, Summary: "Without a listing, filters, paging and ETags were not checked.",
				Provider: advice})
			p.errorShape(ctx)
			p.groups(ctx)
			return true
		}
		fallthrough
	case !ok(ex):
		p.add(Finding{Key: "users.list", Severity: Blocker, Summary: describeError(ex), Request: req,
			Provider: "The provider lists /Users to look users up; check that the endpoint is the SCIM base URL."})
		return false
	}
	p.probed["list_needs_filter"] = true
	users, total, key := listPage(ex.Body)
	p.add(Finding{Key: "users.list", Severity: OK, Request: req,
		Summary: fmt.Sprintf("/Users lists %s users (list key %q).", totalText(total, len(users)), key)})
	if key != "Resources" {
		p.add(Finding{Key: "users.list_key", Severity: Quirk, Request: req,
			Summary: fmt.Sprintf("The list key is %q, not \"Resources\".", key), Provider: "Read either way; nothing to set."})
	}
	p.rateLimitHeaders(ex, req)
	if len(users) > 0 {
		p.user = users[0]
	}
	p.paging(ctx, total)
	if p.user != nil {
		p.filters(ctx)
		p.projection(ctx)
		p.versions(ctx)
	} else if !p.opts.Write { // with -write they are checked on the throwaway user
		p.add(Finding{Key: "filters", Severity: Unknown, Summary: "The app has no users, so filters and ETags were not checked.",
			Provider: "Run again with -write to check them on a throwaway user."})
	}
	p.errorShape(ctx)
	p.groups(ctx)
	return true
}

// pathCase detects apps that route only lower-case paths (/users, as
// Entra's SCIM API does): /Users answers 404 and /users does not. The
// probe then sends every request in that spelling.
func (p *prober) pathCase(ctx context.Context) {
	ex, _ := p.send(ctx, "GET", "Users", url.Values{"count": {"1"}}, nil)
	if ex == nil || ex.Status != http.StatusNotFound {
		return
	}
	d := p.c.Dialect()
	d.PathCase = "lower"
	if err := p.c.SetDialect(d); err != nil {
		return
	}
	ex, req := p.send(ctx, "GET", "Users", url.Values{"count": {"1"}}, nil)
	if !ok(ex) {
		d.PathCase = ""
		_ = p.c.SetDialect(d)
		return
	}
	p.probed["path_case"] = true
	p.detected.PathCase = "lower"
	p.add(Finding{Key: "paths", Severity: Quirk, Request: req, Summary: "/Users answers 404; the app routes lower-case paths (/users, /groups).",
		Provider: `path_case = "lower".`})
}

func (p *prober) discovery(ctx context.Context) {
	ex, req := p.send(ctx, "GET", "ServiceProviderConfig", nil, nil)
	if !ok(ex) && ex != nil && ex.Status == http.StatusNotFound {
		ex, req = p.pluralDiscovery(ctx, ex, req)
	}
	if !ok(ex) {
		p.add(Finding{Key: "discovery", Severity: Quirk, Summary: "No /ServiceProviderConfig: " + describeError(ex), Request: req,
			Provider: "Nothing is taken from discovery; the settings below come from what the app did."})
		return
	}
	p.probed["discovery_path"] = true
	var spc map[string]any
	_ = json.Unmarshal(ex.Body, &spc)
	p.docURI, _ = spc["documentationUri"].(string)
	supported := func(name string) bool {
		m, _ := spc[name].(map[string]any)
		return fmt.Sprint(m["supported"]) == "true"
	}
	p.add(Finding{Key: "discovery", Severity: OK, Request: req, Summary: fmt.Sprintf(
		"/ServiceProviderConfig says: patch %t, filter %t, etag %t, bulk %t, sort %t.",
		supported("patch"), supported("filter"), supported("etag"), supported("bulk"), supported("sort"))})
	if !supported("patch") {
		p.detected.UpdateMethod = scim.UpdatePut
		p.probed["update_method"] = true
		p.add(Finding{Key: "patch", Severity: Quirk, Request: req, Summary: "Discovery says PATCH is not supported.",
			Provider: `Updates are sent as GET, merge and PUT (update_method = "put"; discovery would also switch to it).`})
	}
	for _, doc := range []string{"Schemas", "ResourceTypes"} {
		ex, req := p.send(ctx, "GET", doc, nil, nil)
		if !ok(ex) {
			p.add(Finding{Key: "discovery." + lower(doc), Severity: Quirk, Summary: "No /" + doc + ": " + describeError(ex), Request: req,
				Provider: "Extension URNs in `extensions` are not checked at plan time."})
		}
	}
}

// pluralDiscovery tries SCIM 1.1's /ServiceProviderConfigs after a 404 to
// /ServiceProviderConfig (Salesforce kept the old name). It returns that
// answer when it works, else the first one.
func (p *prober) pluralDiscovery(ctx context.Context, first *scim.Exchange, firstReq string) (*scim.Exchange, string) {
	d := p.c.Dialect()
	d.DiscoveryPath = "ServiceProviderConfigs"
	if err := p.c.SetDialect(d); err != nil {
		return first, firstReq
	}
	ex, req := p.send(ctx, "GET", "ServiceProviderConfig", nil, nil) // sent to the dialect's path
	if !ok(ex) {
		d.DiscoveryPath = "ServiceProviderConfig"
		_ = p.c.SetDialect(d)
		return first, firstReq
	}
	p.detected.DiscoveryPath = "ServiceProviderConfigs"
	p.add(Finding{Key: "discovery.path", Severity: Quirk, Request: req,
		Summary:  "/ServiceProviderConfig answers 404; the app serves SCIM 1.1's /ServiceProviderConfigs.",
		Provider: `discovery_path = "ServiceProviderConfigs".`})
	return ex, req
}

// listNeedsFilter checks, after a listing of users was refused with a
// 400, whether the app lists users only for a filter (Google Cloud
// Identity: userName eq only, no paging).
func (p *prober) listNeedsFilter(ctx context.Context) (*scim.Exchange, string, bool) {
	ex, req := p.send(ctx, "GET", "Users", url.Values{"filter": {scim.Eq("userName", "scim-probe-nobody@example.invalid")}}, nil)
	if !ok(ex) {
		return ex, req, false
	}
	p.probed["list_needs_filter"] = true
	p.detected.ListNeedsFilter = true
	p.add(Finding{Key: "users.list_needs_filter", Severity: Quirk, Request: req,
		Summary: "/Users refuses a listing without a filter, and answers one with userName eq.",
		Provider: "list_needs_filter = true: refresh reads users by id; listings need a userName filter, and a whole " +
			"tenant is imported by id instead."})
	return ex, req, true
}

// paging learns the start index base, a page cap and cursor paging.
func (p *prober) paging(ctx context.Context, total int) {
	if total < 3 && total >= 0 {
		p.add(Finding{Key: "paging", Severity: Unknown, Summary: "Fewer than 3 users: paging was not checked."})
		return
	}
	first := func(start string) (string, string) {
		ex, req := p.send(ctx, "GET", "Users", url.Values{"startIndex": {start}, "count": {"1"}, "attributes": {"id"}}, nil)
		if !ok(ex) {
			return "", req
		}
		items, _, _ := listPage(ex.Body)
		if len(items) == 0 {
			return "", req
		}
		return fmt.Sprint(items[0]["id"]), req
	}
	id0, req0 := first("0")
	id1, _ := first("1")
	id2, _ := first("2")
	p.probed["start_index_base"] = true
	switch {
	case id1 != "" && id1 == id2:
		p.add(Finding{Key: "paging.start_index", Severity: Quirk, Request: req0,
			Summary:  "startIndex is ignored: every page starts at the first user.",
			Provider: "Pages are de-duplicated by id and the listing stops when a page brings nothing new; large tenants may be listed incompletely."})
	case id0 != "" && id0 != id1:
		p.detected.StartIndexBase = 0
		p.add(Finding{Key: "paging.start_index", Severity: Quirk, Request: req0, Summary: "startIndex counts from 0.",
			Provider: "start_index_base = 0."})
	default:
		p.add(Finding{Key: "paging.start_index", Severity: OK, Request: req0, Summary: "startIndex counts from 1 (RFC 7644)."})
	}
	asked := 200
	ex, req := p.send(ctx, "GET", "Users", url.Values{"startIndex": {strconv.Itoa(p.detected.StartIndexBase)}, "count": {strconv.Itoa(asked)}, "attributes": {"id"}}, nil)
	if ok(ex) {
		items, _, _ := listPage(ex.Body)
		want := asked
		if total >= 0 && total < want {
			want = total
		}
		p.probed["page_size"] = true
		if len(items) < want {
			p.detected.PageSize = len(items)
			p.add(Finding{Key: "paging.page_cap", Severity: Quirk, Request: req,
				Summary:  fmt.Sprintf("Pages are capped at %d users (asked for %d).", len(items), asked),
				Provider: fmt.Sprintf("page_size = %d, so each page is full; startIndex advances by what came back either way.", len(items))})
		}
	}
	ex, req = p.send(ctx, "GET", "Users", url.Values{"count": {"1"}, "cursor": {""}, "attributes": {"id"}}, nil)
	if ok(ex) && strings.Contains(string(ex.Body), `"nextCursor"`) {
		p.add(Finding{Key: "paging.cursor", Severity: OK, Request: req, Summary: "Cursor paging (RFC 9865) is offered on /Users.",
			Provider: "nextCursor is followed when the app sends it."})
	}
}

// filterCheck is one filter and how to tell it worked on the sample user.
type filterCheck struct {
	key, filter string
}

func (p *prober) filters(ctx context.Context) {
	p.step("checking filters")
	name := fmt.Sprint(p.user["userName"])
	id := fmt.Sprint(p.user["id"])
	email := firstEmail(p.user)
	checks := []filterCheck{
		{"filter.eq", scim.Eq("userName", name)},
		{"filter.eq_case", scim.Eq("userName", strings.ToUpper(name))},
		{"filter.sw", scim.Sw("userName", prefixOf(name))},
		{"filter.co", "userName co " + strconv.Quote(prefixOf(name))},
		{"filter.and", scim.And(scim.Eq("userName", name), "active eq "+fmt.Sprint(p.user["active"] != false))},
	}
	if email != "" {
		checks = append(checks, filterCheck{"filter.emails", `emails[type eq "work" and value eq ` + strconv.Quote(email) + `]`},
			filterCheck{"filter.emails_value", scim.Eq("emails.value", email)})
	}
	for _, fc := range checks {
		ex, req := p.send(ctx, "GET", "Users", url.Values{"filter": {fc.filter}, "attributes": {"id,userName"}}, nil)
		verdict, severity, provider := filterVerdict(ex, id, fc.key)
		p.add(Finding{Key: fc.key, Severity: severity, Request: req, Summary: fmt.Sprintf("Filter %s: %s.", fc.filter, verdict), Provider: provider})
	}
}

func filterVerdict(ex *scim.Exchange, id, key string) (verdict, severity, provider string) {
	switch {
	case rejected(ex):
		verdict = "rejected (" + describeError(ex) + ")"
	case !ok(ex):
		verdict = "failed (" + describeError(ex) + ")"
	default:
		items, _, _ := listPage(ex.Body)
		found, others := false, 0
		for _, it := range items {
			if fmt.Sprint(it["id"]) == id {
				found = true
			} else if key != "filter.sw" && key != "filter.co" {
				others++
			}
		}
		switch {
		case found && others == 0:
			return "works", OK, ""
		case found:
			verdict = "ignored (other users came back)"
		default:
			verdict = "does not find the user"
		}
	}
	switch key {
	case "filter.eq":
		return verdict, Blocker, "Lookups by userName eq are how the provider avoids duplicates; the provider re-checks results, but an app that rejects eq cannot be managed safely."
	case "filter.eq_case":
		return verdict, Quirk, "userName is compared case-sensitively by the app's filter: write user_name in the app's case; the provider compares case-insensitively itself."
	case "filter.emails", "filter.emails_value":
		return verdict, Quirk, "Lookups use userName and externalId only; email filters are not needed."
	default:
		return verdict, Quirk, "Not used for management; list resources and data sources read every page and narrow locally when the app rejects it."
	}
}

func (p *prober) projection(ctx context.Context) {
	ex, req := p.send(ctx, "GET", "Users", url.Values{"attributes": {"userName"}, "count": {"1"}}, nil)
	if !ok(ex) {
		p.add(Finding{Key: "projection", Severity: Quirk, Summary: "?attributes= is refused: " + describeError(ex), Request: req,
			Provider: "The provider asks for attributes only for id listings and group members."})
		return
	}
	items, _, _ := listPage(ex.Body)
	extra := 0
	for _, it := range items {
		for k := range it {
			switch lower(k) {
			case "id", "username", "schemas", "meta":
			default:
				extra++
			}
		}
	}
	if extra > 0 {
		p.add(Finding{Key: "projection", Severity: Quirk, Request: req, Summary: "?attributes= is ignored: whole users come back.",
			Provider: "Harmless: answers are read whole; listings cost more bandwidth."})
		return
	}
	p.add(Finding{Key: "projection", Severity: OK, Request: req, Summary: "?attributes= projects the answer."})
}

// listPage reads a ListResponse tolerantly: the resources under any key
// case, and totalResults (-1 when absent).
func listPage(body []byte) ([]map[string]any, int, string) {
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		return nil, -1, ""
	}
	var items []map[string]any
	key := ""
	for k, v := range doc {
		if lower(k) == "resources" {
			key = k
			list, _ := v.([]any)
			for _, it := range list {
				if m, ok := it.(map[string]any); ok {
					items = append(items, m)
				}
			}
		}
	}
	total := -1
	if v, ok := doc["totalResults"]; ok {
		total, _ = strconv.Atoi(fmt.Sprint(v))
	}
	return items, total, key
}

func totalText(total, seen int) string {
	if total < 0 {
		return fmt.Sprintf("at least %d (no totalResults)", seen)
	}
	return strconv.Itoa(total)
}

func describeError(ex *scim.Exchange) string {
	switch {
	case ex == nil:
		return "no answer"
	case ex.Err != nil:
		return ex.Err.Error()
	}
	return fmt.Sprintf("HTTP %d", ex.Status)
}

func firstEmail(user map[string]any) string {
	emails, _ := user["emails"].([]any)
	for _, e := range emails {
		if m, ok := e.(map[string]any); ok && fmt.Sprint(m["type"]) == "work" {
			return fmt.Sprint(m["value"])
		}
	}
	return ""
}

func prefixOf(name string) string {
	if len(name) > 3 {
		return name[:3]
	}
	return name
}
