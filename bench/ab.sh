#!/usr/bin/env bash
# Two builds of InverseProxy side by side: publishes each git revision once, then runs bench/run.sh for each in
# turn, alternating (A B A B ...), so drift on a shared machine falls on both alike. Prints each run's InverseProxy
# rows (req/s, p99, CPU microseconds per request) with the build they came from, and the median of each.
#
#   bench/ab.sh BASE_REV [NEW_REV]          NEW_REV defaults to the working tree
#   BENCH_AB_ROUNDS=3 BENCH_ROWS='hit-1k|pass-1k' BENCH_LOGS=off BENCH_SKIP_1000=1 bench/ab.sh HEAD~5
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
BASE_REV=${1:?usage: bench/ab.sh BASE_REV [NEW_REV]}
NEW_REV=${2:-}
ROUNDS=${BENCH_AB_ROUNDS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/inverseproxy-ab.XXXXXX")
trap 'git -C "$REPO_ROOT" worktree remove --force "$WORK/src-a" >/dev/null 2>&1 || true;
      git -C "$REPO_ROOT" worktree remove --force "$WORK/src-b" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

log() {
    printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2
}

# Publishes revision $1 (empty = the working tree) in Release to $2.
publish() {
    local rev=$1 out=$2 source=$REPO_ROOT
    if [[ -n $rev ]]; then
        source=$WORK/src-$(basename "$out")
        git -C "$REPO_ROOT" worktree add --detach -q "$source" "$rev"
    fi
    log "publishing ${rev:-working tree} to $out"
    dotnet publish "$source/src/InverseProxy" -c Release -o "$out" --nologo -v quiet >"$out.log" 2>&1 \
        || { cat "$out.log" >&2; exit 1; }
}

publish "$BASE_REV" "$WORK/a"
publish "$NEW_REV" "$WORK/b"
label_a="A=$(git -C "$REPO_ROOT" rev-parse --short "$BASE_REV")"
label_b="B=${NEW_REV:-working tree}"

: "${BENCH_ONLY:=inverseproxy}"
export BENCH_ONLY
results=$WORK/results.txt
: >"$results"
for ((round = 1; round <= ROUNDS; round++)); do
    for build in a b; do
        log "round $round/$ROUNDS, build $build"
        BENCH_PROXY_BIN="$WORK/$build/InverseProxy" "$BENCH_DIR/run.sh" >"$WORK/run-$round-$build.txt" 2>"$WORK/run-$round-$build.err" \
            || { tail -20 "$WORK/run-$round-$build.err" >&2; exit 1; }
        # Table rows: log conns row product req/s p50 p99 errors c/r/w/t/s origin orig-cpu us/req ...
        awk -v build="$build" -v round="$round" '$4 == "inverseproxy" && $5 ~ /^[0-9]+$/ {
            print build, round, $1, $2, $3, $5, $7, $12 }' "$WORK/run-$round-$build.txt" >>"$results"
    done
done

echo "InverseProxy, $ROUNDS alternating rounds: $label_a, $label_b"
printf '%-5s %-4s %-6s %-10s %-28s %-28s %-22s\n' build log conns row "req/s (each round)" "p99 ms (each round)" "us/req (each round)"
sort -k3,3 -k4,4n -k5,5 -k1,1 -k2,2n "$results" | awk '
    { key = $1 " " $3 " " $4 " " $5; rps[key] = rps[key] " " $6; p99[key] = p99[key] " " $7; cpu[key] = cpu[key] " " $8
      if (!(key in seen)) { order[++n] = key; seen[key] = 1 } }
    END { for (i = 1; i <= n; i++) { split(order[i], k, " ");
          printf "%-5s %-4s %-6s %-10s %-28s %-28s %-22s\n", k[1], k[2], k[3], k[4], rps[order[i]], p99[order[i]], cpu[order[i]] } }'
echo
echo "runs kept in $WORK until this script exits; rerun with BENCH_KEEP_TMP=1 to keep each run's temp folder"
