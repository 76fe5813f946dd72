#!/usr/bin/env bash
# make demo: builds the provider, then runs internal/cmd/demo, which starts
# the local SCIM server on loopback and drives Terraform through the story.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
terraform=${TERRAFORM:-$("$root/scripts/terraform.sh")}
mkdir -p .demo/bin
go build -o .demo/bin/terraform-provider-scim .
go run ./internal/cmd/demo -terraform "$terraform" -provider-dir .demo/bin -config examples/demo -work-dir .demo/work
