#!/usr/bin/env bash
# Compares the durable joins of two builds side by side: both servers run at once, each on its own
# database and Redis prefix, each loaded by its own wrk, so a change of the host's speed (on a shared
# VM, twofold within minutes) hits both alike, which alternating runs (scripts/bench-joins.sh with
# VQ_BENCH_JAR) cannot promise. The builds swap ports every round.
# Saturated (the default, 25 connections each), the builds share the two cores and the ratio of their
# joins/s is the inverse ratio of what a join costs each; it still moved 0.81-1.07 between rounds
# here, as JIT and checkpoints fall on one side or the other.
# Paced (VQ_BENCH_DELAY_MS=50 VQ_BENCH_CONNECTIONS=10: at most 200 joins/s each), it gives the
# latencies of a server below saturation, where a join costs its own path, not its place in a queue.
# Usage: scripts/bench-joins-ab.sh BEFORE.jar AFTER.jar [rounds, default 6] [seconds, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/throwaway-server.sh
[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
JARS=("$1" "$2")
ROUNDS=${3:-6}
SECS=${4:-20}
CONNS=${VQ_BENCH_CONNECTIONS:-25}
WARM=${VQ_BENCH_WARM_SECONDS:-20}
PORTS=(${VQ_BENCH_PORT:-18080} $((${VQ_BENCH_PORT:-18080} + 10)))
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
for j in "${JARS[@]}"; do [ -f "$j" ] || { echo "no such jar: $j" >&2; exit 2; }; done
throwaway_require_free "${PORTS[@]}"
OUT=$(mktemp -d)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  PIDS=()
  for i in 0 1; do throwaway_drop "vq_benchab_$$_$i" "vqbenchab$$x$i"; done
}
trap 'cleanup; rm -rf "$OUT"' EXIT
PATH_JOIN=/api/v1/public/demo/queues/main/tickets

# one_round R: both builds at once; writes "joins_before joins_after p50_before p50_after p99_before
# p99_after" to $OUT/round
one_round() {
  local r=$1 i port phase wrks
  for i in 0 1; do
    port=${PORTS[$(((i + r) % 2))]}
    VQ_BENCH_JAR=${JARS[$i]} throwaway_start "$port" "vq_benchab_$$_$i" "vqbenchab$$x$i" "$OUT/server$i.log" -Xms512m -Xmx1g
    PIDS+=("$THROWAWAY_PID")
  done
  for i in 0 1; do
    throwaway_await "${PORTS[$(((i + r) % 2))]}" "${PIDS[$i]}" || { cat "$OUT/server$i.log" >&2; exit 1; }
  done
  for phase in warm run; do
    wrks=()
    for i in 0 1; do
      port=${PORTS[$(((i + r) % 2))]}
      VQ_BENCH_PATH=$PATH_JOIN wrk -t1 -c"$CONNS" -d"$([ $phase = warm ] && echo "$WARM" || echo "$SECS")s" --latency \
        -s scripts/bench/join.lua "http://127.0.0.1:$port" >"$OUT/$phase$i.txt" 2>&1 &
      wrks+=($!)
    done
    wait "${wrks[@]}"
  done
  cleanup
  local line=""
  for what in rate p50 p99; do
    for i in 0 1; do
      case $what in
        rate) line="$line $(awk '/Requests\/sec/ {print $2}' "$OUT/run$i.txt")" ;;
        p50) line="$line $(awk '$1 == "50%" {print $2}' "$OUT/run$i.txt")" ;;
        p99) line="$line $(awk '$1 == "99%" {print $2}' "$OUT/run$i.txt")" ;;
      esac
    done
  done
  echo "$line" >"$OUT/round"
}

echo "== durable joins side by side: ${JARS[0]} (before) and ${JARS[1]} (after), $CONNS connections each, ${SECS}s, $ROUNDS rounds =="
printf '%-5s %-8s %12s %12s %7s %10s %10s %10s %10s\n' round load before/s after/s ratio p50-before p50-after p99-before p99-after
for r in $(seq 1 "$ROUNDS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  one_round "$r"
  read -r jb ja pb pa qb qa <"$OUT/round"
  ratio=$(awk -v a="$ja" -v b="$jb" 'BEGIN { printf "%.3f", a / b }')
  echo "$ratio" >>"$OUT/ratios"
  printf '%-5s %-8s %12s %12s %7s %10s %10s %10s %10s\n' "$r" "$load" "$jb" "$ja" "$ratio" "$pb" "$pa" "$qb" "$qa"
done
sort -n "$OUT/ratios" | awk '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "after / before joins/s: median %.3f, range %.3f-%.3f over %d rounds\n", m, v[1], v[NR], NR }'
