package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionGatedTestsRunOnEveryCLI keeps the rule of the CLI legs: a test
// that gates on the CLI's version (TerraformVersionChecks, or a look at the
// version line) must run on every CLI leg, or the feature it gates would run
// only on the main CLI, which may lack it. skipBelowTerraform marks its
// callers; the others must call runsOnEveryCLI.
func TestVersionGatedTestsRunOnEveryCLI(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := parser.ParseFile(fset, file, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range parsed.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			body := string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
			gated := strings.Contains(body, "TerraformVersionChecks") || strings.Contains(body, "terraformVersionLine(")
			marked := strings.Contains(body, "runsOnEveryCLI(t)") || strings.Contains(body, "skipBelowTerraform(")
			if gated && !marked {
				t.Errorf("%s: %s gates on the CLI version but runs on the main CLI only: call runsOnEveryCLI(t) first", file, fn.Name.Name)
			}
		}
	}
}

// TestSecondaryCLILegRunsOnlyMarkedTests shows the rule at work: on a
// secondary leg an unmarked test is skipped by testAccPreCheck, and a
// marked one (and its subtests) runs.
func TestSecondaryCLILegRunsOnlyMarkedTests(t *testing.T) {
	t.Setenv(cliLegEnv, "example")
	t.Setenv("TF_ACC_TERRAFORM_PATH", "terraform")
	ran := map[string]bool{}
	t.Run("unmarked", func(t *testing.T) {
		testAccPreCheck(t)
		ran["unmarked"] = true
	})
	t.Run("marked", func(t *testing.T) {
		runsOnEveryCLI(t)
		t.Run("subtest", func(t *testing.T) {
			testAccPreCheck(t)
			ran["marked"] = true
		})
	})
	if ran["unmarked"] || !ran["marked"] {
		t.Errorf("ran %v, want only the marked test", ran)
	}
}
