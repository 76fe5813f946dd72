package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/scim-terraform/terraform-provider-scim/internal/probe"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// probeCase is a local server with quirks, what scim-probe must find on it,
// and the settings it must suggest.
type probeCase struct {
	name   string
	server scimtest.Options
	// preset, when set, starts the server from a server preset.
	preset string
	// findings are keys that must be reported as quirks.
	findings []string
	vendor   string
	dialect  map[string]any
}

var probeCases = []probeCase{
	{name: "rfc", dialect: nil},
	{name: "zero_based_paging", server: scimtest.Options{Quirks: scimtest.Quirks{ZeroBasedStartIndex: true}},
		findings: []string{"paging.start_index"}, dialect: map[string]any{"start_index_base": 0}},
	{name: "page_cap", server: scimtest.Options{PageCap: 50},
		findings: []string{"paging.page_cap"}, dialect: map[string]any{"page_size": 50}},
	{name: "no_patch", server: scimtest.Options{Quirks: scimtest.Quirks{NoPatch: true}},
		findings: []string{"write.patch"}, dialect: map[string]any{"update_method": "put"}},
	{name: "capitalized_ops", server: scimtest.Options{Quirks: scimtest.Quirks{OpCase: "capitalized"}},
		findings: []string{"write.patch"}, dialect: map[string]any{"patch_op_case": "capitalized"}},
	{name: "members_not_inline", server: scimtest.Options{MembersNotInline: true},
		findings: []string{"groups.members"}, dialect: map[string]any{"members_read": "attributes"}},
	{name: "members_write_only", server: scimtest.Options{Quirks: scimtest.Quirks{MembersWriteOnly: true}},
		findings: []string{"groups.members"}, dialect: map[string]any{"members_read": "write_only"}},
	{name: "post_drops_members", server: scimtest.Options{Quirks: scimtest.Quirks{PostDropsMembers: true}},
		findings: []string{"groups.members"}},
	{name: "no_groups", server: scimtest.Options{Quirks: scimtest.Quirks{NoGroups: true}},
		findings: []string{"groups"}, dialect: map[string]any{"groups": false}},
	{name: "no_delete", server: scimtest.Options{Quirks: scimtest.Quirks{NoDelete: true}},
		findings: []string{"write.delete"}, dialect: map[string]any{"delete": false}},
	{name: "deactivate_deletes", server: scimtest.Options{Quirks: scimtest.Quirks{DeactivateMode: "delete"}},
		findings: []string{"write.deactivate"}, dialect: map[string]any{"deactivate_may_delete": true}},
	{name: "eq_only_filters", server: scimtest.Options{Quirks: scimtest.Quirks{FilterMode: "eq_only"}},
		findings: []string{"filter.sw", "filter.emails"}},
	{name: "case_sensitive_filter", server: scimtest.Options{Quirks: scimtest.Quirks{UserNameCaseSensitive: true}},
		findings: []string{"filter.eq_case"}},
	{name: "aws", preset: "aws", findings: []string{"groups.paging", "groups.members"}, vendor: "aws_identity_center"},
	{name: "entra", preset: "entra", findings: []string{"paths", "groups.paging", "groups.members"}, vendor: "entra"},
	{name: "hoppscotch", preset: "hoppscotch", findings: []string{"groups", "write.deactivate"}, vendor: "hoppscotch"},
	{name: "plural_discovery", server: scimtest.Options{Quirks: scimtest.Quirks{PluralDiscovery: true}},
		findings: []string{"discovery.path"}, dialect: map[string]any{"discovery_path": "ServiceProviderConfigs"}},
	{name: "salesforce", preset: "salesforce", findings: []string{"discovery.path", "write.delete"}, vendor: "salesforce"},
	// What Hyperproof does (capitalized ops, no DELETE) names the preset,
	// which also sets passwords off and a consistency window, only where
	// the app says it is Hyperproof (its documentationUri); otherwise the
	// settings observed, and a finding that says which preset may fit.
	{name: "hyperproof", preset: "hyperproof", findings: []string{"write.patch", "write.delete"}, vendor: "hyperproof"},
	{name: "hyperproof_alike", server: scimtest.Options{Quirks: scimtest.Quirks{OpCase: "capitalized", NoDelete: true}},
		findings: []string{"write.patch", "write.delete", "suggestion.preset"},
		dialect:  map[string]any{"delete": false, "patch_op_case": "capitalized"}},
	{name: "secureframe_alike", server: scimtest.Options{Quirks: scimtest.Quirks{NoGroups: true, NoDelete: true}},
		findings: []string{"groups", "write.delete"}, dialect: map[string]any{"delete": false, "groups": false}},
	// Google: one departure the probe can see (listings need a filter) names no preset.
	{name: "google_cloud_identity", preset: "google_cloud_identity", findings: []string{"users.list_needs_filter"},
		dialect: map[string]any{"list_needs_filter": true}},
}

// TestAccProbe runs scim-probe (with -write) against the local server under
// every quirk it can simulate that the probe detects, checks the findings
// and the suggested settings, then applies a user and group lifecycle with
// the suggested provider block.
func TestAccProbe(t *testing.T) {
	for _, tc := range probeCases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.server
			if tc.preset != "" {
				opts, _ = scimtest.Preset(tc.preset)
			}
			srv := scimtest.NewTestServer(t, opts)
			seedTenant(srv, 120, 3)
			client, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, MaxRetries: 1})
			if err != nil {
				t.Fatal(err)
			}
			report := probe.Run(context.Background(), client, probe.Options{Write: true})
			var text, asJSON strings.Builder
			_ = report.WriteText(&text)
			_ = report.WriteJSON(&asJSON)
			if strings.Contains(text.String()+asJSON.String(), srv.Token) {
				t.Error("the report shows the token")
			}
			if !report.Manageable {
				t.Fatalf("probe says the app cannot be managed:\n%s", text.String())
			}
			quirks := map[string]bool{}
			for _, f := range report.Findings {
				if f.Severity == probe.Quirk {
					quirks[f.Key] = true
				}
			}
			for _, key := range tc.findings {
				if !quirks[key] {
					t.Errorf("quirk %q not reported:\n%s", key, text.String())
				}
			}
			if report.Vendor != tc.vendor || fmt.Sprint(report.Overrides) != fmt.Sprint(tc.dialect) {
				t.Errorf("suggested vendor %q, dialect %v; want %q, %v\n%s", report.Vendor, report.Overrides, tc.vendor, tc.dialect, text.String())
			}
			for _, doc := range srv.All("Users") {
				if name := fmt.Sprint(doc["userName"]); strings.HasPrefix(name, "scim-probe-") && doc["active"] != false {
					t.Errorf("the throwaway user %s was left active", name)
				}
			}
			for _, doc := range srv.All("Groups") {
				if strings.HasPrefix(fmt.Sprint(doc["displayName"]), "scim-probe-") {
					t.Errorf("the throwaway group %v was left behind", doc["displayName"])
				}
			}
			block := strings.Replace(report.Block, "  # token from SCIM_TOKEN\n", fmt.Sprintf("  token    = %q\n", srv.Token), 1)
			testSuggestedBlock(t, block, quirks["groups"])
		})
	}
}

// testSuggestedBlock applies a user (and a group with it as member, where
// the app has groups) with the suggested block, changes them, imports the
// user and destroys everything.
func testSuggestedBlock(t *testing.T, block string, noGroups bool) {
	config := func(title string) string {
		cfg := block + fmt.Sprintf(`
resource "scim_user" "probe" {
  user_name    = "probe-lifecycle@example.com"
  display_name = "Probe Lifecycle"
  name         = { given_name = "Probe", family_name = "Lifecycle" }
  title        = %q
  emails       = [{ value = "probe-lifecycle@example.com", type = "work", primary = true }]
}
`, title)
		if !noGroups {
			cfg += `
resource "scim_group" "probe" {
  display_name = "Probe lifecycle"
  members      = [scim_user.probe.id]
}
`
		}
		return cfg
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("Engineer")},
			{Config: config("Lead")},
			{ResourceName: "scim_user.probe", ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts", "password_wo_version", "adopt_existing", "destroy_mode"}},
		},
	})
}

// TestProbeWriteChecksFiltersOnAnEmptyApp: scim-probe -write on an app
// with no users yet checks filters and versions on its throwaway user
// instead of telling the user to run again with -write; and its finding on
// lower-cased emails gives no advice to write them in lower case (emails
// compare without case, so a mixed-case value plans clean).
func TestProbeWriteChecksFiltersOnAnEmptyApp(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{LowercaseEmails: true}})
	client, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	report := probe.Run(context.Background(), client, probe.Options{Write: true})
	var text strings.Builder
	_ = report.WriteText(&text)
	found := map[string]probe.Finding{}
	for _, f := range report.Findings {
		found[f.Key] = f
	}
	if f, ok := found["filter.eq"]; !ok || f.Severity != probe.OK {
		t.Errorf("the userName filter was not checked on the throwaway user (%+v):\n%s", f, text.String())
	}
	if _, ok := found["etag"]; !ok {
		t.Errorf("versions were not checked on the throwaway user:\n%s", text.String())
	}
	if strings.Contains(text.String(), "run again with -write") || strings.Contains(text.String(), "Run again with -write") {
		t.Errorf("a -write run tells the user to run again with -write:\n%s", text.String())
	}
	if f, ok := found["write.lowercase_emails"]; ok && strings.Contains(strings.ToLower(f.Provider), "write emails in lower case") {
		t.Errorf("the probe advises lower-case emails although emails compare without case: %s", f.Provider)
	}
}
