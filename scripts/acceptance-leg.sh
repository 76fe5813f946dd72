#!/usr/bin/env bash
# Runs the provider's acceptance suite on a CLI other than the main one
# (make test runs every test on the main CLI, the terraform on PATH) and
# prints the leg's pass/skip/fail counts.
#   scripts/acceptance-leg.sh NAME BINARY
# Only the tests that differ by CLI run here: those marked runsOnEveryCLI
# (features by version, Terraform/OpenTofu differences, each resource's
# representative lifecycle); the rest skip, saying they run on the main
# CLI. Tests of features the binary lacks skip themselves by version.
set -euo pipefail
name=$1
bin=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log" "$rc"' EXIT
# A CLI configuration of the leg's own: a TF_CLI_CONFIG_FILE naming a
# missing file makes OpenTofu print a warning where the harness parses the
# version.
rc=$(mktemp)
export TF_CLI_CONFIG_FILE=$rc
export TF_ACC=1 TF_ACC_TERRAFORM_PATH=$bin CHECKPOINT_DISABLE=1 SCIM_ACC_CLI_LEG=$name
if "$bin" version | sed -n 1p | grep -q OpenTofu; then
  # The harness addresses the provider in the registry of the CLI it runs.
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org
fi
echo "== acceptance leg: $name ($("$bin" version | sed -n 1p))"
start=$(date +%s)
status=0
go test -count=1 -v -timeout=30m -parallel=4 ./internal/provider/ >"$log" 2>&1 || status=$?
grep -E '^(--- FAIL|FAIL|ok|panic)' "$log" || true
if [ "$status" -ne 0 ]; then
  grep -v '^{"@' "$log" | grep -B2 -A30 -- '--- FAIL' | head -200 || true
fi
passed=$(grep -cE '^\s*--- PASS' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
echo "== acceptance leg $name: $passed passed, $skipped skipped, $failed failed (tests and subtests) in $(( $(date +%s) - start ))s"
# Which tests skipped, and the reasons they gave.
# Tests left to the main CLI are counted, not listed.
main_only=$(grep -cE '^\s+[a-z_]+\.go:[0-9]+: runs on the main CLI only' "$log" || true)
echo "   $main_only of the skipped run on the main CLI only (make test)"
# go test -v prints a test's skip message just before its "--- SKIP" line.
awk '/^ *--- SKIP: / && prev !~ /runs on the main CLI only/ {print "   skipped: " $3} {prev=$0}' "$log"
grep -E '^\s+[a-z_]+\.go:[0-9]+: .*(skip|[Nn]eeds|[Ss]kipping)' "$log" | grep -v 'runs on the main CLI only' | sed -E 's/^\s+/   reason: /' | sort -u || true
exit "$status"
