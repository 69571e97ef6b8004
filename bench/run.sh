#!/usr/bin/env bash
# Load benchmark: InverseProxy beside nginx (proxy_cache and pass-through), Varnish and HAProxy (pass-through
# and cache), all in front of one static nginx origin on loopback, driven by wrk. See bench/README.md.
#
#   bench/run.sh                                  full table, 10 s runs, 50 and 1000 connections
#   BENCH_DURATION=3 BENCH_SKIP_1000=1 bench/run.sh   quick pass
#   BENCH_ROWS=pass-1k BENCH_LOGS=off bench/run.sh    one row, access logs off only
#   BENCH_MODE=c9000 bench/run.sh                 the 9,000-client check (same as bench/concurrency.sh)
#   BENCH_MODE=baseline BENCH_BASELINE=REV bench/run.sh   build REV against the working tree (bench/baseline.sh)
#   BENCH_ROWS=https bench/run.sh                 the https rows only (InverseProxy's tls_port vs nginx ssl)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case ${BENCH_MODE:-table} in
    c9000) exec "$BENCH_DIR/concurrency.sh" ;;
    baseline) exec "$BENCH_DIR/baseline.sh" ;;
esac

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS_LOW=${BENCH_CONNS:-50}
CONNS_HIGH=${BENCH_CONNS_HIGH:-1000}
ONLY=${BENCH_ONLY:-}
ROWS_ONLY=${BENCH_ROWS:-}
LOGS=${BENCH_LOGS:-on off}
# Above this share of one core, the origin may be what sets the pace: the row's ratios are no target.
ORIGIN_BOUND_PERCENT=90

# row name, path, expectation, the nginx anchor the ratio is taken against, products in run order
ROWS=(
    "hit-1k /1k hit nginx-cache nginx-cache inverseproxy varnish haproxy-cache"
    "hit-100k /100k hit nginx-cache nginx-cache inverseproxy varnish haproxy-cache"
    "pass-1k /nocache/1k pass nginx-pass nginx-pass inverseproxy varnish haproxy-pass"
    "pass-100k /nocache/100k pass nginx-pass nginx-pass inverseproxy varnish haproxy-pass"
    "text-100k /text/100k hit nginx-cache inverseproxy"
    "text-100k-br /text/100k hit nginx-cache inverseproxy"
    "text-100k-gz /text/100k hit nginx-cache inverseproxy"
    "https-1k /1k hit nginx-tls nginx-tls inverseproxy-tls"
    "https-100k /100k hit nginx-tls nginx-tls inverseproxy-tls"
    "hit-1k-ratelimit /1k hit nginx-cache inverseproxy"
)
# Rows whose requests carry Accept-Encoding (the check and wrk send it): text-100k-br and -gz are compressed hits,
# each sending the stored br or gzip copy; text-100k beside them the identity hits of the same text.
declare -A ROW_ACCEPT=([text-100k-br]="gzip, br" [text-100k-gz]="gzip")
# Rows sent with a Host of their own: hit-1k-ratelimit reaches the bench config's [site:ratelimited], the same
# target and cache with rate_limit on and no client over it, so beside hit-1k it is the cost of the limiter.
declare -A ROW_HOST=([hit-1k-ratelimit]="ratelimited.bench")

TABLE=()
NOTES=()
# Of each measured "log conns row product": requests/s, p99, CPU microseconds per request, and 1 if the
# origin was above ORIGIN_BOUND_PERCENT of a core; for the ratio columns and the targets summary.
declare -A RPS=()
declare -A P99=()
declare -A CPU=()
declare -A BOUND=()
PROXY_BUILT=0
PROXY_UP=0
PERF=0

selected() {
    [[ -z $ONLY || $1 =~ $ONLY ]]
}

row_selected() {
    [[ -z $ROWS_ONLY || $1 =~ $ROWS_ONLY ]]
}

table_line() {
    printf '%-4s %-5s %-12s %-14s %8s %8s %8s %6s %-13s %7s %8s %7s %6s %7s %8s %12s %s\n' "$@"
}

# Adds one line to the table; n/a rows carry the reason in NOTES.
add_row() {
    local line
    line=$(table_line "$@")
    TABLE+=("${line% }")
}

# na_row CONNS ROW PRODUCT
na_row() {
    add_row "$ACCESS_LOG" "$1" "$2" "$3" n/a n/a n/a n/a - - - n/a n/a n/a n/a n/a ""
}

# ratio A B FORMAT: A / B, or "-" when either is missing or B is 0.
ratio() {
    awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (a != "" && b > 0) printf f, a / b; else print "-" }'
}

# bench_one CONNS ROW PATH EXPECT PRODUCT ANCHOR: one measured line of the table.
bench_one() {
    local conns=$1 row=$2 path=$3 expect=$4 product=$5 anchor=$6 why out
    if [[ $product == inverseproxy* ]] && ((PROXY_UP == 0)); then
        na_row "$conns" "$row" "$product"
        return 0
    fi
    if [[ $product == inverseproxy* ]] && ! is_alive "${BENCH_SERVER_PIDS[inverseproxy]}"; then
        NOTES+=("inverseproxy exited before $row c$conns (log $ACCESS_LOG)")
        PROXY_UP=0
        na_row "$conns" "$row" "$product"
        return 0
    fi
    if ! why=$(check_target "$product" "$path" "$expect"); then
        NOTES+=("$product $row c$conns (log $ACCESS_LOG): $why")
        na_row "$conns" "$row" "$product"
        return 0
    fi
    out=$BENCH_TMP/wrk-$product-$row-c$conns-log-$ACCESS_LOG
    log "$product $row c$conns log $ACCESS_LOG: warm-up ${WARMUP}s, run ${DURATION}s"
    run_wrk "$product" "$path" "$conns" "${WARMUP}s" "$out.warmup"
    timed_run "$product" "$path" "$conns" "$out"
    if ! parse_result "$out"; then
        NOTES+=("$product $row c$conns (log $ACCESS_LOG): wrk gave no result: $(tail -n 3 "$out" | tr '\n' ' ')")
        na_row "$conns" "$row" "$product"
        return 0
    fi
    local -A r=()
    local key
    for key in "${!RESULT[@]}"; do
        r[$key]=${RESULT[$key]}
    done
    local errors=$((r[connect] + r[read] + r[write] + r[timeout] + r[status]))
    local detail="${r[connect]}/${r[read]}/${r[write]}/${r[timeout]}/${r[status]}"
    local cpu cs cs_perf=- bound=0 flag=""
    if ((RUN[origin_share] > ORIGIN_BOUND_PERCENT)); then
        bound=1
        flag=origin-bound
    fi
    cpu=$(ratio "${RUN[cpu_us]}" "${r[requests]}" '%.1f')
    cs=$(ratio "${RUN[cs]}" "${r[requests]}" '%.2f')
    if [[ -n ${RUN[cs_perf]} ]]; then
        cs_perf=$(ratio "${RUN[cs_perf]}" "${r[requests]}" '%.2f')
    fi
    local prefix="$ACCESS_LOG $conns $row"
    RPS["$prefix $product"]=${r[rps]}
    P99["$prefix $product"]=${r[p99_ms]}
    CPU["$prefix $product"]=$cpu
    BOUND["$prefix $product"]=$bound
    add_row "$ACCESS_LOG" "$conns" "$row" "$product" "$(printf '%.0f' "${r[rps]}")" "${r[p50_ms]}" "${r[p99_ms]}" \
        "$errors" "$detail" "${RUN[origin]}" "${RUN[origin_share]}%" "$cpu" "$cs" "$cs_perf" \
        "$(ratio "${r[rps]}" "${RPS["$prefix $anchor"]:-}" '%.2fx')" \
        "$(ratio "$cpu" "${CPU["$prefix $anchor"]:-}" '%.2fx')" "$flag"
}

bench_row() {
    local conns=$1 row=$2 path=$3 expect=$4 anchor=$5 product
    shift 5
    row_selected "$row" || return 0
    BENCH_ACCEPT=${ROW_ACCEPT[$row]:-}
    BENCH_HOST=${ROW_HOST[$row]:-}
    for product in "$@"; do
        selected "$product" || continue
        bench_one "$conns" "$row" "$path" "$expect" "$product" "$anchor"
    done
}

# Starts every selected product with the access log setting in ACCESS_LOG.
start_products() {
    PROXY_UP=0
    if ((PROXY_BUILT)) && start_inverseproxy; then
        PROXY_UP=1
    fi
    selected nginx-cache && start_nginx nginx-cache nginx-cache.conf
    selected nginx-pass && start_nginx nginx-pass nginx-pass.conf
    if ((BENCH_TLS)) && selected nginx-tls; then
        start_nginx nginx-tls nginx-tls.conf
    fi
    selected varnish && start_varnish
    selected haproxy-pass && start_haproxy haproxy-pass haproxy-pass.cfg
    selected haproxy-cache && start_haproxy haproxy-cache haproxy-cache.cfg
    return 0
}

# Stops every server but the origin; their folders are kept aside under <name>.log-on / <name>.log-off.
stop_products() {
    local name
    for name in inverseproxy nginx-cache nginx-pass nginx-tls varnish-log varnish haproxy-pass haproxy-cache; do
        stop_server "$name"
        if [[ -d $BENCH_TMP/$name ]]; then
            mv "$BENCH_TMP/$name" "$BENCH_TMP/$name.log-$ACCESS_LOG"
        fi
    done
}

print_report() {
    local conns_list=$1
    echo "InverseProxy load benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "host: $(nproc) cores, $(uname -sr); commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "versions: $(nginx -v 2>&1 | sed 's/.*: //'), $("$(tool_path varnishd)" -V 2>&1 | head -n1 | sed 's/varnishd (//; s/ revision.*//'), $("$(tool_path haproxy)" -v | head -n1 | awk '{ print "haproxy-" $3 }'), $(wrk -v 2>&1 | head -n1 | awk '{ print $1 "-" $2 }')"
    echo "wrk: -t$BENCH_THREADS, connections $conns_list, warm-up ${WARMUP}s, timed ${DURATION}s, --timeout $BENCH_WRK_TIMEOUT"
    echo "log = access logs of every product on or off; errors = connect/read/write/timeout/status(>=400)"
    echo "origin = requests that reached the origin in the timed run; orig cpu = its CPU time over wall time (100% = 1 core)"
    echo "us/req = the product's CPU time per request (all its processes, /proc/PID/stat); cs/req = its context switches"
    echo "per request (live threads, /proc/PID/task/*/status); cs perf = the same counted by perf stat (exited threads kept)"
    echo "vs nginx, cpu vs nginx = req/s and us/req over nginx proxy_cache (hit rows) or nginx pass-through (pass rows),"
    echo "same run and access log setting"
    echo "origin-bound = origin above ${ORIGIN_BOUND_PERCENT}% of a core: the row's ratios are not used as targets"
    echo
    table_line log conns row product "req/s" "p50 ms" "p99 ms" errors "c/r/w/t/s" origin "orig cpu" \
        "us/req" "cs/req" "cs perf" "vs nginx" "cpu vs nginx" "" | sed 's/ *$//'
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

# excluded PREFIX ANCHOR LABEL: true (after printing why) when a target cannot be read from this run: a side was
# not measured, or the origin was above ORIGIN_BOUND_PERCENT of a core during either side's run.
excluded() {
    if [[ -z ${RPS["$1 inverseproxy"]:-} || -z ${RPS["$1 $2"]:-} ]]; then
        printf '  %-46s n/a\n' "$3"
        return 0
    fi
    if [[ ${BOUND["$1 inverseproxy"]} == 1 || ${BOUND["$1 $2"]} == 1 ]]; then
        printf '  %-46s excluded (origin-bound)\n' "$3"
        return 0
    fi
    return 1
}

# target_rps PREFIX ANCHOR LABEL: InverseProxy's requests/s over ANCHOR's in this run, at least 1.0x.
target_rps() {
    excluded "$@" && return 0
    awk -v a="${RPS["$1 inverseproxy"]}" -v b="${RPS["$1 $2"]}" -v label="$3" 'BEGIN {
        r = a / b; printf "  %-46s %5.2fx  %s\n", label, r, (r >= 1.0 ? "met" : "missed") }'
}

# target_cpu PREFIX ANCHOR LABEL MAX: InverseProxy's CPU time per request over ANCHOR's in this run, at most MAX.
target_cpu() {
    excluded "$@" && return 0
    awk -v a="${CPU["$1 inverseproxy"]}" -v b="${CPU["$1 $2"]}" -v label="$3" -v max="$4" 'BEGIN {
        if (a == "-" || b == "-" || b <= 0) { printf "  %-46s n/a\n", label; exit }
        r = a / b
        printf "  %-46s %5.2fx  (%s vs %s us, at most %.2fx)  %s\n", label, r, a, b, max, (r <= max ? "met" : "missed") }'
}

# The targets, as this run measured them (ratios within this run and access log setting only).
print_targets() {
    local log conns prefix a b
    for log in $LOGS; do
        for conns in $1; do
            prefix="$log $conns"
            echo
            echo "targets at $conns connections, access logs $log (this run):"
            target_rps "$prefix hit-1k" haproxy-cache "hit 1 KB req/s vs HAProxy cache"
            if ! excluded "$prefix hit-1k" nginx-cache "hit 1 KB p99 vs nginx proxy_cache"; then
                a=${P99["$prefix hit-1k inverseproxy"]}
                b=${P99["$prefix hit-1k nginx-cache"]}
                awk -v a="$a" -v b="$b" 'BEGIN { printf "  %-46s %s vs %s ms  %s\n",
                    "hit 1 KB p99 vs nginx proxy_cache", a, b, (a <= b ? "met" : "missed") }'
            fi
            target_rps "$prefix hit-100k" nginx-cache "hit 100 KB req/s vs nginx proxy_cache"
            target_cpu "$prefix pass-1k" nginx-pass "pass 1 KB CPU/request vs nginx pass-through" 1.3
            target_cpu "$prefix pass-100k" nginx-pass "pass 100 KB CPU/request vs nginx pass-through" 1.0
        done
    done
}

main() {
    ensure_tools
    raise_fd_limit
    bench_setup
    if perf_usable; then
        PERF=1
    else
        log "perf cannot count context switches here: the perf column is '-'"
    fi
    start_origin
    # The https rows need the certificate, nginx's ssl server and InverseProxy's tls_port.
    BENCH_TLS=0
    if row_selected https-1k || row_selected https-100k; then
        BENCH_TLS=1
        make_bench_certificate
    fi
    if (selected inverseproxy || selected inverseproxy-tls) && build_inverseproxy; then
        PROXY_BUILT=1
    fi
    local conns_list=("$CONNS_LOW")
    if [[ ${BENCH_SKIP_1000:-0} != 1 ]]; then
        conns_list+=("$CONNS_HIGH")
    fi
    local conns spec
    for ACCESS_LOG in $LOGS; do
        [[ $ACCESS_LOG == on || $ACCESS_LOG == off ]] || die "BENCH_LOGS holds '$ACCESS_LOG' (want on, off or both)"
        start_products
        for conns in "${conns_list[@]}"; do
            for spec in "${ROWS[@]}"; do
                # shellcheck disable=SC2086 # spec is a list of words by design
                bench_row "$conns" $spec
            done
        done
        if [[ $ACCESS_LOG == "${LOGS##* }" ]]; then
            # The last products stay up: print_report reads InverseProxy's memory.
            break
        fi
        stop_products
    done
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S).txt
    print_report "${conns_list[*]}" | tee "$report"
    log "saved $report"
}

main "$@"
