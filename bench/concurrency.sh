#!/usr/bin/env bash
# Target check: 9,000 concurrent keep-alive clients on InverseProxy cache hits of 1 KB —
# zero errors and timeouts, p99 under 1 s, resident memory reported. Loopback only, bounded.
#
#   bench/concurrency.sh                       (same as BENCH_MODE=c9000 bench/run.sh)
#   BENCH_C9000_CONNS=9000 BENCH_DURATION=30 BENCH_C9000_REFERENCE=0 bench/concurrency.sh
#   BENCH_C9000_PATH=/nocache/1k bench/concurrency.sh   (pass-through instead of cache hits; reference nginx-pass)
#   BENCH_C9000_DEFAULTS=1 BENCH_DURATION=15 bench/concurrency.sh
#       (InverseProxy on the shipped defaults: only targets and max_connections = 10000 set, no spare_threads;
#        timeouts and p99 reported beside nginx from the same run)
# Exit status: 0 when the target is met, 1 when it is not (or InverseProxy does not start).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNS=${BENCH_C9000_CONNS:-9000}
DURATION=${BENCH_DURATION:-30}
WARMUP=${BENCH_WARMUP:-3}
P99_LIMIT_MS=${BENCH_C9000_P99_MS:-1000}
TARGET_PATH=${BENCH_C9000_PATH:-/1k}
if [[ $TARGET_PATH == /nocache/* ]]; then
    EXPECT=pass REFERENCE=nginx-pass
else
    EXPECT=hit REFERENCE=nginx-cache
fi
if [[ ${BENCH_C9000_DEFAULTS:-0} == 1 ]]; then
    # What an operator gets without tuning: parked threads must keep up with the burst on their own.
    SETTINGS="shipped defaults (targets, max_connections = 10000)"
    BENCH_INVERSEPROXY_CONF=inverseproxy-defaults.conf
    BENCH_MAX_CONNECTIONS=10000
else
    SETTINGS="bench/conf/inverseproxy.conf"
    # max_connections must stay above the client count, or the proxy answers the surplus with 503.
    BENCH_MAX_CONNECTIONS=${BENCH_MAX_CONNECTIONS:-$((CONNS + 3000))}
    # A thread-per-connection server meets a burst of thousands of new clients with threads made ready in advance
    # (as Apache's StartServers/MinSpareThreads); otherwise clients wait while threads are created under load.
    BENCH_SPARE_THREADS=${BENCH_SPARE_THREADS:-$CONNS}
fi
export BENCH_INVERSEPROXY_CONF
LINES=()
VERDICT=0

# Samples RSS and thread count halfway through the timed run, in the background.
sample_midway() {
    local pid=$1 out=$2
    (
        sleep "$((DURATION / 2))"
        echo "$(rss_of "$pid"), $(threads_of "$pid") threads" >"$out" 2>/dev/null || true
    ) &
    register_server "sampler-$pid" "$!"
}

# measure NAME: warm-up at 50 clients, then the timed run at CONNS clients; appends a report line.
measure() {
    local name=$1 out=$BENCH_TMP/wrk-$1-c$CONNS pid=${BENCH_SERVER_PIDS[$1]} why
    if ! why=$(check_target "$name" "$TARGET_PATH" "$EXPECT"); then
        LINES+=("$name: n/a ($why)")
        return 1
    fi
    log "$name: warm-up ${WARMUP}s at 50 clients, then ${DURATION}s at $CONNS clients"
    run_wrk "$name" "$TARGET_PATH" 50 "${WARMUP}s" "$out.warmup"
    sample_midway "$pid" "$out.mid"
    run_wrk "$name" "$TARGET_PATH" "$CONNS" "${DURATION}s" "$out"
    if ! parse_result "$out"; then
        LINES+=("$name: wrk gave no result: $(tail -n 3 "$out" | tr '\n' ' ')")
        return 1
    fi
    local errors=$((RESULT[connect] + RESULT[read] + RESULT[write] + RESULT[status]))
    local mid="n/a"
    if [[ -s $out.mid ]]; then
        mid=$(<"$out.mid")
    fi
    LINES+=("$(printf '%-13s clients %d  req/s %.0f  p50 %s ms  p99 %s ms  max %s ms  errors %d (c/r/w/s %s/%s/%s/%s)  timeouts %s' \
        "$name" "$CONNS" "${RESULT[rps]}" "${RESULT[p50_ms]}" "${RESULT[p99_ms]}" "${RESULT[max_ms]}" "$errors" \
        "${RESULT[connect]}" "${RESULT[read]}" "${RESULT[write]}" "${RESULT[status]}" "${RESULT[timeout]}")")
    LINES+=("              memory midway: $mid; at end: $(rss_of "$pid")")
    awk -v p="${RESULT[p99_ms]}" -v l="$P99_LIMIT_MS" -v e="$errors" -v t="${RESULT[timeout]}" \
        'BEGIN { exit !(e == 0 && t == 0 && p < l) }'
}

main() {
    ensure_tools
    raise_fd_limit
    ((CONNS + 100 < $(ulimit -n))) || die "open-file limit $(ulimit -n) is too low for $CONNS clients"
    bench_setup
    start_origin
    local proxy_up=0
    if build_inverseproxy && start_inverseproxy; then
        proxy_up=1
    fi
    if [[ ${BENCH_C9000_REFERENCE:-1} == 1 ]]; then
        start_nginx "$REFERENCE" "$REFERENCE.conf"
    fi
    if ((proxy_up)); then
        if measure inverseproxy; then
            LINES+=("inverseproxy: target met (0 errors, 0 timeouts, p99 < ${P99_LIMIT_MS} ms)")
        else
            LINES+=("inverseproxy: target NOT met (target: 0 errors, 0 timeouts, p99 < ${P99_LIMIT_MS} ms)")
            VERDICT=1
        fi
    else
        LINES+=("inverseproxy: n/a (did not start)")
        VERDICT=1
    fi
    if [[ ${BENCH_C9000_REFERENCE:-1} == 1 ]]; then
        measure "$REFERENCE" || true
    fi
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)-c$CONNS.txt
    {
        echo "InverseProxy concurrency check, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores"
        echo "wrk -t$BENCH_THREADS -c$CONNS -d${DURATION}s --timeout $BENCH_WRK_TIMEOUT on $TARGET_PATH ($EXPECT), open files $(ulimit -n)"
        echo "InverseProxy settings: $SETTINGS"
        printf '%s\n' "${LINES[@]}"
    } | tee "$report"
    log "saved $report"
    return "$VERDICT"
}

main "$@"
