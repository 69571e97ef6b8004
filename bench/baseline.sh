#!/usr/bin/env bash
# Regression check of the request path: the build of a baseline git revision (old) against the working tree's (new),
# in one run, both up at once behind the same nginx origin with the same config (conf/inverseproxy-baseline.conf).
# They take turns, round after round, the order flipping each round, so that the machine's drift falls on both
# alike. See bench/README.md.
#
#   BENCH_BASELINE=e0e72e7 bench/baseline.sh                  (same as BENCH_MODE=baseline bench/run.sh)
#   BENCH_BASELINE=main BENCH_ROWS=pass BENCH_LOGS=off BENCH_ROUNDS=7 bench/baseline.sh
#   BENCH_BASELINE=e0e72e7 BENCH_ROUNDS=2 BENCH_DURATION=3 BENCH_WARMUP=1 bench/baseline.sh   quick pass
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BASELINE=${BENCH_BASELINE:-}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-50}
ROUNDS=${BENCH_ROUNDS:-5}
ROWS_ONLY=${BENCH_ROWS:-hit-1k|pass-1k}
LOGS=${BENCH_LOGS:-on off}
# Keys an older build knows too: a key it does not know would stop it from starting.
BENCH_INVERSEPROXY_CONF=inverseproxy-baseline.conf
# The rows of run.sh that measure the request path: name, path, expectation.
ROWS=("hit-1k /1k hit" "hit-100k /100k hit" "pass-1k /nocache/1k pass" "pass-100k /nocache/100k pass")
SELECTED=()
# Of each "log row build": req/s and CPU microseconds per request, one per round in round order ("-" = none).
declare -A RPS=()
declare -A CPU=()
MEASURED=()
LINES=()
NOTES=()

# Checks the settings before anything is built; each problem is one line and exit status 1.
check_settings() {
    [[ -n $BASELINE ]] || die "BENCH_BASELINE is not set: name the old build's git revision, e.g. BENCH_BASELINE=e0e72e7"
    BASELINE_COMMIT=$(git -C "$REPO_ROOT" rev-parse --verify --quiet "$BASELINE^{commit}") \
        || die "BENCH_BASELINE=$BASELINE is not a commit of $REPO_ROOT"
    [[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a whole number of at least 1 (was '$ROUNDS')"
    local spec log
    for log in $LOGS; do
        [[ $log == on || $log == off ]] || die "BENCH_LOGS holds '$log' (want on, off or both)"
    done
    for spec in "${ROWS[@]}"; do
        if [[ ${spec%% *} =~ $ROWS_ONLY ]]; then
            SELECTED+=("$spec")
        fi
    done
    ((${#SELECTED[@]})) || die "BENCH_ROWS='$ROWS_ONLY' selects none of hit-1k, hit-100k, pass-1k, pass-100k"
}

# Publishes the baseline revision: its files come from git archive (no checkout, no change to the repository).
publish_baseline() {
    local source=$BENCH_TMP/old-source
    mkdir -p "$source"
    git -C "$REPO_ROOT" archive "$BASELINE_COMMIT" | tar -x -C "$source"
    log "publishing $BASELINE (Release)"
    publish_inverseproxy "$source" "$BENCH_TMP/old-publish" || die "the build of $BASELINE failed"
    OLD_BIN=$BENCH_TMP/old-publish/InverseProxy
}

start_builds() {
    start_inverseproxy_as old "$OLD_BIN" || die "the old build ($BASELINE) did not start"
    start_inverseproxy_as new "$INVERSEPROXY_BIN" || die "the working tree's build did not start"
}

# Stops both builds; their folders are kept aside as <build>.log-on / <build>.log-off.
stop_builds() {
    local build
    for build in old new; do
        stop_server "$build"
        mv "$BENCH_TMP/$build" "$BENCH_TMP/$build.log-$ACCESS_LOG"
    done
}

# per_request TOTAL FORMAT: TOTAL over the requests of the last parsed wrk result.
per_request() {
    awk -v a="$1" -v n="${RESULT[requests]}" -v f="$2" 'BEGIN { if (n > 0) printf f, a / n; else print "-" }'
}

round_line() {
    printf '%-4s %-10s %5s %-5s %9s %8s %7s %7s %9s\n' "$@"
}

# measure BUILD ROW PATH ROUND: warm-up, then the timed run; records req/s and CPU per request and a report line.
measure() {
    local build=$1 row=$2 path=$3 round=$4 out=$BENCH_TMP/wrk-$1-$2-log-$ACCESS_LOG-round-$4
    local rps=- cpu=- cs=- errors=- key="$ACCESS_LOG $2 $1"
    is_alive "${BENCH_SERVER_PIDS[$build]}" \
        || die "the $build build exited before $row round $round (log $ACCESS_LOG); BENCH_KEEP_TMP=1 keeps its logs"
    log "$build $row log $ACCESS_LOG round $round/$ROUNDS: warm-up ${WARMUP}s, run ${DURATION}s"
    run_wrk "$build" "$path" "$CONNS" "${WARMUP}s" "$out.warmup"
    timed_run "$build" "$path" "$CONNS" "$out"
    if parse_result "$out"; then
        rps=$(printf '%.0f' "${RESULT[rps]}")
        cpu=$(per_request "${RUN[cpu_us]}" '%.1f')
        cs=$(per_request "${RUN[cs]}" '%.2f')
        errors=$((RESULT[connect] + RESULT[read] + RESULT[write] + RESULT[timeout] + RESULT[status]))
    else
        NOTES+=("$build $row round $round (log $ACCESS_LOG): wrk gave no result: $(tail -n 3 "$out" | tr '\n' ' ')")
    fi
    RPS[$key]+=" $rps"
    CPU[$key]+=" $cpu"
    LINES+=("$(round_line "$ACCESS_LOG" "$row" "$round" "$build" "$rps" "$cpu" "$cs" "$errors" \
        "${RUN[origin_share]}%")")
}

# compare_row ROW PATH EXPECT: checks both builds answer the row as expected, then runs its rounds, old and new
# in turn, the first of the two alternating.
compare_row() {
    local row=$1 path=$2 expect=$3 build why round order
    for build in old new; do
        if ! why=$(check_target "$build" "$path" "$expect"); then
            NOTES+=("$build $row (log $ACCESS_LOG): $why; row not measured")
            return 0
        fi
    done
    for ((round = 1; round <= ROUNDS; round++)); do
        order=(old new)
        if ((round % 2 == 0)); then
            order=(new old)
        fi
        for build in "${order[@]}"; do
            measure "$build" "$row" "$path" "$round"
        done
    done
    MEASURED+=("$ACCESS_LOG $row")
}

# compare NEW OLD FORMAT: of two builds' per-round figures (space-separated, in round order, "-" = not measured)
# prints new's median, min and max, the same of old, new/old of the medians, the min and max of the new/old of
# each round, and how many rounds measured both; "-" for what cannot be computed.
compare() {
    awk -v new="$1" -v old="$2" -v f="$3" '
        function sorted(list, v,   w, m, n, i, j, t) {
            m = split(list, w, " ")
            n = 0
            for (i = 1; i <= m; i++) {
                if (w[i] ~ /^[0-9.]+$/) { v[++n] = w[i] + 0 }
            }
            for (i = 2; i <= n; i++) {
                t = v[i]
                for (j = i - 1; j >= 1 && v[j] > t; j--) { v[j + 1] = v[j] }
                v[j + 1] = t
            }
            return n
        }
        function median(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
        function spread(v, n, g) { return n ? sprintf(g " " g " " g, median(v, n), v[1], v[n]) : "- - -" }
        BEGIN {
            nn = sorted(new, a)
            no = sorted(old, b)
            m = split(new, x, " ")
            split(old, y, " ")
            for (i = 1; i <= m; i++) {
                if (x[i] ~ /^[0-9.]+$/ && y[i] ~ /^[0-9.]+$/ && y[i] > 0) { each = each " " x[i] / y[i] }
            }
            nr = sorted(each, r)
            ratio = (nn && no && median(b, no) > 0) ? sprintf("%.2f", median(a, nn) / median(b, no)) : "-"
            printf "%s %s %s %s %s %d\n", spread(a, nn, f), spread(b, no, f), ratio,
                (nr ? sprintf("%.2f", r[1]) : "-"), (nr ? sprintf("%.2f", r[nr]) : "-"), nr
        }'
}

# spread_line "LOG ROW" WHAT FIELD...: one line of the medians, from the fields printed by compare.
spread_line() {
    printf '%-4s %-10s %-6s  old %7s %-15s  new %7s %-15s  new/old %5sx %s\n' "${1% *}" "${1#* }" "$2" \
        "$6" "($7-$8)" "$3" "($4-$5)" "$9" "(${10}-${11})"
}

print_report() {
    local new_state
    new_state="working tree at $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
    if [[ -n $(git -C "$REPO_ROOT" status --porcelain -- src) ]]; then
        new_state+=" with uncommitted changes in src/"
    fi
    echo "InverseProxy baseline comparison, $(date -u '+%Y-%m-%d %H:%M:%S UTC'); host: $(nproc) cores, $(uname -sr)"
    echo "old = $(git -C "$REPO_ROOT" log -1 --format='%h %s' "$BASELINE_COMMIT" | cut -c 1-100)"
    echo "new = $new_state"
    echo "both: conf/inverseproxy-baseline.conf; wrk -t$BENCH_THREADS -c$CONNS, warm-up ${WARMUP}s, timed ${DURATION}s,"
    echo "$ROUNDS rounds per row and access log setting, old first in odd rounds, new first in even ones"
    echo "us/req = CPU time per request (/proc/PID/stat), cs/req = context switches per request (live threads),"
    echo "errors = connect+read+write+timeout+status>=400, orig cpu = the origin's share of a core during the run"
    echo "(near 100% the origin sets the pace: read us/req rather than req/s)"
    echo
    round_line log row round build "req/s" "us/req" "cs/req" errors "orig cpu" | sed 's/ *$//'
    printf '%s\n' "${LINES[@]}"
    echo
    echo "median of the rounds, (min-max); new/old of the medians, (min-max of new/old within each round)"
    local entry summary=() rps cpu
    for entry in "${MEASURED[@]}"; do
        read -ra rps < <(compare "${RPS["$entry new"]}" "${RPS["$entry old"]}" '%.0f')
        read -ra cpu < <(compare "${CPU["$entry new"]}" "${CPU["$entry old"]}" '%.1f')
        spread_line "$entry" "req/s" "${rps[@]}"
        spread_line "$entry" "us/req" "${cpu[@]}"
        summary+=("${entry#* } log ${entry% *}: new/old req/s ${rps[6]}x (median of ${rps[9]}), cpu/req ${cpu[6]}x")
    done
    local note
    for note in "${NOTES[@]}"; do
        echo "note: $note"
    done
    echo
    printf '%s\n' "${summary[@]}"
}

main() {
    check_settings
    ensure_tools
    raise_fd_limit
    bench_setup
    publish_baseline
    build_inverseproxy || die "the working tree's build failed"
    start_origin
    local spec
    for ACCESS_LOG in $LOGS; do
        start_builds
        for spec in "${SELECTED[@]}"; do
            # shellcheck disable=SC2086 # spec is a list of words by design
            compare_row $spec
        done
        stop_builds
    done
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)-baseline.txt
    print_report | tee "$report"
    log "saved $report"
}

main "$@"
