package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

func (p *prober) groups(ctx context.Context) {
	p.step("checking groups")
	ex, req := p.send(ctx, "GET", "Groups", url.Values{"startIndex": {"1"}, "count": {"5"}}, nil)
	p.probed["groups"] = true
	if !ok(ex) {
		p.detected.SupportsGroups = false
		p.add(Finding{Key: "groups", Severity: Quirk, Request: req, Summary: "No usable /Groups: " + describeError(ex),
			Provider: "groups = false: scim_group and scim_group_member fail at plan time."})
		return
	}
	groups, total, _ := listPage(ex.Body)
	p.add(Finding{Key: "groups", Severity: OK, Request: req, Summary: fmt.Sprintf("/Groups lists %s groups.", totalText(total, len(groups)))})
	if len(groups) > 0 {
		p.group = groups[0]
	}
	p.groupPaging(ctx, total)
	for _, g := range groups {
		if members, ok := g["members"].([]any); ok && len(members) > 0 {
			p.probed["members_read"] = true
			p.add(Finding{Key: "groups.members", Severity: OK, Request: req, Summary: "Groups list their members inline."})
			return
		}
	}
	for _, g := range groups {
		path := "Groups/" + url.PathEscape(fmt.Sprint(g["id"]))
		ex, req := p.send(ctx, "GET", path, url.Values{"attributes": {"members"}}, nil)
		var doc map[string]any
		if ok(ex) && json.Unmarshal(ex.Body, &doc) == nil {
			if members, ok := doc["members"].([]any); ok && len(members) > 0 {
				p.probed["members_read"] = true
				p.detected.MembersRead = scim.MembersAttributes
				p.add(Finding{Key: "groups.members", Severity: Quirk, Request: req, Summary: "Members come only with ?attributes=members.",
					Provider: `members_read = "attributes".`})
				return
			}
		}
	}
	if len(groups) > 0 && !p.opts.Write {
		p.add(Finding{Key: "groups.members", Severity: Unknown, Summary: "No group showed members (they may all be empty, or the app never returns members).",
			Provider: "Run again with -write: a throwaway group with one member tells."})
	}
}

// groupPaging detects groups paged only by cursor (AWS IAM Identity Center).
func (p *prober) groupPaging(ctx context.Context, total int) {
	if total >= 0 && total < 2 {
		return
	}
	ids := func(q url.Values) (string, bool, string) {
		ex, req := p.send(ctx, "GET", "Groups", q, nil)
		if !ok(ex) {
			return "", false, req
		}
		items, _, _ := listPage(ex.Body)
		if len(items) == 0 {
			return "", false, req
		}
		return fmt.Sprint(items[0]["id"]), strings.Contains(string(ex.Body), `"nextCursor"`), req
	}
	first, _, _ := ids(url.Values{"startIndex": {"1"}, "count": {"1"}, "excludedAttributes": {"members"}})
	second, _, req := ids(url.Values{"startIndex": {"2"}, "count": {"1"}, "excludedAttributes": {"members"}})
	_, cursor, _ := ids(url.Values{"cursor": {""}, "count": {"1"}, "excludedAttributes": {"members"}})
	p.probed["cursor_paging"] = true
	if first != "" && first == second && cursor {
		p.detected.CursorPaging = true
		p.add(Finding{Key: "groups.paging", Severity: Quirk, Request: req, Summary: "/Groups ignores startIndex and pages by cursor only.",
			Provider: "Listings ask for cursor paging from the first page (as the aws_identity_center preset does)."})
	}
}
