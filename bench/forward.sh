#!/usr/bin/env bash
# Forward proxy: GETs of a 1 KB file sent in absolute form (GET http://origin/1k) through Squid and through
# InverseProxy with forward_proxy on, to one nginx origin: a cacheable file (hit-1k) and an uncacheable one
# (pass-1k). wrk -t1 with bench/lua/forward.lua. Loopback only, bounded; every process started is stopped at exit.
#
#   bench/forward.sh                                   10 s per row at 50 connections
#   BENCH_DURATION=3 BENCH_WARMUP=1 bench/forward.sh   quick smoke run
# Exit status: 0 when every row was measured with no error, 1 otherwise.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-50}
ACCESS_LOG=${BENCH_FORWARD_LOG:-on}
CLK_TCK=$(getconf CLK_TCK)
export BENCH_LUA_DIR=$BENCH_DIR/lua

ensure_squid() {
    if command -v squid >/dev/null 2>&1 || [[ -x /usr/sbin/squid ]]; then
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 || die "missing squid and not root (no sudo to install it)"
        sudo=(sudo)
    fi
    log "installing squid"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq squid >/dev/null
}

# In the foreground (-N), so that it is our child and stops with the others.
start_squid() {
    local name=squid dir=$BENCH_TMP/squid user_line="" pid
    mkdir -p "$dir"
    # As root, Squid drops to cache_effective_user; that user must write its logs and pid file here.
    if ((EUID == 0)); then
        user_line="cache_effective_user proxy"
        chmod 777 "$dir"
    fi
    pick_port "$name"
    render squid.conf "$dir/squid.conf.in" "$name"
    sed "s|@SQUID_USER_LINE@|$user_line|" "$dir/squid.conf.in" >"$dir/squid.conf"
    "$(tool_path squid)" -N -f "$dir/squid.conf" >"$dir/stdout.log" 2>&1 &
    pid=$!
    register_server "$name" "$pid"
    wait_ready "$name" "$pid" || die "squid not answering: $(tail -n 20 "$dir/cache.log" "$dir/stdout.log" 2>/dev/null)"
    log "squid on 127.0.0.1:${BENCH_PORTS[$name]} (access log $ACCESS_LOG)"
}

# check NAME PATH EXPECT: the second of two GETs through NAME must be 200 with 1024 bytes, and a cache hit (hit)
# or not one (pass). Squid says "X-Cache: HIT from bench", InverseProxy "X-Cache: HIT".
check() {
    local url="http://127.0.0.1:${BENCH_PORTS[origin]}$2" headers status size cache
    curl -s -o /dev/null --max-time 5 -x "http://127.0.0.1:${BENCH_PORTS[$1]}" "$url" || true
    headers=$(curl -s -D - -o /dev/null --max-time 5 -x "http://127.0.0.1:${BENCH_PORTS[$1]}" \
        -w 'BENCH_SIZE %{size_download}\n' "$url") || {
        echo "no response through $1"
        return 1
    }
    status=$(awk 'NR == 1 { print $2 }' <<<"$headers")
    size=$(awk '/^BENCH_SIZE/ { print $2 }' <<<"$headers")
    cache=$(awk -F': *' 'tolower($1) == "x-cache" { gsub(/\r/, "", $2); print $2 }' <<<"$headers")
    if [[ $status != 200 || $size != 1024 ]]; then
        echo "status $status, $size bytes (want 200, 1024)"
        return 1
    fi
    if [[ $3 == hit && $cache != HIT* ]]; then
        echo "second request not a cache hit (X-Cache: ${cache:-none})"
        return 1
    fi
    if [[ $3 == pass && $cache == HIT* ]]; then
        echo "no-store response served from cache"
        return 1
    fi
}

# forward_wrk NAME PATH SECONDS OUT: one bounded wrk run through NAME; the BENCH_RESULT line lands in OUT.
forward_wrk() {
    local name=$1 seconds=$3 out=$4 pid
    BENCH_FORWARD_URL="http://127.0.0.1:${BENCH_PORTS[origin]}$2" \
        timeout -k 5 "$((seconds + 30))" wrk -t1 -c"$CONNS" -d"${seconds}s" --timeout "$BENCH_WRK_TIMEOUT" \
        -s "$BENCH_DIR/lua/forward.lua" "http://127.0.0.1:${BENCH_PORTS[$name]}/" >"$out" 2>&1 &
    pid=$!
    register_server wrk "$pid"
    wait "$pid" || true
    stop_server wrk
}

declare -A RPS=()
# row ROW PATH EXPECT NAME: check, warm-up, timed run with the product's CPU time and the origin's request count.
row() {
    local label=$1 path=$2 expect=$3 name=$4 out=$BENCH_TMP/$4-$1.out reason pids ticks origin cpu ratio="-"
    if ! reason=$(check "$name" "$path" "$expect"); then
        printf '%-8s %-13s %6s  n/a: %s\n' "$label" "$name" "$CONNS" "$reason"
        touch "$BENCH_TMP/failed"
        return
    fi
    forward_wrk "$name" "$path" "$WARMUP" "$BENCH_TMP/$name-$label-warmup.out"
    mapfile -t pids < <(pids_of "$name")
    ticks=$(cpu_ticks "${pids[@]}")
    origin=$(origin_requests)
    forward_wrk "$name" "$path" "$DURATION" "$out"
    ticks=$(($(cpu_ticks "${pids[@]}") - ticks))
    origin=$(($(origin_requests) - origin - 1))
    if ! parse_result "$out"; then
        printf '%-8s %-13s %6s  n/a: %s\n' "$label" "$name" "$CONNS" "$(tail -n 1 "$out")"
        touch "$BENCH_TMP/failed"
        return
    fi
    local errors=$((RESULT[connect] + RESULT[read] + RESULT[write] + RESULT[timeout] + RESULT[status]))
    RPS[$label-$name]=${RESULT[rps]}
    cpu=$(awk -v t="$ticks" -v r="${RESULT[requests]}" -v hz="$CLK_TCK" \
        'BEGIN { if (r > 0) printf "%.1f", t * 1e6 / hz / r; else print "-" }')
    if [[ $name == inverseproxy && -n ${RPS[$label-squid]:-} ]]; then
        ratio=$(awk -v a="${RESULT[rps]}" -v b="${RPS[$label-squid]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
    fi
    printf '%-8s %-13s %6s %10s %8s %8s %7s %9s %7s %9s\n' "$label" "$name" "$CONNS" "${RESULT[rps]}" \
        "${RESULT[p50_ms]}" "${RESULT[p99_ms]}" "$errors" "$origin" "$cpu" "$ratio"
    if ((errors != 0)); then
        touch "$BENCH_TMP/failed"
    fi
}

main() {
    ensure_tools
    ensure_squid
    raise_fd_limit
    bench_setup
    start_origin
    start_squid
    build_inverseproxy || die "InverseProxy did not build"
    BENCH_INVERSEPROXY_CONF=inverseproxy-forward.conf start_inverseproxy || die "InverseProxy did not start"
    mkdir -p "$BENCH_DIR/out"
    local report
    report=$BENCH_DIR/out/forward-$(date +%Y%m%d-%H%M%S).txt
    {
        echo "forward proxy, absolute-form GETs of a 1 KB file, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), wrk -t1" \
            "-c$CONNS, ${DURATION} s timed after ${WARMUP} s warm-up, access log $ACCESS_LOG"
        printf '%-8s %-13s %6s %10s %8s %8s %7s %9s %7s %9s\n' row product conns 'req/s' 'p50 ms' 'p99 ms' errors \
            origin 'us/req' 'vs squid'
        row hit-1k /1k hit squid
        row hit-1k /1k hit inverseproxy
        row pass-1k /nocache/1k pass squid
        row pass-1k /nocache/1k pass inverseproxy
        echo "origin = requests that reached the origin during the timed run (0 on hit rows: served from cache)."
        echo "us/req = the proxy's CPU time (utime + stime, /proc/PID/stat) per request."
    } | tee "$report"
    log "saved $report"
    # Rows run inside the pipeline's subshell: a failed one leaves a mark in the temp folder.
    [[ ! -e $BENCH_TMP/failed ]]
}

main "$@"
