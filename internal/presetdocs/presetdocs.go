// Package presetdocs writes the "Supported apps" guide from the vendor
// presets themselves, so that what the docs say a preset does cannot
// drift from what it does: `make generate` writes the page's template with
// it, and a test fails when the committed page differs.
package presetdocs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// Render returns the template of the Supported apps guide.
func Render() string {
	var b strings.Builder
	b.WriteString(`---
page_title: "Supported apps"
subcategory: ""
description: |-
  Every app with a vendor preset, and what each preset sets, generated from the presets themselves.
---

# Supported apps

Each app below has a ` + "`vendor`" + ` preset: the way its SCIM server departs from RFC 7644, as its vendor
documents it. Any other app with a SCIM 2.0 endpoint works with ` + "`generic`" + ` (the default), refined
by discovery and by ` + "`dialect`" + ` settings; [scim-probe](onboarding-a-new-app.md) finds which. Any field a
preset sets can be overridden in ` + "`dialect`" + `. This page is generated from the presets (` + "`make generate`" + `),
so it says what the code does.

| App | ` + "`vendor`" + ` | Groups | Discovery | Listing | Members read | Member changes per request | Destroying a user | Default pace |
|---|---|---|---|---|---|---|---|---|
`)
	for _, name := range presetOrder() {
		d, _ := scim.Preset(name)
		if d.Unsupported != "" {
			fmt.Fprintf(&b, "| %s | `%s` | not supported: %s | | | | | | |\n", appLink(d), name, firstSentence(d.Unsupported))
			continue
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | `%s` | %s | %s | %s |\n", appLink(d), name, yesNo(d.SupportsGroups),
			onOff(d.Discover), listing(d), d.MembersRead, memberChanges(d), destroying(d), pace(d))
	}
	b.WriteString("\n## What else each preset sets\n\n")
	for _, name := range presetOrder() {
		d, _ := scim.Preset(name)
		if d.Unsupported != "" {
			continue
		}
		if other := otherSettings(d); len(other) > 0 {
			fmt.Fprintf(&b, "- `%s`: %s.\n", name, strings.Join(other, "; "))
		}
	}
	return b.String()
}

// presetOrder lists generic first, then the presets by name.
func presetOrder() []string {
	names := slices.DeleteFunc(scim.PresetNames(), func(n string) bool { return n == "generic" })
	return append([]string{"generic"}, names...)
}

func appLink(d scim.Dialect) string {
	if d.Name == "generic" {
		return "any RFC 7644 server"
	}
	if guide, ok := strings.CutPrefix(d.GuideURL, "guides/"); ok {
		return fmt.Sprintf("[%s](%s.md)", d.App, guide)
	}
	return d.App
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i]
	}
	return strings.TrimSuffix(s, ".")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func listing(d scim.Dialect) string {
	switch {
	case d.ListNeedsFilter:
		return "users by id only (listings need a filter)"
	case d.CursorPaging:
		return fmt.Sprintf("by cursor, %d a page", d.PageSize)
	}
	return fmt.Sprintf("by index, %d a page", d.PageSize)
}

func memberChanges(d scim.Dialect) string {
	adds, removes := d.MemberChunkSize, d.MemberChunkSize
	if d.MemberAddsPerRequest > 0 {
		adds = min(adds, d.MemberAddsPerRequest)
	}
	if d.MemberRemovesPerRequest > 0 {
		removes = min(removes, d.MemberRemovesPerRequest)
	}
	out := fmt.Sprintf("%d added, %d removed", adds, removes)
	if d.MemberChangesAlone {
		out += ", never mixed"
	}
	return out
}

func destroying(d scim.Dialect) string {
	out := "deactivates"
	if d.DeactivateMayDelete {
		out = "deactivates (the app deletes what it deactivates)"
	}
	if !d.SupportsDelete {
		return out + "; no `delete`"
	}
	if d.DeleteIrreversible {
		return out + "; `delete` is irreversible"
	}
	return out
}

func pace(d scim.Dialect) string {
	if d.RateLimit > 0 {
		return fmt.Sprintf("%g requests/s, shared by the runs on a machine", d.RateLimit)
	}
	return "learned from the app"
}

// otherSettings are the preset's departures from generic the table does
// not show.
func otherSettings(d scim.Dialect) []string {
	g := scim.Generic()
	var out []string
	add := func(cond bool, format string, args ...any) {
		if cond {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	add(d.PatchOpCase != g.PatchOpCase, "PATCH ops %s", d.PatchOpCase)
	add(d.UpdateMethod != g.UpdateMethod, "updates by %s", strings.ToUpper(d.UpdateMethod))
	add(d.PathCase != "", "%s-case paths", d.PathCase)
	add(d.DiscoveryPath != g.DiscoveryPath, "discovery at `/%s`", d.DiscoveryPath)
	add(d.MemberAddShape != "", "members added as `%s`", d.MemberAddShape)
	add(d.MemberFilterAttribute != g.MemberFilterAttribute, "members checked by `%s eq`", d.MemberFilterAttribute)
	add(!d.SupportsPassword, "no passwords (`password_wo` fails at plan time)")
	add(d.ConsistencyWindow > 0, "writes shown up to %s late (`consistency_window`)", d.ConsistencyWindow)
	add(len(d.RequiredOnCreate) > 0, "required on create: %s", codeList(d.RequiredOnCreate))
	add(len(d.SingleValued) > 0, "one value only: %s", codeList(d.SingleValued))
	add(len(d.UserSchemas) > 0, "users list %s", codeList(d.UserSchemas))
	add(d.RolesAttribute != g.RolesAttribute, "roles in `%s`", d.RolesAttribute)
	return out
}

func codeList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "`" + s + "`"
	}
	return strings.Join(quoted, ", ")
}
