#!/usr/bin/env bash
# Prints the path of a Terraform 1.14 or later: tfplugindocs needs one to
# describe the whole provider schema (resource identity needs 1.12 and list
# resources 1.14 in `terraform providers schema -json`; older versions
# silently leave them out of the docs), and the interop step needs one for
# terraform query. Uses `terraform` from PATH when it is new enough, else
# the Terraform 1.15.9 of ../shared/tools (CI machines).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minimum=1.14.0
newer_or_equal() { [ "$(printf '%s\n%s\n' "$minimum" "$1" | sort -V | head -n1)" = "$minimum" ]; }
candidate=$("$root/scripts/terraform.sh")
# sed reads the whole output: `head -n1` could exit first and, under
# pipefail, a SIGPIPE to terraform would fail this script now and then.
version=$(CHECKPOINT_DISABLE=1 "$candidate" version | sed -n '1s/^[^v]*v//p')
if newer_or_equal "$version"; then
  echo "$candidate"
  exit 0
fi
shared="$root/../shared/tools/terraform/path.sh"
if [ -x "$shared" ]; then
  "$shared"
  exit 0
fi
echo "this needs Terraform >= $minimum (found $version at $candidate): older versions leave resource identity and list resources out of the docs" >&2
exit 1
