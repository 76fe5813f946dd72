#!/usr/bin/env bash
# One definition of CI: .ci/run and .github/workflows/test.yml must run the
# same make targets (each workflow step is "run: make <target>"), so the two
# cannot drift apart. The versions both test come from .ci/versions.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# .ci/run names each target as "step NAME make TARGET".
local_targets=$(sed -n 's/^step [a-z0-9-]* make \([a-z0-9-]*\).*/\1/p' "$root/.ci/run" | sort -u)
workflow_targets=$(sed -n 's/^ *- run: make \([a-z0-9${}. -]*\)$/\1/p' "$root/.github/workflows/test.yml" |
  sed 's/\${{ *matrix.target *}}/MATRIX/' | sort -u)
# The matrix step runs each target of the matrix.
matrix_targets=$(sed -n 's/^ *target: \([a-z0-9-]*\)$/\1/p' "$root/.github/workflows/test.yml")
workflow_targets=$(printf '%s\n%s\n' "$workflow_targets" "$matrix_targets" | grep -v '^MATRIX$' | grep . | sort -u)
if [ "$local_targets" != "$workflow_targets" ]; then
  echo "CI definitions differ: .ci/run and .github/workflows/test.yml must run the same make targets" >&2
  diff <(echo "$local_targets") <(echo "$workflow_targets") | sed 's/^</  only in .ci\/run:/; s/^>/  only in test.yml:/' >&2 || true
  exit 1
fi
if grep -nE '(terraform|tofu)_version: *"?[0-9]' "$root"/.github/workflows/*.yml; then
  echo "a workflow names a version itself: take it from .ci/versions (the versions job)" >&2
  exit 1
fi
echo "CI definitions agree: $(echo $local_targets)"
