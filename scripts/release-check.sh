#!/usr/bin/env bash
# Checks the release path before a tag, as the release workflow will run it:
#  1. goreleaser's own check of .goreleaser.yml;
#  2. that the check fails on a broken copy (so step 1 can catch something);
#  3. the release notes of the newest CHANGELOG.md section;
#  4. a snapshot release (every platform, archives, checksums, the registry
#     manifest), unsigned and published nowhere, into ./dist.
# goreleaser is installed once into ./bin.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
goreleaser_version=v2.17.0
goreleaser="$root/bin/goreleaser"
if [ ! -x "$goreleaser" ] || ! "$goreleaser" --version 2>/dev/null | grep -q "${goreleaser_version#v}"; then
  echo "installing goreleaser $goreleaser_version into ./bin (a few minutes, once)"
  GOBIN="$root/bin" go install "github.com/goreleaser/goreleaser/v2@$goreleaser_version"
fi

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

echo "== snapshot release"
"$goreleaser" release --snapshot --clean --skip=sign
# Every archive the Registry needs, and the files it reads beside them.
for want in '_SHA256SUMS' '_linux_amd64.zip' '_darwin_arm64.zip' '_windows_amd64.zip'; do
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
