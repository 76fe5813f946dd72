#!/usr/bin/env bash
# Prints the path of a Terraform 1.14 or later: tfplugindocs needs one to
# describe the whole provider schema (resource identity needs 1.12 and list
# resources 1.14 in `terraform providers schema -json`; older versions
# silently leave them out of the docs), and the interop step needs one for
# terraform query. Takes TF_ACC_TERRAFORM_PATH, then `terraform` from PATH,
# when new enough, else the Terraform of ../shared/tools (the CI machines
# of this project), and says what to install when there is none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minimum=1.14.0
newer_or_equal() { [ "$(printf '%s\n%s\n' "$minimum" "$1" | sort -V | head -n1)" = "$minimum" ]; }
# sed reads the whole output: `head -n1` could exit first and, under
# pipefail, a SIGPIPE to terraform would fail this script now and then.
version_of() { CHECKPOINT_DISABLE=1 "$1" version | sed -n '1s/^[^v]*v//p'; }
found=""
for candidate in "${TF_ACC_TERRAFORM_PATH:-}" "$(command -v terraform || true)"; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  version=$(version_of "$candidate")
  if "$root/scripts/is-terraform.sh" "$candidate" && newer_or_equal "$version"; then
    echo "$candidate"
    exit 0
  fi
  found="$found $candidate ($version)"
done
shared="$root/../shared/tools/terraform/path.sh"
if [ -x "$shared" ]; then
  "$shared"
  exit 0
fi
echo "this needs Terraform >= $minimum, for resource identity and list resources (found:${found:- none})." >&2
echo "Install Terraform $minimum or later (https://developer.hashicorp.com/terraform/install) and put it on PATH," >&2
echo "or set TF_ACC_TERRAFORM_PATH to its path." >&2
exit 1
