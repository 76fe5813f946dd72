#!/usr/bin/env bash
# Runs the acceptance lifecycle (TestAccInterop, with TestAccInteropPagedReads,
# the randomized lifecycle checker TestAccRandomLifecycle,
# TestAccInteropMultiValueOrder, TestAccInteropRateLimited and TestAccInteropMemberLimits) against two SCIM
# server implementations this project did not write, and the client's rate
# limiter (TestInteropRateLimiter) against a third-party limiter:
#   - SCIMMY (npm "scimmy" + "scimmy-routers", pinned in interop/scimmy/package-lock.json),
#     also behind express-rate-limit and behind limiter's token bucket (npm,
#     pinned there too)
#   - elimity-com/scim (Go module, pinned in interop/elimity/go.mod and go.sum)
# Both are installed once (npm cache, Go module cache, a binary cached under
# ~/.cache), started on 127.0.0.1 with ports of their own choosing, and
# stopped when the tests end. Once installed, nothing is downloaded.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/scimmy.sh
. "$root/scripts/lib/scimmy.sh"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-scim/interop"
mkdir -p "$cache"
run=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$run"
}
trap cleanup EXIT

# elimity-com/scim's newest pseudo-version has no checksum-database entry
# here; its hash is pinned in interop/elimity/go.sum instead.
export GONOSUMDB="github.com/elimity-com/scim${GONOSUMDB:+,$GONOSUMDB}"
elimity="$cache/elimity-$(cat "$root/interop/elimity/go.sum" "$root/interop/elimity/main.go" | sha256sum | cut -c1-16)"
if [ ! -x "$elimity" ]; then
  echo "interop: building the elimity-com/scim server" >&2
  (cd "$root/interop/elimity" && go build -o "$elimity" .)
fi

scimmy_dir="$root/interop/scimmy"
scimmy_install "$root"

"$elimity" -port-file "$run/elimity.port" >"$run/elimity.log" 2>&1 &
pids+=($!)
# The rate-limited routes allow this many requests per second.
rate_limit=10
SCIMMY_RATE_LIMIT=$rate_limit node "$scimmy_dir/server.js" "$run/scimmy.port" >"$run/scimmy.log" 2>&1 &
pids+=($!)
wait_for_ports "$run/elimity.port" "$run/scimmy.port"

export SCIM_INTEROP_ENDPOINTS="scimmy=http://127.0.0.1:$(cat "$run/scimmy.port")/scim/v2,elimity=http://127.0.0.1:$(cat "$run/elimity.port")/scim/v2"
# The same SCIMMY store behind express-rate-limit (interop/scimmy/server.js):
# RATE_LIMIT requests per second, announced in X-RateLimit-* headers only, or
# in a draft-8 RateLimit-Policy; and behind a token bucket with a burst of
# one (npm "limiter"), which announces nothing.
scimmy_base="http://127.0.0.1:$(cat "$run/scimmy.port")"
export SCIM_INTEROP_RATE_LIMITED="legacy=$scimmy_base/limited/scim/v2,draft8=$scimmy_base/limited-draft8/scim/v2,bucket=$scimmy_base/bucket/scim/v2"
export SCIM_INTEROP_RATE_LIMIT=$rate_limit
echo "interop: $SCIM_INTEROP_ENDPOINTS; rate-limited ($SCIM_INTEROP_RATE_LIMIT/s): $SCIM_INTEROP_RATE_LIMITED" >&2
cd "$root"
# The randomized lifecycle checker meets the third-party servers here (the
# local models run in make test).
export SCIM_CHECK_TARGETS="${SCIM_CHECK_TARGETS:-^(scimmy|elimity)\$}"
set +e
if [ -n "${INTEROP_RUN:-}" ]; then
  # Only the provider tests INTEROP_RUN names (make check-random).
  TF_ACC=1 TF_ACC_TERRAFORM_PATH="$("$root/scripts/terraform.sh")" go test -count=1 -v -timeout=120m \
    -run "$INTEROP_RUN" ./internal/provider/ >"$run/test.log" 2>&1
  status=$?
else
  go test -count=1 -v -run '^TestInteropRateLimiter(Fleet)?$' ./internal/scim/ >"$run/test.log" 2>&1 &&
    TF_ACC=1 TF_ACC_TERRAFORM_PATH="$("$root/scripts/terraform.sh")" go test -count=1 -v \
      -run '^(TestAccInterop(PagedReads|MultiValueOrder|RateLimited|FailedCreateNeverClaimsHandMade|ParallelMembershipsWithoutPatch|MemberLimits|ExternalIDChange)?|TestAccRandomLifecycle)$' ./internal/provider/ >>"$run/test.log" 2>&1
  status=$?
  # Identity and terraform query need Terraform 1.12 and 1.14: use the newest
  # Terraform available (CI machines have 1.15.9 in ../shared/tools).
  if [ "$status" -eq 0 ]; then
    TF_ACC=1 TF_ACC_TERRAFORM_PATH="$("$root/scripts/terraform-newest.sh" 2>/dev/null || "$root/scripts/terraform.sh")" \
      go test -count=1 -v -run '^TestAccInterop(Adoption|Probe)$' ./internal/provider/ >>"$run/test.log" 2>&1
    status=$?
  fi
fi
set -e
if [ "$status" -ne 0 ]; then
  cat "$run/test.log"
  echo "--- server logs" && cat "$run"/elimity.log "$run"/scimmy.log
else
  grep -E '^(=== RUN|--- |    --- |PASS|FAIL|ok)|interop_(fleet|ratelimit)_test.go|checker_test.go|^ +[0-9]+\. ' "$run/test.log"
fi
exit "$status"
