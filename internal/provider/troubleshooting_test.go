package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	quotedPhrase = regexp.MustCompile("`([^`\n]*)`")
	// A placeholder of the guide (<id>, …) or of a format string (%q).
	placeholder = regexp.MustCompile(`<[a-z ]+>|…|%[a-z]`)
	// Go string literals joined with +, across lines.
	literalJoin = regexp.MustCompile(`"\s*\+\s*\n\s*"`)
)

// notFromTheProvider are quotes of Go's own errors, or one instance of a
// summary the provider formats ("Error %s SCIM %s").
var notFromTheProvider = map[string]bool{
	"certificate signed by unknown authority": true,
	"Error reading SCIM user":                 true,
}

// TestTroubleshootingGuideQuotesTheCode: every message the troubleshooting
// guide quotes (a backticked phrase of four words or more) is still in the
// provider's source, so a user who searches the guide for what a
// diagnostic says finds it, and a reworded diagnostic fails here until the
// guide follows.
func TestTroubleshootingGuideQuotesTheCode(t *testing.T) {
	guide, err := os.ReadFile("../../templates/guides/troubleshooting.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	var source strings.Builder
	for _, dir := range []string{"../../internal/provider", "../../internal/scim", "../../internal/probe", "../../cmd/scim-probe"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			source.WriteString(literalJoin.ReplaceAllString(string(b), ""))
		}
	}
	code := strings.ReplaceAll(source.String(), `\"`, `"`)
	checked := 0
	for _, m := range quotedPhrase.FindAllStringSubmatch(string(guide), -1) {
		phrase := m[1]
		// Configuration and commands, not messages.
		if len(strings.Fields(phrase)) < 4 || strings.ContainsAny(phrase, "={") || strings.HasPrefix(phrase, "terraform ") ||
			notFromTheProvider[phrase] {
			continue
		}
		for _, fragment := range placeholder.Split(phrase, -1) {
			fragment = strings.TrimSpace(fragment)
			if len(fragment) < 12 {
				continue
			}
			checked++
			if !strings.Contains(code, fragment) {
				t.Errorf("the troubleshooting guide quotes %q, which no longer appears in the source", fragment)
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d quoted fragments checked: the guide's quotes were not found", checked)
	}
}
