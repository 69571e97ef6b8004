#!/usr/bin/env bash
# Load benchmark: InverseProxy beside nginx (proxy_cache and pass-through), Varnish and HAProxy (pass-through
# and cache), all in front of one static nginx origin on loopback, driven by wrk. See bench/README.md.
#
#   bench/run.sh                                  full table, 10 s runs, 50 and 1000 connections
#   BENCH_DURATION=3 BENCH_SKIP_1000=1 bench/run.sh   quick pass
#   BENCH_MODE=c9000 bench/run.sh                 the 9,000-client check (same as bench/concurrency.sh)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ${BENCH_MODE:-table} == c9000 ]]; then
    exec "$BENCH_DIR/concurrency.sh"
fi

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS_LOW=${BENCH_CONNS:-50}
CONNS_HIGH=${BENCH_CONNS_HIGH:-1000}
ONLY=${BENCH_ONLY:-}

# row name, path, expectation, the nginx anchor the ratio is taken against, products in run order
ROWS=(
    "hit-1k /1k hit nginx-cache nginx-cache inverseproxy varnish haproxy-cache"
    "hit-100k /100k hit nginx-cache nginx-cache inverseproxy varnish haproxy-cache"
    "pass-1k /nocache/1k pass nginx-pass nginx-pass inverseproxy varnish haproxy-pass"
    "pass-100k /nocache/100k pass nginx-pass nginx-pass inverseproxy varnish haproxy-pass"
)

TABLE=()
NOTES=()
# requests/s and p99 of each measured "conns row product", for the targets summary
declare -A RPS=()
declare -A P99=()
PROXY_UP=0

selected() {
    [[ -z $ONLY || $1 =~ $ONLY ]]
}

# Prints one table line; n/a rows carry the reason in NOTES.
add_row() {
    TABLE+=("$(printf '%-6s %-10s %-14s %10s %9s %9s %7s %-15s %8s %9s' "$@")")
}

# bench_one CONNS ROW PATH EXPECT PRODUCT BASE_RPS: prints the measured requests/s (or nothing).
bench_one() {
    local conns=$1 row=$2 path=$3 expect=$4 product=$5 base=$6 why out before after
    if [[ $product == inverseproxy ]] && ((PROXY_UP == 0)); then
        add_row "$conns" "$row" "$product" n/a n/a n/a n/a - - n/a
        return 0
    fi
    if [[ $product == inverseproxy ]] && ! is_alive "${BENCH_SERVER_PIDS[inverseproxy]}"; then
        NOTES+=("inverseproxy exited before $row c$conns")
        PROXY_UP=0
        add_row "$conns" "$row" "$product" n/a n/a n/a n/a - - n/a
        return 0
    fi
    if ! why=$(check_target "$product" "$path" "$expect"); then
        NOTES+=("$product $row c$conns: $why")
        add_row "$conns" "$row" "$product" n/a n/a n/a n/a - - n/a
        return 0
    fi
    out=$BENCH_TMP/wrk-$product-$row-c$conns
    log "$product $row c$conns: warm-up ${WARMUP}s, run ${DURATION}s"
    run_wrk "$product" "$path" "$conns" "${WARMUP}s" "$out.warmup"
    before=$(origin_requests)
    run_wrk "$product" "$path" "$conns" "${DURATION}s" "$out"
    after=$(origin_requests)
    if ! parse_result "$out"; then
        NOTES+=("$product $row c$conns: wrk gave no result: $(tail -n 3 "$out" | tr '\n' ' ')")
        add_row "$conns" "$row" "$product" n/a n/a n/a n/a - - n/a
        return 0
    fi
    local -A r=()
    local key
    for key in "${!RESULT[@]}"; do
        r[$key]=${RESULT[$key]}
    done
    local errors=$((r[connect] + r[read] + r[write] + r[timeout] + r[status]))
    local detail="${r[connect]}/${r[read]}/${r[write]}/${r[timeout]}/${r[status]}"
    local ratio=-
    if [[ -n $base ]]; then
        ratio=$(awk -v a="${r[rps]}" -v b="$base" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
    fi
    add_row "$conns" "$row" "$product" "$(printf '%.0f' "${r[rps]}")" "${r[p50_ms]}" "${r[p99_ms]}" \
        "$errors" "$detail" "$((after - before - 1))" "$ratio"
    BASE_RPS=${r[rps]}
    RPS["$conns $row $product"]=${r[rps]}
    P99["$conns $row $product"]=${r[p99_ms]}
}

bench_row() {
    local conns=$1 row=$2 path=$3 expect=$4 anchor=$5 product base=""
    shift 5
    for product in "$@"; do
        selected "$product" || continue
        BASE_RPS=""
        bench_one "$conns" "$row" "$path" "$expect" "$product" "$base"
        if [[ $product == "$anchor" ]]; then
            base=$BASE_RPS
        fi
    done
}

start_all() {
    start_origin
    if selected inverseproxy && build_inverseproxy && start_inverseproxy; then
        PROXY_UP=1
    fi
    selected nginx-cache && start_nginx nginx-cache nginx-cache.conf
    selected nginx-pass && start_nginx nginx-pass nginx-pass.conf
    selected varnish && start_varnish
    selected haproxy-pass && start_haproxy haproxy-pass haproxy-pass.cfg
    selected haproxy-cache && start_haproxy haproxy-cache haproxy-cache.cfg
    return 0
}

print_report() {
    local conns_list=$1
    echo "InverseProxy load benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "host: $(nproc) cores, $(uname -sr); commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "versions: $(nginx -v 2>&1 | sed 's/.*: //'), $("$(tool_path varnishd)" -V 2>&1 | head -n1 | sed 's/varnishd (//; s/ revision.*//'), $("$(tool_path haproxy)" -v | head -n1 | awk '{ print "haproxy-" $3 }'), $(wrk -v 2>&1 | head -n1 | awk '{ print $1 "-" $2 }')"
    echo "wrk: -t$BENCH_THREADS, connections $conns_list, warm-up ${WARMUP}s, timed ${DURATION}s, --timeout $BENCH_WRK_TIMEOUT"
    echo "errors = connect/read/write/timeout/status(>=400); origin = requests that reached the origin in the timed run"
    echo "vs nginx = requests/s over nginx proxy_cache (hit rows) or nginx pass-through with keepalive (pass rows), same run"
    echo
    printf '%-6s %-10s %-14s %10s %9s %9s %7s %-15s %8s %9s\n' \
        conns row product "req/s" "p50 ms" "p99 ms" errors "c/r/w/t/s" origin "vs nginx"
    printf '%s\n' "${TABLE[@]}"
    echo
    if [[ -n ${BENCH_SERVER_PIDS[inverseproxy]:-} ]] \
        && is_alive "${BENCH_SERVER_PIDS[inverseproxy]}"; then
        echo "InverseProxy resident memory at end: $(rss_of "${BENCH_SERVER_PIDS[inverseproxy]}")"
    else
        echo "InverseProxy resident memory at end: n/a (not running)"
    fi
    print_targets "$conns_list"
    local note
    for note in "${NOTES[@]}"; do
        echo "note: $note"
    done
}

# target_ratio CONNS ROW ANCHOR LABEL: InverseProxy's requests/s over ANCHOR's in this run, against 1.0x.
target_ratio() {
    local a=${RPS["$1 $2 inverseproxy"]:-} b=${RPS["$1 $2 $3"]:-}
    if [[ -z $a || -z $b ]]; then
        printf '  %-36s n/a\n' "$4"
        return 0
    fi
    awk -v a="$a" -v b="$b" -v label="$4" 'BEGIN {
        r = a / b; printf "  %-36s %5.2fx  %s\n", label, r, (r >= 1.0 ? "met" : "missed") }'
}

# The issue's targets, as this run measured them (ratios within this run only).
print_targets() {
    local conns a b
    echo
    for conns in $1; do
        echo "targets at $conns connections (this run):"
        target_ratio "$conns" hit-1k haproxy-cache "hit 1 KB vs HAProxy cache"
        a=${P99["$conns hit-1k inverseproxy"]:-}
        b=${P99["$conns hit-1k nginx-cache"]:-}
        if [[ -n $a && -n $b ]]; then
            awk -v a="$a" -v b="$b" 'BEGIN {
                printf "  %-36s %s vs %s ms  %s\n", "hit 1 KB p99 vs nginx proxy_cache", a, b, (a <= b ? "met" : "missed") }'
        else
            printf '  %-36s n/a\n' "hit 1 KB p99 vs nginx proxy_cache"
        fi
        target_ratio "$conns" hit-100k nginx-cache "hit 100 KB vs nginx proxy_cache"
        target_ratio "$conns" pass-1k nginx-pass "pass 1 KB vs nginx pass-through"
        target_ratio "$conns" pass-100k nginx-pass "pass 100 KB vs nginx pass-through"
    done
}

main() {
    ensure_tools
    raise_fd_limit
    bench_setup
    start_all
    local conns_list=("$CONNS_LOW")
    if [[ ${BENCH_SKIP_1000:-0} != 1 ]]; then
        conns_list+=("$CONNS_HIGH")
    fi
    local conns spec
    for conns in "${conns_list[@]}"; do
        for spec in "${ROWS[@]}"; do
            # shellcheck disable=SC2086 # spec is a list of words by design
            bench_row "$conns" $spec
        done
    done
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S).txt
    print_report "${conns_list[*]}" | tee "$report"
    log "saved $report"
}

main "$@"
