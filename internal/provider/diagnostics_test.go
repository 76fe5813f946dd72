package provider

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// Every action a clientError call names reads well in both forms.
func TestClientErrorWording(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("*.go")
	call := regexp.MustCompile(`clientError\("([^"]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			seen++
			summary, detail := clientError(m[1], "group", "g", errors.New("boom"))
			first := strings.Fields(m[1])[0]
			if !strings.HasPrefix(summary, "Error "+m[1]+" SCIM group") {
				t.Errorf("%s: summary %q", f, summary)
			}
			if _, ok := baseForms[first]; !ok || strings.Contains(detail, "Could not "+first) {
				t.Errorf("%s: %q has no base form: detail %q", f, m[1], detail)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d clientError calls; the pattern no longer matches the code", seen)
	}
	if _, detail := clientError("adding members to", "group", "g", errors.New("boom")); !strings.HasPrefix(detail, `Could not add members to SCIM group "g": boom`) {
		t.Errorf("detail %q", detail)
	}
}

// TestPatchRefusedNamesTheTerraformAttribute: the advice for an attribute
// the app takes neither by PATCH nor by PUT names it as the configuration does.
func TestPatchRefusedNamesTheTerraformAttribute(t *testing.T) {
	err := &scim.PatchRefusedError{Paths: []string{"externalId"}, Patch: errors.New("400"), Put: errors.New("405")}
	if hint := nextStep(err); !strings.Contains(hint, "external_id") {
		t.Errorf("advice %q does not name external_id", hint)
	}
}
