#!/usr/bin/env bash
# Bytes the managed heap allocates per request on InverseProxy's hot paths, read from gc_allocated_bytes and the
# request count in /proxy-stats around a short wrk run: keep-alive cache hit, keep-alive pass-through, and a new
# connection for every request (Connection: close). With thousands of connection threads every garbage collection
# stops all of them, so these figures decide how often that happens. The last column is the connection threads'
# own share (connections.thread_allocated_bytes, counted as each connection ends): each thread that allocates at
# all takes an allocation quantum of its own, so it should stay 0 for hits. Loopback only, bounded.
#
#   bench/alloc.sh                 2 s per row, 10 connections
#   BENCH_DURATION=5 bench/alloc.sh
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${BENCH_DURATION:-2}
CONNS=${BENCH_CONNS:-10}

# Prints "ALLOCATED_BYTES REQUESTS THREAD_ALLOCATED_BYTES" from the admin port's /proxy-stats.
stats() {
    curl -fsS "http://127.0.0.1:${BENCH_PORTS[admin]}/proxy-stats" |
        python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["process"]["gc_allocated_bytes"], d["requests"]["total"], d["connections"]["thread_allocated_bytes"])'
}

# measure LABEL PATH [wrk header args...]: one warm-up, then bytes per request over a timed run.
measure() {
    local label=$1 path=$2 before after
    shift 2
    local url="http://127.0.0.1:${BENCH_PORTS[inverseproxy]}$path"
    wrk -t1 -c"$CONNS" -d1s "$@" "$url" >/dev/null
    read -r -a before <<<"$(stats)"
    wrk -t1 -c"$CONNS" -d"${DURATION}s" "$@" "$url" >/dev/null
    sleep 0.5 # connections closed by wrk's exit add their threads' share
    read -r -a after <<<"$(stats)"
    local requests=$((after[1] - before[1]))
    ((requests > 0)) || die "no request was counted for $label"
    printf '%-40s %6d B/request  (%d requests), connection threads %d B/request\n' "$label" \
        "$(((after[0] - before[0]) / requests))" "$requests" "$(((after[2] - before[2]) / requests))"
}

main() {
    ensure_tools
    command -v python3 >/dev/null 2>&1 || die "python3 is needed to read /proxy-stats"
    bench_setup
    start_origin
    build_inverseproxy || die "InverseProxy did not build"
    pick_port admin
    export INVERSEPROXY_ADMIN_PORT=${BENCH_PORTS[admin]}
    start_inverseproxy || die "InverseProxy did not start"
    echo "InverseProxy allocation per request, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), wrk -t1 -c$CONNS -d${DURATION}s"
    measure "cache hit, keep-alive (/1k)" /1k
    measure "pass-through, keep-alive (/nocache/1k)" /nocache/1k
    measure "cache hit, new connection each" /1k -H "Connection: close"
}

main "$@"
