#!/usr/bin/env bash
# Target check: resident memory with a full cache stays under 1.25 x cache_size + 100 MB. Loopback only, bounded.
#
# For each body size, a fresh InverseProxy (cache_size BENCH_MEMORY_CACHE_MB, default 256) in front of the bench
# origin is sent a new URL on every request (bench/lua/fill.lua) for BENCH_MEMORY_FILL_SECONDS (default 20): the
# cache fills, then every store evicts. The line per size gives entries, cached bytes, evictions, resident memory
# at the end and at its peak, GC heap, collections and total pause, and whether the target was met.
#
#   bench/memory.sh
#   BENCH_MEMORY_BODIES="1k" BENCH_MEMORY_FILL_SECONDS=10 bench/memory.sh     quick pass
# Exit status: 0 when every size met the target, 1 otherwise.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CACHE_MB=${BENCH_MEMORY_CACHE_MB:-256}
BODIES=${BENCH_MEMORY_BODIES:-"1k 16k 100k"}
FILL_SECONDS=${BENCH_MEMORY_FILL_SECONDS:-20}
LIMIT_MB=$(awk -v c="$CACHE_MB" 'BEGIN { printf "%.0f", 1.25 * c + 100 }')
LINES=()
VERDICT=0

# start_proxy NAME: InverseProxy with cache_size CACHE_MB and an admin port, under $BENCH_TMP/NAME.
start_proxy() {
    local name=$1 dir=$BENCH_TMP/$1 pid
    mkdir -p "$dir"
    pick_port "$name"
    pick_port "$name-admin"
    render inverseproxy.conf "$dir/proxy.conf" "$name"
    sed -i -e "s|^cache_size = .*|cache_size = ${CACHE_MB}MB|" \
        -e "s|^admin_port = .*|admin_port = ${BENCH_PORTS[$name-admin]}|" "$dir/proxy.conf"
    "$INVERSEPROXY_BIN" --config "$dir/proxy.conf" >"$dir/stdout.log" 2>&1 &
    pid=$!
    register_server "$name" "$pid"
    wait_ready "$name" "$pid" || die "InverseProxy did not come up: $(tail -n 20 "$dir/stdout.log")"
}

# stats_of NAME KEY...: values from the proxy's /proxy-stats, by dotted path, space-separated.
stats_of() {
    local name=$1
    shift
    curl -s --max-time 5 "http://127.0.0.1:${BENCH_PORTS[$name-admin]}/proxy-stats" | python3 -c '
import json, sys
d = json.load(sys.stdin)
out = []
for path in sys.argv[1:]:
    v = d
    for part in path.split("."):
        v = v[part]
    out.append(str(v))
print(" ".join(out))' "$@"
}

measure() {
    local body=$1 name=inverseproxy-$1 out fill pid
    start_proxy "$name"
    pid=${BENCH_SERVER_PIDS[$name]}
    out=$BENCH_TMP/fill-$body
    log "$name: new URLs of /$body for ${FILL_SECONDS}s into a ${CACHE_MB} MB cache"
    FILL_PATH=/$body timeout -k 5 "$((FILL_SECONDS + 30))" wrk -t1 -c20 -d"${FILL_SECONDS}s" \
        -s "$BENCH_DIR/lua/fill.lua" "http://127.0.0.1:${BENCH_PORTS[$name]}/" >"$out" 2>&1 || true
    fill=$(grep -m1 '^FILL_RESULT' "$out" | sed 's/^FILL_RESULT //') || die "wrk gave no result: $(tail -n 3 "$out")"
    local entries bytes evictions heap gen2 pause rss hwm
    read -r entries bytes evictions heap gen2 pause < <(stats_of "$name" cache.entries cache.bytes cache.evictions \
        process.gc_heap_bytes process.gc_gen2_collections process.gc_pause_total_ms)
    rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    hwm=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    local full=yes verdict=met
    ((evictions > 0)) || full="no (raise BENCH_MEMORY_FILL_SECONDS)"
    if ((evictions == 0 || rss > LIMIT_MB)); then
        verdict=missed
        VERDICT=1
    fi
    LINES+=("$(printf '%-5s entries %7d  cached %4d MB  evictions %7d  full %s  rss %5d MB (peak %5d MB)  gc heap %4d MB  gen2 %4d  pause %6.0f ms  %s' \
        "$body" "$entries" "$((bytes >> 20))" "$evictions" "$full" "$rss" "$hwm" "$((heap >> 20))" "$gen2" "$pause" "$verdict")")
    LINES+=("      fill: $fill")
    stop_pid "$pid"
}

main() {
    ensure_tools
    bench_setup
    start_origin
    build_inverseproxy || die "InverseProxy did not build"
    [[ $INVERSEPROXY_BIN != *.dll ]] || die "BENCH_PROXY_BIN must name the published executable"
    local body
    for body in $BODIES; do
        measure "$body"
    done
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)-memory.txt
    {
        echo "InverseProxy memory check, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        echo "cache_size ${CACHE_MB} MB; target: resident memory at the end under 1.25 x cache_size + 100 MB = ${LIMIT_MB} MB"
        printf '%s\n' "${LINES[@]}"
    } | tee "$report"
    log "saved $report"
    return "$VERDICT"
}

main "$@"
