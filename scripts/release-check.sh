#!/usr/bin/env bash
# Checks the release path before a tag, as the release workflow will run it:
#  1. goreleaser's own check of .goreleaser.yml;
#  2. that the check fails on a broken copy (so step 1 can catch something);
#  3. the release notes of the newest CHANGELOG.md section;
#  4. that the build matrix holds every platform the Registry needs;
#  5. a snapshot release (archives, checksums, the registry manifest),
#     unsigned and published nowhere, into ./dist: of linux/amd64 only, from
#     a copy of the configuration narrowed to it, unless --all-platforms is
#     given (make release-snapshot; the release workflow builds them all).
# goreleaser is built once per machine (scripts/tool.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
all_platforms=false
[ "${1:-}" = "--all-platforms" ] && all_platforms=true
goreleaser=$(scripts/tool.sh goreleaser github.com/goreleaser/goreleaser/v2@v2.17.0)

echo "== goreleaser check"
"$goreleaser" check

echo "== goreleaser check fails on a broken configuration"
broken=$(mktemp --suffix=.yml)
trap 'rm -f "$broken"' EXIT
# A misspelt top-level key, as a hand edit leaves it.
sed 's/^archives:/archive:/' .goreleaser.yml >"$broken"
if "$goreleaser" check --config "$broken" >/dev/null 2>&1; then
  echo "goreleaser check passed a configuration with a misspelt key: the check proves nothing" >&2
  exit 1
fi
echo "rejected, as it should be"

echo "== release notes of the newest CHANGELOG.md section"
newest=$(sed -n 's/^## \([0-9][^ ]*\).*/\1/p' CHANGELOG.md | head -n1)
notes=$(scripts/release-notes.sh "v$newest-rc.0")
echo "$newest: $(printf '%s\n' "$notes" | wc -l) lines"

echo "== the build matrix names every platform the Registry needs"
for want in linux darwin windows; do
  grep -qE "^ *goos: \[.*\b$want\b" .goreleaser.yml || { echo ".goreleaser.yml builds no $want" >&2; exit 1; }
done
for want in amd64 arm64; do
  grep -qE "^ *goarch: \[.*\b$want\b" .goreleaser.yml || { echo ".goreleaser.yml builds no $want" >&2; exit 1; }
done

config=.goreleaser.yml
wanted=('_SHA256SUMS' '_linux_amd64.zip')
if "$all_platforms"; then
  wanted+=('_darwin_arm64.zip' '_windows_amd64.zip')
else
  # The same configuration with the matrix narrowed to one platform: every
  # other step (hooks, archives, checksums, the manifest) runs as written.
  config=$(mktemp --suffix=.yml)
  trap 'rm -f "$broken" "$config"' EXIT
  sed -E 's/^( *goos: )\[.*/\1[linux]/; s/^( *goarch: )\[.*/\1[amd64]/' .goreleaser.yml >"$config"
fi
echo "== snapshot release ($("$all_platforms" && echo "every platform" || echo "linux/amd64; make release-snapshot builds every platform"))"
"$goreleaser" release --snapshot --clean --skip=sign --config "$config"
# The archives the Registry needs, and the files it reads beside them.
for want in "${wanted[@]}"; do
  if ! ls dist | grep -q -- "$want"; then
    echo "dist/ has no *$want" >&2
    exit 1
  fi
done
# The registry manifest is uploaded beside the archives and listed in the sums.
if ! grep -q '_manifest.json$' dist/*_SHA256SUMS; then
  echo "the SHA256SUMS file does not list the registry manifest" >&2
  exit 1
fi
echo "release check passed: $(ls dist/*.zip | wc -l) archives"
