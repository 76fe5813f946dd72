package main

import (
	"strings"
	"testing"
)

// schemaResults are create and plan wall times of 1,000 users for each
// floor: the real schema costs 2x the minimal one through the framework,
// and `alone` times as much through the protocol floors.
func schemaResults(alone float64) []measurement {
	var out []measurement
	for _, step := range []string{"create", "plan"} {
		out = append(out,
			measurement{Step: step, Provider: "floor", Resources: 1000, WallS: 20},
			measurement{Step: step, Provider: "minimal", Resources: 1000, WallS: 10},
			measurement{Step: step, Provider: "protocol", Resources: 1000, WallS: 8 * alone},
			measurement{Step: step, Provider: "protocol-minimal", Resources: 1000, WallS: 8},
		)
	}
	return out
}

func targetRow(t *testing.T, table, prefix string) string {
	t.Helper()
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "| "+prefix) {
			return line
		}
	}
	t.Fatalf("no row %q in\n%s", prefix, table)
	return ""
}

// A schema target that Terraform alone misses is marked out of reach; one
// that only the framework makes the floor miss is a plain no.
func TestSchemaTargetsSayWhenTerraformAloneMissesThem(t *testing.T) {
	b := &bench{results: schemaResults(2.1)}
	table := b.targets()
	apply := targetRow(t, table, "schema cost on apply")
	if !strings.Contains(apply, "out of reach: Terraform alone costs 2.10x") ||
		!strings.Contains(apply, "without the framework (protocol floors) the schema costs 2.10x") {
		t.Errorf("apply row: %s", apply)
	}
	if plan := targetRow(t, table, "schema cost on plan"); !strings.Contains(plan, "out of reach") {
		t.Errorf("plan row: %s", plan)
	}

	b = &bench{results: schemaResults(1.1)}
	table = b.targets()
	for _, prefix := range []string{"schema cost on apply", "schema cost on plan"} {
		row := targetRow(t, table, prefix)
		if strings.Contains(row, "out of reach") || !strings.HasSuffix(row, "| **no** |") {
			t.Errorf("with Terraform alone under the target: %s", row)
		}
	}
}
