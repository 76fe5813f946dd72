# Sourced by scripts/interop.sh and scripts/bench-thirdparty.sh: installs
# SCIMMY (interop/scimmy, pinned in its package-lock.json) once, and starts
# servers that write the port they chose to a file.

# scimmy_install ROOT installs interop/scimmy's packages unless the lock file
# they were installed from is unchanged.
scimmy_install() {
  local dir="$1/interop/scimmy"
  local stamp="$dir/node_modules/.lock-$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "installing SCIMMY from package-lock.json" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline >&2)
    touch "$stamp"
  fi
}

# wait_for_ports FILE... waits up to ten seconds for every port file to be
# written; on failure it prints the logs beside them and returns 1.
wait_for_ports() {
  local f ready
  for _ in $(seq 1 100); do
    ready=1
    for f in "$@"; do [ -s "$f" ] || ready=0; done
    [ "$ready" = 1 ] && return 0
    sleep 0.1
  done
  echo "a server did not start" >&2
  for f in "$@"; do cat "${f%.port}.log" >&2 2>/dev/null || true; done
  return 1
}
