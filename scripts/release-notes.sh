#!/usr/bin/env bash
# Prints the release notes of a tag: its section of CHANGELOG.md, without
# the heading. A pre-release tag (v0.2.0-rc.1) takes its own section when
# there is one, else the section of the release it leads to (0.2.0). A
# release tag needs a dated section: "(Unreleased)" fails, so a release is
# never published with notes nobody finished.
#   scripts/release-notes.sh v0.1.0 > notes.md
set -euo pipefail
tag=${1:?usage: release-notes.sh TAG}
changelog=${CHANGELOG:-$(cd "$(dirname "$0")/.." && pwd)/CHANGELOG.md}
version=${tag#v}
base=${version%%-*}
section() {
  awk -v v="$1" '
    /^## / { if (found) exit; if ($2 == v) { found = 1; print; next } }
    found { print }
  ' "$changelog"
}
notes=$(section "$version")
if [ -z "$notes" ] && [ "$version" != "$base" ]; then
  notes=$(section "$base")
fi
if [ -z "$notes" ]; then
  echo "CHANGELOG.md has no section \"## $version\"$([ "$version" != "$base" ] && echo " or \"## $base\""): write the release notes first" >&2
  exit 1
fi
heading=$(printf '%s\n' "$notes" | sed -n 1p)
if [ "$version" = "$base" ] && printf '%s' "$heading" | grep -qi unreleased; then
  echo "CHANGELOG.md: \"$heading\" is still unreleased: give it the release date before tagging $tag" >&2
  exit 1
fi
printf '%s\n' "$notes" | sed 1d | sed '/./,$!d'
