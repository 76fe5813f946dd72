package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// presetFact returns what preset d sets for a dialect setting, in the form
// the app guides write it, and false for a setting this test cannot read.
func presetFact(d scim.Dialect, key string) (string, bool) {
	list := func(items []string) string { return "`" + strings.Join(items, "`, `") + "`" }
	onOff := func(b bool) string { return map[bool]string{true: "on", false: "off"}[b] }
	switch key {
	case "patch_op_case":
		return d.PatchOpCase, true
	case "update_method":
		return d.UpdateMethod, true
	case "content_type":
		return d.ContentType, true
	case "page_size":
		return strconv.Itoa(d.PageSize), true
	case "member_chunk_size":
		return strconv.Itoa(d.MemberChunkSize), true
	case "member_adds_per_request":
		return strconv.Itoa(d.MemberAddsPerRequest), true
	case "member_removes_per_request":
		return strconv.Itoa(d.MemberRemovesPerRequest), true
	case "member_changes_alone":
		return strconv.FormatBool(d.MemberChangesAlone), true
	case "member_add_shape":
		return d.MemberAddShape, true
	case "path_case":
		return d.PathCase, true
	case "discovery_path":
		return d.DiscoveryPath, true
	case "members_read":
		return d.MembersRead, true
	case "delete":
		return strconv.FormatBool(d.SupportsDelete), true
	case "password":
		return strconv.FormatBool(d.SupportsPassword), true
	case "discovery":
		return strconv.FormatBool(d.Discover), true
	case "filter_on_emails":
		return onOff(d.FilterOnEmails), true
	case "consistency_window":
		if w := d.ConsistencyWindow; w > 0 && w%time.Minute == 0 {
			return fmt.Sprintf("%dm", w/time.Minute), true // as the guides write it: 1m
		}
		return d.ConsistencyWindow.String(), true
	case "required_on_create":
		return list(d.RequiredOnCreate), true
	case "single_valued":
		return list(d.SingleValued), true
	}
	return "", false
}

var (
	settingRow = regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| `?([^`|]+?)`?(?:,| \\|)")
	listRow    = regexp.MustCompile("(?m)^\\| `(required_on_create|single_valued)` \\| ([^|]+?) \\|")
	paceRow    = regexp.MustCompile(`(?m)^\| Pace \| ([0-9.]+) requests a second`)
)

// TestAppGuidesMatchThePresets: each app guide's table of what its preset
// sets ("| `member_chunk_size` | `8000` | ...", "| Pace | 3 requests a
// second ...") agrees with the preset data, so a preset changed without
// its guide fails here.
func TestAppGuidesMatchThePresets(t *testing.T) {
	checked := 0
	for _, name := range scim.PresetNames() {
		d, _ := scim.Preset(name)
		guide, ok := strings.CutPrefix(d.GuideURL, "guides/")
		if !ok {
			continue
		}
		b, err := os.ReadFile(filepath.Join("../../templates/guides", guide+".md.tmpl"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		page := string(b)
		for _, m := range settingRow.FindAllStringSubmatch(page, -1) {
			key, said := m[1], strings.TrimSpace(m[2])
			if key == "required_on_create" || key == "single_valued" {
				continue
			}
			want, known := presetFact(d, key)
			if !known {
				continue
			}
			checked++
			if said != want {
				t.Errorf("the %s guide says %s is %q; the %s preset sets %q", guide, key, said, name, want)
			}
		}
		for _, m := range listRow.FindAllStringSubmatch(page, -1) {
			want, _ := presetFact(d, m[1])
			checked++
			if said := strings.TrimSpace(m[2]); said != want {
				t.Errorf("the %s guide says %s is %s; the %s preset sets %s", guide, m[1], said, name, want)
			}
		}
		if m := paceRow.FindStringSubmatch(page); m != nil {
			checked++
			if said := m[1]; said != fmt.Sprintf("%g", d.RateLimit) {
				t.Errorf("the %s guide says the pace is %s requests a second; the %s preset paces at %g", guide, said, name, d.RateLimit)
			}
		}
	}
	t.Logf("%d facts checked", checked)
	if checked < 20 {
		t.Errorf("only %d facts were checked: the guides' tables may have changed shape", checked)
	}
}
