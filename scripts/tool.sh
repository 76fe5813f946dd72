#!/usr/bin/env bash
# Prints the path of a Go-built development tool, building it once per
# machine:
#   scripts/tool.sh NAME MODULE@VERSION
# The binary is kept under ${XDG_CACHE_HOME:-~/.cache}/terraform-provider-scim/tools,
# one directory per module and version, so a fresh clone (as CI makes) reuses
# the build of an earlier run, and linked into the git-ignored ./bin. A build
# says so on stderr, with how long it took: a cold machine is visible in the log.
set -euo pipefail
name=$1
module=$2
root=$(cd "$(dirname "$0")/.." && pwd)
key=$(printf '%s' "$module" | tr '/@' '__')
dir="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-scim/tools/$key"
if [ ! -x "$dir/$name" ]; then
  echo "building $module into $dir (once per machine)" >&2
  start=$(date +%s)
  mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install "$module" >&2
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  echo "built $name in $(( $(date +%s) - start ))s" >&2
fi
mkdir -p "$root/bin"
ln -sf "$dir/$name" "$root/bin/$name"
echo "$root/bin/$name"
