package probe

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// field is one dialect setting the probe can observe, named as in the
// provider's dialect block.
type field struct {
	name string
	get  func(scim.Dialect) any
}

var fields = []field{
	{"patch_op_case", func(d scim.Dialect) any { return d.PatchOpCase }},
	{"update_method", func(d scim.Dialect) any { return d.UpdateMethod }},
	{"start_index_base", func(d scim.Dialect) any { return d.StartIndexBase }},
	{"page_size", func(d scim.Dialect) any { return d.PageSize }},
	{"members_read", func(d scim.Dialect) any { return d.MembersRead }},
	{"groups", func(d scim.Dialect) any { return d.SupportsGroups }},
	{"delete", func(d scim.Dialect) any { return d.SupportsDelete }},
	{"user_schemas", func(d scim.Dialect) any { return fmt.Sprint(d.UserSchemas) }},
	{"deactivate_may_delete", func(d scim.Dialect) any { return d.DeactivateMayDelete }},
	{"path_case", func(d scim.Dialect) any { return d.PathCase }},
	{"discovery_path", func(d scim.Dialect) any { return d.DiscoveryPath }},
	{"list_needs_filter", func(d scim.Dialect) any { return d.ListNeedsFilter }},
	// cursor_paging has no dialect-block setting; it selects a preset.
	{"cursor_paging", func(d scim.Dialect) any { return d.CursorPaging }},
}

// settable are the fields the dialect block can set.
func settable(name string) bool { return name != "cursor_paging" }

// differences lists the probed fields where d differs from the detected dialect.
func (p *prober) differences(d scim.Dialect) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		if !p.probed[f.name] {
			continue
		}
		want := f.get(p.detected)
		if f.name == "page_size" {
			// A smaller page than the cap is fine; only a larger one is not.
			if d.PageSize <= p.detected.PageSize {
				continue
			}
		}
		if f.get(d) != want {
			out[f.name] = want
		}
	}
	return out
}

// confirms says whether what was observed is evidence for preset d rather
// than generic with an override or two: every probed-for setting where d
// departs from generic was observed, and there are at least two of them
// (one alone, such as members_read, fits many apps and names none).
func (p *prober) confirms(d, generic scim.Dialect) bool {
	departures := 0
	for _, f := range fields {
		if f.get(d) == f.get(generic) {
			continue
		}
		if !p.probed[f.name] {
			return false
		}
		departures++
	}
	return departures >= 2
}

// observedFields are the Dialect fields the probe can observe (the fields
// above), and describing ones; the others are what a probe cannot see.
var observedFields = map[string]bool{
	"PatchOpCase": true, "UpdateMethod": true, "StartIndexBase": true, "PageSize": true, "MembersRead": true,
	"SupportsGroups": true, "SupportsDelete": true, "UserSchemas": true, "DeactivateMayDelete": true, "PathCase": true,
	"DiscoveryPath": true, "ListNeedsFilter": true, "CursorPaging": true,
	"Name": true, "App": true, "AuthHint": true, "Unsupported": true, "GuideURL": true,
}

// unobservable lists the settings where d departs from generic that no
// probe can see (a consistency window, passwords, a default pace, ...),
// by the names of the dialect block where it has one.
func unobservable(d, generic scim.Dialect) []string {
	dv, gv := reflect.ValueOf(d), reflect.ValueOf(generic)
	var out []string
	for i := range dv.NumField() {
		name := dv.Type().Field(i).Name
		if observedFields[name] || reflect.DeepEqual(dv.Field(i).Interface(), gv.Field(i).Interface()) {
			continue
		}
		out = append(out, settingName(name))
	}
	return out
}

var camelHump = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// settingName turns a Dialect field into the dialect block's name for it.
func settingName(field string) string {
	switch field {
	case "Discover":
		return "discovery"
	case "RateLimit":
		return "a default pace"
	}
	return strings.ToLower(camelHump.ReplaceAllString(strings.TrimPrefix(field, "Supports"), "${1}_${2}"))
}

// identifies reports whether the endpoint's host or the documentationUri
// the app states names d's vendor: the evidence that tells a preset apart
// from an app that only behaves alike.
func (p *prober) identifies(d scim.Dialect) bool {
	where := strings.ToLower(p.report.Endpoint + " " + p.docURI)
	if u, err := url.Parse(p.report.Endpoint); err == nil {
		where = strings.ToLower(u.Host + " " + p.docURI)
	}
	for _, word := range append(strings.Fields(d.App), strings.Split(d.Name, "_")...) {
		word = strings.ToLower(word)
		if len(word) >= 3 && !genericWords[word] && strings.Contains(where, word) {
			return true
		}
	}
	return false
}

// genericWords are words of product names that name no vendor.
var genericWords = map[string]bool{"iam": true, "identity": true, "center": true, "cloud": true, "enterprise": true,
	"managed": true, "users": true, "scim": true, "api": true, "(scim": true, "api)": true}

// suggest picks a preset that agrees with everything observed (other than
// generic), else generic with the fewest overrides, and writes the block.
func (p *prober) suggest() {
	r := p.report
	best := "generic"
	generic, _ := scim.Preset("generic")
	overrides := p.differences(generic)
	if len(overrides) > 0 {
		for _, name := range scim.PresetNames() {
			d, _ := scim.Preset(name)
			if name == "generic" || d.Unsupported != "" {
				continue
			}
			if diff := p.differences(d); len(diff) == 0 && p.confirms(d, generic) {
				if unseen := unobservable(d, generic); len(unseen) > 0 && !p.identifies(d) {
					// The preset also sets what no probe can see: named
					// only on evidence that the app is that vendor's.
					p.add(Finding{Key: "suggestion.preset", Severity: Quirk,
						Summary: fmt.Sprintf("What was observed fits the %s preset, which also sets what a probe cannot see (%s).",
							name, strings.Join(unseen, ", ")),
						Provider: fmt.Sprintf("If the app is %s, use vendor = %q instead of the dialect settings below.", d.App, name)})
					break
				}
				best, overrides = name, nil
				break
			}
		}
	}
	if _, ok := overrides["cursor_paging"]; ok {
		delete(overrides, "cursor_paging")
		p.add(Finding{Key: "suggestion.cursor", Severity: Quirk,
			Summary:  "Groups page by cursor only, and no preset matches the rest.",
			Provider: `Use vendor = "aws_identity_center" if the app is AWS IAM Identity Center; otherwise listings of groups may stop after the first page.`})
	}
	if best != "generic" {
		r.Vendor = best
	}
	if len(overrides) > 0 {
		r.Overrides = overrides
	}
	r.Block = p.providerBlock(r.Endpoint, r.Vendor, r.Overrides)
}

func (p *prober) providerBlock(endpoint, vendor string, overrides map[string]any) string {
	var b strings.Builder
	b.WriteString("provider \"scim\" {\n")
	fmt.Fprintf(&b, "  endpoint = %q\n", endpoint)
	b.WriteString("  # token from SCIM_TOKEN\n")
	if vendor != "" {
		fmt.Fprintf(&b, "  vendor   = %q\n", vendor)
	}
	if len(overrides) > 0 {
		var keys []string
		for k := range overrides {
			if settable(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		width := 0
		for _, k := range keys {
			width = max(width, len(k))
		}
		b.WriteString("  dialect = {\n")
		for _, k := range keys {
			v := overrides[k]
			if k == "user_schemas" {
				v = fmt.Sprintf("[%q]", p.detected.UserSchemas[0])
			} else if s, ok := v.(string); ok {
				v = fmt.Sprintf("%q", s)
			}
			fmt.Fprintf(&b, "    %-*s = %v\n", width, k, v)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}
