#!/usr/bin/env bash
# Prints the path of a Terraform binary for tests, docs and the demo:
# `terraform` from PATH when present, else a project-local build of
# TERRAFORM_OLDEST from .ci/versions (1.8.5, the newest release `go install`
# can build), installed once into ./bin. Nothing is downloaded at test time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../.ci/versions
[ -n "${TERRAFORM_OLDEST:-}" ] || . "$root/.ci/versions"
if command -v terraform >/dev/null 2>&1; then
  command -v terraform
  exit 0
fi
if [ ! -x "$root/bin/terraform" ]; then
  echo "terraform not on PATH: building github.com/hashicorp/terraform@v$TERRAFORM_OLDEST into $root/bin (about 3 minutes, once)" >&2
  GOBIN="$root/bin" go install "github.com/hashicorp/terraform@v$TERRAFORM_OLDEST" >&2
fi
echo "$root/bin/terraform"
