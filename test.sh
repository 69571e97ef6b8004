#!/usr/bin/env bash
# Runs every test of InverseProxy and prints one closing line: "N passed, M failed[, K skipped]".
# The functional tests use real peers: nginx as an origin, redis-server as the shared cache, haproxy in front of
# several proxies, shellcheck for the deploy scripts, and chromium for the dashboard's browser tests (Playwright
# launches it by its path, so no browser is downloaded). Missing ones are installed with apt-get when running as root
# (as on a fresh machine or in CI); otherwise the command to run is shown.
set -uo pipefail
cd "$(dirname "$0")" || exit 2

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing test dependencies: ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "warning: could not install ${missing[*]}; tests that need them will fail" >&2
  else
    echo "warning: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
dotnet test InverseProxy.sln "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed:' "$out" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
assemblies=$(grep -cE '^(Passed|Failed)! +- Failed:' "$out")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build error or a crashed test host leaves no failing count behind; do not report it as green.
  failed=1
fi
if [ "$assemblies" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test results found" >&2
  status=1
fi
echo
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
