#!/usr/bin/env bash
# Prints the path of an OpenTofu binary for the acceptance suite's OpenTofu
# leg. OpenTofu is not published as a binary these machines can fetch, but
# it builds as a main module from the Go module proxy: the build (about four
# minutes on two cores) is cached under ${XDG_CACHE_HOME:-~/.cache} so a
# machine builds each version once, and linked into the git-ignored ./bin.
# Built as a release (no -dev suffix), so version checks see the release.
# Nothing is downloaded at test time.
# A `tofu` on PATH of the version in .ci/versions (as setup-opentofu
# installs it on GitHub) is used as it is.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../.ci/versions
[ -n "${OPENTOFU_VERSION:-}" ] || . "$root/.ci/versions"
version=v${OPENTOFU_VERSION#v}
if command -v tofu >/dev/null 2>&1 && [ "$(tofu version | sed -n 1p)" = "OpenTofu $version" ]; then
  command -v tofu
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-scim/opentofu-$version-release"
if [ ! -x "$cache/tofu" ]; then
  echo "building OpenTofu $version from the Go module proxy into $cache (about 4 minutes, once per machine)" >&2
  dir=$(go mod download -json "github.com/opentofu/opentofu@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ -z "$dir" ]; then
    echo "could not download github.com/opentofu/opentofu@$version from the module proxy" >&2
    exit 1
  fi
  mkdir -p "$cache"
  (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$cache/tofu.tmp" ./cmd/tofu) >&2
  mv "$cache/tofu.tmp" "$cache/tofu"
fi
mkdir -p "$root/bin"
ln -sf "$cache/tofu" "$root/bin/tofu"
echo "$root/bin/tofu"
