#!/usr/bin/env bash
# Cost of cache persistence. Loopback only, bounded, every process stopped at exit. See bench/README.md.
#
#  1. File: fill a ResponseCache with 64 KB bodies up to each size, write its snapshot with CacheFileWriter
#     (one process), then CacheFileReader.Load + ResponseCache.Restore it (a fresh process, page cache warm,
#     then again with the file's pages dropped): time, MB/s, resident memory.
#  2. Latency: the real proxy (cache_size 2GB, unit_time 2s) holding ~1 GB of 1 MB entries serves a cached 1 KB
#     URL to wrk, once while nothing changes (every flush is skipped) and once while a new URL is stored every
#     second (a full flush on every tick): p50 / p99 / max compared.
#
#   bench/persistence.sh
#   BENCH_PERSIST_SIZES="64" BENCH_PERSIST_FILL=200 BENCH_DURATION=5 bench/persistence.sh   quick pass
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZES_MB=${BENCH_PERSIST_SIZES:-"64 1024"}
BODY_BYTES=${BENCH_PERSIST_BODY:-65536}
FILL_COUNT=${BENCH_PERSIST_FILL:-1100}
ENTRY_BYTES=1000000
UNIT_TIME=2
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-50}
LINES=()

# ---- 1. cache file write and load ---------------------------------------------------------------------------

build_benchmarks() {
    log "building bench/InverseProxy.Benchmarks (Release)"
    dotnet build "$BENCH_DIR/InverseProxy.Benchmarks" -c Release --nologo -v quiet >"$BENCH_TMP/bench-build.log" 2>&1 \
        || { tail -n 30 "$BENCH_TMP/bench-build.log" >&2; die "benchmark build failed"; }
    BENCH_DLL=$BENCH_DIR/InverseProxy.Benchmarks/bin/Release/net10.0/InverseProxy.Benchmarks.dll
}

# persist_step LABEL ARGS...: runs one step in its own process (bounded) and keeps its PERSIST_RESULT line.
persist_step() {
    local label=$1 out
    shift
    out=$(timeout -k 5 600 dotnet "$BENCH_DLL" persistence "$@") || die "persistence $* failed: $out"
    LINES+=("$(printf '%-16s %s' "$label" "$(grep -m1 '^PERSIST_RESULT' <<<"$out" | sed 's/^PERSIST_RESULT //')")")
}

# Drops the file's pages from the page cache (posix_fadvise DONTNEED), so the next load reads the disk.
drop_file_cache() {
    dd if="$1" iflag=nocache count=0 status=none
    if command -v fincore >/dev/null 2>&1; then
        log "resident pages after drop: $(fincore --noheadings --output RES "$1" | tr -d ' ')"
    fi
}

measure_file_sizes() {
    local mb file bytes
    for mb in $SIZES_MB; do
        file=$BENCH_TMP/cache-${mb}MB.bin
        bytes=$((mb * 1024 * 1024))
        log "cache file: ${mb} MB of ${BODY_BYTES}-byte bodies"
        persist_step "${mb}MB write" write "$file" "$bytes" "$BODY_BYTES"
        persist_step "${mb}MB load warm" load "$file" "$bytes"
        drop_file_cache "$file"
        persist_step "${mb}MB load cold" load "$file" "$bytes"
        rm -f "$file"
    done
}

# ---- 2. request latency while a flush runs ------------------------------------------------------------------

start_proxy() {
    local dir=$BENCH_TMP/inverseproxy dll pid
    dll=$REPO_ROOT/src/InverseProxy/bin/Release/net10.0/InverseProxy.dll
    log "building src/InverseProxy (Release)"
    dotnet build "$REPO_ROOT/src/InverseProxy" -c Release --nologo -v quiet >"$BENCH_TMP/build.log" 2>&1 \
        || { tail -n 30 "$BENCH_TMP/build.log" >&2; die "InverseProxy build failed"; }
    mkdir -p "$dir"
    pick_port inverseproxy
    pick_port admin
    cat >"$dir/proxy.conf" <<EOF
port = ${BENCH_PORTS[inverseproxy]}
bind_address = 127.0.0.1
targets = 127.0.0.1:${BENCH_PORTS[origin]}
cache_size = 2GB
max_entry_size = 1MB
unit_time = ${UNIT_TIME}s
path_to_persistence = $dir/cache.bin
path_to_log = $dir/proxy.log
access_log = on
access_log_format = text
admin_port = ${BENCH_PORTS[admin]}
EOF
    dotnet "$dll" --config "$dir/proxy.conf" >"$dir/stdout.log" 2>&1 &
    pid=$!
    register_server inverseproxy "$pid"
    wait_ready inverseproxy "$pid" || die "InverseProxy did not come up: $(tail -n 20 "$dir/stdout.log")"
    log "inverseproxy on 127.0.0.1:${BENCH_PORTS[inverseproxy]} (pid $pid), admin on ${BENCH_PORTS[admin]}"
}

# admin_stat JQ_PATH: one value of the admin stats.
admin_stat() {
    curl -s --max-time 5 "http://127.0.0.1:${BENCH_PORTS[admin]}/proxy-stats" | jq -r "$1"
}

fill_cache() {
    local url="http://127.0.0.1:${BENCH_PORTS[inverseproxy]}"
    head -c "$ENTRY_BYTES" /dev/urandom >"$BENCH_TMP/origin/www/1m"
    chmod a+r "$BENCH_TMP/origin/www/1m"
    log "filling the cache: $FILL_COUNT x /1m?i=N (${ENTRY_BYTES} bytes each)"
    # curl's [1-N] globbing sends them all over one keep-alive connection.
    timeout -k 5 600 curl -s --fail "$url/1m?i=[1-$FILL_COUNT]" >/dev/null || die "filling the cache failed"
    curl -s -o /dev/null --max-time 5 "$url/1k"
    local hit
    hit=$(curl -s -D - -o /dev/null --max-time 5 "$url/1k" | awk -F': *' 'tolower($1) == "x-cache" { gsub(/\r/, "", $2); print $2 }')
    [[ $hit == HIT ]] || die "/1k is not served from the cache (X-Cache: ${hit:-none})"
    log "cache: $(admin_stat '.cache.entries') entries, $(admin_stat '.cache.bytes') bytes"
}

# Waits until the file holds every entry and no flush has run for two ticks (at most 3 minutes).
wait_for_quiet() {
    local i before after entries
    for ((i = 0; i < 60; i++)); do
        before=$(admin_stat '.cache.persistence.flushes')
        sleep "$((UNIT_TIME + 1))"
        after=$(admin_stat '.cache.persistence.flushes')
        entries=$(admin_stat '.cache.entries')
        if [[ $before == "$after" && $(admin_stat '.cache.persistence.last_flush_entries') == "$entries" ]]; then
            log "cache file up to date ($after flushes, last took $(admin_stat '.cache.persistence.last_flush_duration_ms') ms)"
            return 0
        fi
    done
    die "the cache file never caught up with the cache"
}

# Every second, one 1 MB request: TARGET_PREFIX plus a counter (a new URL stores a new entry, so every tick
# flushes) or a fixed cached URL (the same extra traffic, nothing changes).
start_side_traffic() {
    local name=$1 prefix=$2 counter=$3
    (
        n=0
        while :; do
            n=$((n + 1))
            if ((counter)); then
                curl -s -o /dev/null --max-time 5 "$prefix$n" || true
            else
                curl -s -o /dev/null --max-time 5 "$prefix" || true
            fi
            sleep 1
        done
    ) &
    register_server "$name" "$!"
}

# measure LABEL: one wrk run on /1k with the side traffic named LABEL running; appends the report line.
measure() {
    local label=$1 out=$BENCH_TMP/wrk-$1 flushes_before flushes_after stores_before stores_after
    flushes_before=$(admin_stat '.cache.persistence.flushes')
    stores_before=$(admin_stat '.cache.stores')
    run_wrk inverseproxy /1k "$CONNS" "${DURATION}s" "$out"
    flushes_after=$(admin_stat '.cache.persistence.flushes')
    stores_after=$(admin_stat '.cache.stores')
    parse_result "$out" || die "wrk gave no result: $(tail -n 3 "$out")"
    local errors=$((RESULT[connect] + RESULT[read] + RESULT[write] + RESULT[timeout] + RESULT[status]))
    LINES+=("$(printf '%-9s req/s %7.0f  p50 %7s ms  p99 %8s ms  max %9s ms  errors %d  flushes %d  stores %d  last flush %s ms, %s bytes' \
        "$label" "${RESULT[rps]}" "${RESULT[p50_ms]}" "${RESULT[p99_ms]}" "${RESULT[max_ms]}" "$errors" \
        "$((flushes_after - flushes_before))" "$((stores_after - stores_before))" \
        "$(admin_stat '.cache.persistence.last_flush_duration_ms')" "$(admin_stat '.cache.persistence.last_flush_bytes')")")
}

measure_flush_latency() {
    start_origin
    start_proxy
    local url="http://127.0.0.1:${BENCH_PORTS[inverseproxy]}"
    fill_cache
    wait_for_quiet
    log "warm-up ${WARMUP}s, then ${DURATION}s with nothing changing"
    run_wrk inverseproxy /1k "$CONNS" "${WARMUP}s" "$BENCH_TMP/wrk-warmup"
    start_side_traffic side-unchanged "$url/1m?i=1" 0
    measure unchanged
    stop_pid "${BENCH_SERVER_PIDS[side-unchanged]}"
    log "${DURATION}s while a new URL is stored every second"
    start_side_traffic side-changing "$url/1m?new=" 1
    measure flushing
    stop_pid "${BENCH_SERVER_PIDS[side-changing]}"
    LINES+=("proxy resident memory: $(rss_of "${BENCH_SERVER_PIDS[inverseproxy]}"); cache $(admin_stat '.cache.entries') entries, $(admin_stat '.cache.bytes') bytes")
}

print_report() {
    echo "InverseProxy persistence benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "host: $(nproc) cores, $(uname -sr); commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "file: ${BODY_BYTES}-byte bodies; write = Snapshot + CacheFileWriter.Write (with fsync); load = CacheFileReader.Load + Restore"
    echo "latency: wrk -t$BENCH_THREADS -c$CONNS ${DURATION}s on a cached /1k; cache ~$FILL_COUNT x ${ENTRY_BYTES} bytes, unit_time ${UNIT_TIME}s"
    echo
    printf '%s\n' "${LINES[@]}"
}

main() {
    ensure_tools
    command -v jq >/dev/null 2>&1 || die "jq is needed to read the admin stats (apt-get install jq)"
    bench_setup
    build_benchmarks
    measure_file_sizes
    if [[ ${BENCH_PERSIST_SKIP_PROXY:-0} != 1 ]]; then
        measure_flush_latency
    fi
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/persistence-$(date +%Y%m%d-%H%M%S).txt
    print_report | tee "$report"
    log "saved $report"
}

main "$@"
