package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

const patchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// writeRoundTrip creates a throwaway user (and group), changes them the
// ways the provider does, and removes them. Cleanup runs whatever happens,
// even when ctx is canceled (Ctrl-C), with a context of its own.
func (p *prober) writeRoundTrip(ctx context.Context) {
	suffix := randomSuffix()
	userName := "scim-probe-" + suffix + "@example.invalid"
	p.step("-write: creating throwaway user %s", userName)
	user := map[string]any{
		"schemas":  []string{scim.SchemaUser},
		"userName": userName,
		// displayName, givenName and familyName: AWS IAM Identity Center
		// and Entra's SCIM API refuse a user without any of them.
		"displayName": "SCIM Probe " + suffix,
		"name":        map[string]any{"givenName": "Scim", "familyName": "Probe"},
		"emails":      []any{map[string]any{"value": "Scim-Probe-" + suffix + "@Example.invalid", "type": "work", "primary": true}},
		"active":      true,
	}
	ex, req := p.send(ctx, "POST", "Users", nil, user)
	p.probed["user_schemas"] = true
	if urn := extensionNamed(ex); rejected(ex) && urn != "" {
		// Some apps refuse users without their extension in "schemas".
		p.detected.UserSchemas = []string{urn}
		user["schemas"] = []string{scim.SchemaUser, urn}
		p.add(Finding{Key: "write.user_schemas", Severity: Quirk, Request: req, Summary: "Users must list " + urn + " in schemas.",
			Provider: fmt.Sprintf("user_schemas = [%q].", urn)})
		ex, req = p.send(ctx, "POST", "Users", nil, user)
	}
	if !ok(ex) {
		p.add(Finding{Key: "write.create", Severity: Blocker, Request: req, Summary: "Creating a user failed: " + describeError(ex),
			Provider: "The token may be read-only, or the app needs attributes or schemas the probe does not send (see user_schemas)."})
		return
	}
	var created map[string]any
	_ = json.Unmarshal(ex.Body, &created)
	id := fmt.Sprint(created["id"])
	if created["id"] == nil {
		p.add(Finding{Key: "write.create", Severity: Quirk, Request: req, Summary: "The create answer has no id (empty body?).",
			Provider: "The provider looks the user up by userName after such a create."})
		if found := p.findUser(ctx, userName); found != "" {
			id = found
		}
	} else {
		p.add(Finding{Key: "write.create", Severity: OK, Request: req, Summary: fmt.Sprintf("POST /Users created the user (%d).", ex.Status)})
	}
	defer p.cleanupUser(ctx, id)
	if p.user == nil && id != "" {
		// The app had no users to check filters and versions on: check
		// them on this one, as the app stores it.
		if ex, _ := p.send(ctx, "GET", "Users/"+url.PathEscape(id), nil, nil); ok(ex) {
			_ = json.Unmarshal(ex.Body, &p.user)
		}
		if p.user != nil {
			p.filters(ctx)
			p.projection(ctx)
			p.versions(ctx)
		}
	}
	p.derivedValues(created)
	p.patchForms(ctx, id)
	p.replace(ctx, id)
	if p.detected.SupportsGroups {
		p.groupRoundTrip(ctx, id, suffix)
	}
	p.deactivateAndDelete(ctx, id)
}

func (p *prober) findUser(ctx context.Context, userName string) string {
	ex, _ := p.send(ctx, "GET", "Users", url.Values{"filter": {scim.Eq("userName", userName)}}, nil)
	items, _, _ := listPage(bodyOf(ex))
	for _, it := range items {
		if strings.EqualFold(fmt.Sprint(it["userName"]), userName) {
			return fmt.Sprint(it["id"])
		}
	}
	return ""
}

func (p *prober) derivedValues(created map[string]any) {
	if name, _ := created["name"].(map[string]any); name != nil && name["formatted"] != nil {
		p.add(Finding{Key: "write.derived_formatted", Severity: Quirk, Summary: fmt.Sprintf("The app derives name.formatted (%v).", name["formatted"]),
			Provider: "Unset attributes keep the app's value; the provider never fights a derived value it does not manage."})
	}
	if created["displayName"] != nil {
		p.add(Finding{Key: "write.derived_display_name", Severity: Quirk, Summary: fmt.Sprintf("The app derives displayName (%v).", created["displayName"]),
			Provider: "display_name is known after apply when the name changes; set it to manage it."})
	}
	if email := firstEmail(created); email != "" && email == strings.ToLower(email) {
		p.add(Finding{Key: "write.lowercase_emails", Severity: Quirk, Summary: "The app lowercases email addresses.",
			Provider: "Nothing to set: emails are compared without case, so a mixed-case value in the configuration plans clean."})
	}
}

// patchForms tries PATCH with lowercase, then capitalized op names, and
// the path forms the provider sends.
func (p *prober) patchForms(ctx context.Context, id string) {
	path := "Users/" + url.PathEscape(id)
	patch := func(op, attrPath string, value any) (*scim.Exchange, string) {
		return p.send(ctx, "PATCH", path, nil, map[string]any{"schemas": []string{patchOpSchema},
			"Operations": []any{map[string]any{"op": op, "path": attrPath, "value": value}}})
	}
	p.probed["patch_op_case"] = true
	ex, req := patch("replace", "title", "Probe")
	switch {
	case ok(ex):
		p.add(Finding{Key: "write.patch", Severity: OK, Request: req, Summary: "PATCH with lowercase ops works."})
	case unsupported(ex):
		p.probed["update_method"] = true
		p.detected.UpdateMethod = scim.UpdatePut
		p.add(Finding{Key: "write.patch", Severity: Quirk, Request: req, Summary: "PATCH is not supported.",
			Provider: `update_method = "put": every change is GET, merge and PUT (the provider also switches after one 405).`})
		return
	default:
		ex2, req2 := patch("Replace", "title", "Probe")
		if !ok(ex2) {
			p.add(Finding{Key: "write.patch", Severity: Blocker, Request: req2, Summary: "PATCH fails with either op case: " + describeError(ex2),
				Provider: `Try update_method = "put".`})
			return
		}
		p.detected.PatchOpCase = "capitalized"
		p.add(Finding{Key: "write.patch", Severity: Quirk, Request: req2, Summary: "PATCH needs capitalized op names (Replace), as Entra ID sends.",
			Provider: `patch_op_case = "capitalized".`})
	}
	op := p.detected.PatchOpCase
	name := map[bool]string{true: "Replace", false: "replace"}[op == "capitalized"]
	for _, form := range []struct{ path, what, value string }{
		{"name.givenName", "a sub-attribute path", "Scimmy"},
		{`emails[type eq "work"].value`, "a value-path filter", "probe-" + randomSuffix() + "@example.invalid"},
	} {
		ex, req := patch(name, form.path, form.value)
		if ok(ex) {
			p.add(Finding{Key: "write.patch_path", Severity: OK, Request: req, Summary: "PATCH with " + form.what + " works."})
			continue
		}
		p.add(Finding{Key: "write.patch_path", Severity: Quirk, Request: req, Summary: "PATCH with " + form.what + " fails: " + describeError(ex),
			Provider: `If updates of emails or names fail, set update_method = "put".`})
	}
}

func (p *prober) replace(ctx context.Context, id string) {
	path := "Users/" + url.PathEscape(id)
	ex, _ := p.send(ctx, "GET", path, nil, nil)
	var doc map[string]any
	if !ok(ex) || json.Unmarshal(ex.Body, &doc) != nil {
		return
	}
	delete(doc, "meta")
	doc["title"] = "Probe (PUT)"
	ex, req := p.send(ctx, "PUT", path, nil, doc)
	switch {
	case ok(ex):
		p.add(Finding{Key: "write.put", Severity: OK, Request: req, Summary: "PUT replaces a user."})
	case p.detected.UpdateMethod == scim.UpdatePut:
		p.add(Finding{Key: "write.put", Severity: Blocker, Request: req, Summary: "Neither PATCH nor PUT updates users: " + describeError(ex),
			Provider: "Users cannot be updated through SCIM."})
	default:
		p.add(Finding{Key: "write.put", Severity: Quirk, Request: req, Summary: "PUT is refused: " + describeError(ex),
			Provider: `Keep update_method = "patch".`})
	}
}

func (p *prober) groupRoundTrip(ctx context.Context, userID, suffix string) {
	p.step("-write: creating throwaway group")
	ex, req := p.send(ctx, "POST", "Groups", nil, map[string]any{"schemas": []string{scim.SchemaGroup},
		"displayName": "scim-probe-" + suffix, "members": []any{map[string]any{"value": userID}}})
	if !ok(ex) {
		p.add(Finding{Key: "write.group", Severity: Quirk, Request: req, Summary: "Creating a group failed: " + describeError(ex)})
		return
	}
	var created map[string]any
	_ = json.Unmarshal(ex.Body, &created)
	id := fmt.Sprint(created["id"])
	defer p.cleanup(ctx, "DELETE", "Groups/"+url.PathEscape(id), nil)
	path := "Groups/" + url.PathEscape(id)
	ex, req = p.send(ctx, "GET", path, nil, nil)
	p.probed["members_read"] = true
	switch {
	case ok(ex) && strings.Contains(string(ex.Body), userID):
		p.detected.MembersRead = scim.MembersInline
		p.add(Finding{Key: "groups.members", Severity: OK, Request: req, Summary: "A group read returns its members."})
	default:
		ex2, req2 := p.send(ctx, "GET", path, url.Values{"attributes": {"members"}}, nil)
		if ok(ex2) && strings.Contains(string(ex2.Body), userID) {
			p.detected.MembersRead = scim.MembersAttributes
			p.add(Finding{Key: "groups.members", Severity: Quirk, Request: req2, Summary: "Members come only with ?attributes=members.",
				Provider: `members_read = "attributes".`})
			break
		}
		p.membersNotShown(ctx, id, userID, req2)
	}
	op := map[bool]string{true: "Remove", false: "remove"}[p.detected.PatchOpCase == "capitalized"]
	if p.detected.UpdateMethod == scim.UpdatePatch {
		ex, req = p.send(ctx, "PATCH", path, nil, map[string]any{"schemas": []string{patchOpSchema},
			"Operations": []any{map[string]any{"op": op, "path": `members[value eq "` + userID + `"]`}}})
		if ok(ex) {
			p.add(Finding{Key: "write.group_members", Severity: OK, Request: req, Summary: "PATCH removes a member by value path."})
		} else {
			p.add(Finding{Key: "write.group_members", Severity: Quirk, Request: req, Summary: "Removing a member by value path fails: " + describeError(ex),
				Provider: `Membership changes may need update_method = "put".`})
		}
	}
	p.add(Finding{Key: "write.member_cap", Severity: Unknown, Summary: "The per-request member cap was not measured (it needs many users).",
		Provider: "member_chunk_size (100 by default) bounds each PATCH; a 413 answer halves it."})
}

func (p *prober) deactivateAndDelete(ctx context.Context, id string) {
	path := "Users/" + url.PathEscape(id)
	var ex *scim.Exchange
	var req string
	if p.detected.UpdateMethod == scim.UpdatePut {
		got, _ := p.send(ctx, "GET", path, nil, nil)
		var doc map[string]any
		_ = json.Unmarshal(bodyOf(got), &doc)
		delete(doc, "meta")
		doc["active"] = false
		ex, req = p.send(ctx, "PUT", path, nil, doc)
	} else {
		op := map[bool]string{true: "Replace", false: "replace"}[p.detected.PatchOpCase == "capitalized"]
		ex, req = p.send(ctx, "PATCH", path, nil, map[string]any{"schemas": []string{patchOpSchema},
			"Operations": []any{map[string]any{"op": op, "value": map[string]any{"active": false}}}})
	}
	if !ok(ex) {
		p.add(Finding{Key: "write.deactivate", Severity: Blocker, Request: req, Summary: "Deactivation failed: " + describeError(ex),
			Provider: "destroy deactivates users by default; use destroy_mode = \"delete\" or \"abandon\"."})
	}
	got, req := p.send(ctx, "GET", path, nil, nil)
	p.probed["deactivate_may_delete"] = true
	switch {
	case got != nil && got.Status == 404:
		p.detected.DeactivateMayDelete = true
		p.add(Finding{Key: "write.deactivate", Severity: Quirk, Request: req, Summary: "A deactivated user disappears (404).",
			Provider: "deactivate_may_delete = true: the 404 after deactivation counts as done."})
		return
	case ok(ex):
		p.add(Finding{Key: "write.deactivate", Severity: OK, Request: req, Summary: "Deactivation keeps the user, inactive."})
	}
	ex, req = p.send(ctx, "DELETE", path, nil, nil)
	p.probed["delete"] = true
	if !ok(ex) {
		p.detected.SupportsDelete = false
		p.add(Finding{Key: "write.delete", Severity: Quirk, Request: req, Summary: "DELETE of users is refused: " + describeError(ex),
			Provider: `delete = false: destroy_mode = "delete" fails at plan time; the throwaway user is left deactivated.`})
		return
	}
	got, req = p.send(ctx, "GET", path, nil, nil)
	if got != nil && got.Status == 404 {
		p.add(Finding{Key: "write.delete", Severity: OK, Request: req, Summary: "DELETE removes the user."})
	} else {
		p.add(Finding{Key: "write.delete", Severity: Quirk, Request: req, Summary: "DELETE answered success but the user is still there (soft delete).",
			Provider: `Prefer destroy_mode = "deactivate" (the default).`})
	}
}

// cleanupUser deactivates and deletes the throwaway user whatever state
// the run left it in; errors only show as findings.
func (p *prober) cleanupUser(ctx context.Context, id string) {
	if id == "" || id == "<nil>" {
		return
	}
	path := "Users/" + url.PathEscape(id)
	p.cleanup(ctx, "PATCH", path, map[string]any{"schemas": []string{patchOpSchema},
		"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"active": false}}}})
	p.cleanup(ctx, "DELETE", path, nil)
}

// cleanup sends a request that must go out even after Ctrl-C.
func (p *prober) cleanup(ctx context.Context, method, path string, body any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	p.report.Requests++
	_, _ = p.c.Send(ctx, method, path, nil, body, nil)
}

var extensionURN = regexp.MustCompile(`urn:[A-Za-z0-9:._-]*:schemas:extension:[A-Za-z0-9:._-]+`)

// extensionNamed is the extension URN a rejected create names, if any.
func extensionNamed(ex *scim.Exchange) string {
	if ex == nil || ex.Err == nil {
		return ""
	}
	return extensionURN.FindString(ex.Err.Detail)
}

func bodyOf(ex *scim.Exchange) []byte {
	if ex == nil {
		return nil
	}
	return ex.Body
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// membersNotShown tells apart, for a group whose reads do not show the
// member its POST carried: an app that dropped the member from the POST
// but keeps a PATCH add (the provider re-sends it by itself), one whose
// members answer only a filter (members_read = "filter"), and one that
// takes member changes but never shows them (members_read = "write_only").
func (p *prober) membersNotShown(ctx context.Context, id, userID, lastReq string) {
	path := "Groups/" + url.PathEscape(id)
	if p.detected.UpdateMethod == scim.UpdatePatch {
		op := map[bool]string{true: "Add", false: "add"}[p.detected.PatchOpCase == "capitalized"]
		ex, req := p.send(ctx, "PATCH", path, nil, map[string]any{"schemas": []string{patchOpSchema},
			"Operations": []any{map[string]any{"op": op, "path": "members", "value": []any{map[string]any{"value": userID}}}}})
		if ok(ex) {
			if again, req2 := p.send(ctx, "GET", path, nil, nil); ok(again) && strings.Contains(string(again.Body), userID) {
				p.detected.MembersRead = scim.MembersInline
				p.add(Finding{Key: "groups.members", Severity: Quirk, Request: req2,
					Summary:  "A group POST drops its members, but a PATCH add keeps them and reads show them.",
					Provider: "Handled by itself: members the app did not keep from a POST are sent again as a PATCH add."})
				return
			}
			lastReq = req
		}
	}
	filter := scim.And(scim.Eq("id", id), scim.Eq("members", userID))
	ex, req := p.send(ctx, "GET", "Groups", url.Values{"filter": {filter}}, nil)
	if ok(ex) && strings.Contains(string(ex.Body), id) {
		p.detected.MembersRead = scim.MembersFilter
		p.add(Finding{Key: "groups.members", Severity: Quirk, Request: req, Summary: "Group reads never return members; a filter finds them.",
			Provider: `members_read = "filter": each expected member is checked with a filter; members added in the app stay invisible.`})
		return
	}
	p.detected.MembersRead = scim.MembersWriteOnly
	p.add(Finding{Key: "groups.members", Severity: Quirk, Request: lastReq,
		Summary: "The app accepts member changes but no read shows them (neither the group, ?attributes=members, nor a members filter).",
		Provider: `members_read = "write_only": members are sent as add/remove changes and trusted from the state; ` +
			`membership changes made in the app cannot be detected.`})
}
