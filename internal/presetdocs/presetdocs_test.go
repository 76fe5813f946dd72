package presetdocs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/presetdocs"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// TestSupportedAppsPageMatchesThePresets: the committed Supported apps
// page is what the presets generate; a preset changed without `make
// generate` fails here, naming the first line that differs.
func TestSupportedAppsPageMatchesThePresets(t *testing.T) {
	for _, path := range []string{"../../templates/guides/supported-apps.md.tmpl", "../../docs/guides/supported-apps.md"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: run make generate", err)
		}
		want := strings.Split(presetdocs.Render(), "\n")
		got := strings.Split(string(b), "\n")
		for i := range min(len(want), len(got)) {
			if got[i] != want[i] {
				t.Fatalf("%s line %d says\n  %s\nthe presets say\n  %s\nrun make generate", path, i+1, got[i], want[i])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s has %d lines, the presets make %d: run make generate", path, len(got), len(want))
		}
	}
}

// TestReadmeNamesEveryPreset: the README's first screen names the app of
// every preset and links the Supported apps page.
func TestReadmeNamesEveryPreset(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	first := string(b)
	if i := strings.Index(first, "\n## "); i > 0 {
		first = first[:i]
	}
	if !strings.Contains(first, "(docs/guides/supported-apps.md)") {
		t.Error("the README's first screen does not link the Supported apps page")
	}
	for _, name := range scim.PresetNames() {
		d, _ := scim.Preset(name)
		app := strings.Fields(strings.ReplaceAll(d.App, "(", ""))[0]
		if name != "generic" && !strings.Contains(first, app) {
			t.Errorf("the README's first screen does not name %s (%s)", d.App, name)
		}
	}
}
