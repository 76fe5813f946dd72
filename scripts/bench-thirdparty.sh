#!/usr/bin/env bash
# The rate-limited apply of `make bench` through rate limiters this project
# did not write, in front of SCIMMY (interop/scimmy/server.js): a fixed
# window of express-rate-limit announced in X-RateLimit-* headers only
# ("legacy", learned from 429s as the local server's limit is) or in a
# draft-8 RateLimit-Policy ("draft8"), and npm limiter's token bucket with a
# burst of one and no Retry-After ("bucket"). Arguments are passed to the
# bench command (for example -runs 3 -rate-users 500).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/scimmy.sh
. "$root/scripts/lib/scimmy.sh"
rate_limit=20
run=$(mktemp -d)
pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT

scimmy_install "$root"
SCIMMY_RATE_LIMIT=$rate_limit node "$root/interop/scimmy/server.js" "$run/scimmy.port" >"$run/scimmy.log" 2>&1 &
pid=$!
wait_for_ports "$run/scimmy.port"
base="http://127.0.0.1:$(cat "$run/scimmy.port")"
cd "$root"
go run ./internal/cmd/bench -terraform "${TERRAFORM:-terraform}" -provider .bench/bin/terraform-provider-scim \
  -floor .bench/bin/floorprovider -scenarios thirdparty -rate-limit "$rate_limit" \
  -third-party "legacy=$base/limited/scim/v2,draft8=$base/limited-draft8/scim/v2,bucket=$base/bucket/scim/v2" \
  -out .bench/results-thirdparty.json "$@"
