#!/usr/bin/env bash
# Tunnels and the forward proxy, side by side in one run (BENCH_TUNNELS_ROWS picks the groups, in this order):
#   auth       proxy authentication's cost on pass-through: wrk -t1 -c100 on a 1 KB file (/nocache/1k) through nginx
#              as a pass-through proxy, through InverseProxy without proxy_auth_users, and through InverseProxy with
#              it and a valid Proxy-Authorization header (verified once, then remembered)
#   websocket  bench/websocket.sh: WebSocket echo through nginx and InverseProxy at 1,000 and 9,000 tunnels
#   forward    bench/forward.sh: forward-proxy GETs (hit and pass) through Squid and InverseProxy
# InverseProxy is published once for all of them. Loopback only, bounded.
#
#   bench/tunnels.sh                        every group, 5 s per row
#   BENCH_TUNNELS_ROWS=auth bench/tunnels.sh
#   BENCH_DURATION=10 bench/tunnels.sh
# Exit status: 1 when a group failed (websocket.sh and forward.sh say why), else 0.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=${BENCH_DURATION:-5}
CONNS=${BENCH_CONNS:-100}
read -r -a GROUPS_TO_RUN <<<"${BENCH_TUNNELS_ROWS:-auth websocket forward}"

# row LABEL PORT [wrk header args...]
row() {
    local label=$1 port=$2 out
    shift 2
    local url="http://127.0.0.1:$port/nocache/1k"
    wrk -t1 -c"$CONNS" -d1s "$@" "$url" >/dev/null
    out=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url")
    printf '%-44s %10s req/s  p99 %8s  non-2xx %s\n' "$label" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}

auth_rows() {
    start_origin
    start_nginx nginx nginx-pass.conf
    local users=$BENCH_TMP/users
    echo 'bench password' | "$INVERSEPROXY_BIN" --hash-password bench >"$users"
    local credentials
    credentials=$(printf 'bench:bench password' | base64)

    echo "pass-through of a 1 KB file, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), wrk -t1 -c$CONNS -d${DURATION}s"
    row "nginx pass-through" "${BENCH_PORTS[nginx]}"
    start_inverseproxy || die "InverseProxy did not start"
    row "InverseProxy pass-through, no auth" "${BENCH_PORTS[inverseproxy]}"
    stop_server inverseproxy
    INVERSEPROXY_PROXY_AUTH_USERS=$users start_inverseproxy || die "InverseProxy did not start with proxy_auth_users"
    row "InverseProxy pass-through, Proxy-Authorization" "${BENCH_PORTS[inverseproxy]}" -H "Proxy-Authorization: Basic $credentials"
    stop_server inverseproxy
}

main() {
    ensure_tools
    raise_fd_limit
    bench_setup
    build_inverseproxy || die "InverseProxy did not build"
    local group status=0
    for group in "${GROUPS_TO_RUN[@]}"; do
        case $group in
            auth) auth_rows ;;
            websocket | forward)
                # Each script starts its own peers, ports above the ones in use, and its own BENCH_DURATION default.
                BENCH_PROXY_BIN=$INVERSEPROXY_BIN BENCH_DURATION=$DURATION "$BENCH_DIR/$group.sh" || status=1 ;;
            *) die "BENCH_TUNNELS_ROWS: unknown group '$group' (auth, websocket, forward)" ;;
        esac
    done
    return "$status"
}

main "$@"
