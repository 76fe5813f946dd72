#!/usr/bin/env bash
# Exits 0 when the binary named is HashiCorp Terraform (not OpenTofu, whose
# version numbers compare differently).
set -euo pipefail
CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null | sed -n 1p | grep -q '^Terraform v'
