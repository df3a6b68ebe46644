#!/usr/bin/env bash
# Live-socket benchmark (docs/performance.md): starts 1 or 2 server processes on a throwaway
# database, runs dev.virtualqueue.bench.LiveBench against them on loopback, and reports the
# server's peak RSS. Usage:
#   scripts/bench-live.sh [servers=1] [sockets=10000]
# Phase lengths: VQ_BENCH_CONNECT (60), VQ_BENCH_HOLD (600), VQ_BENCH_WARMUP (20, 1 call/s printed apart),
# VQ_BENCH_SLOW (60), VQ_BENCH_BUSY (60) seconds.
# Extra server JVM options (a profiler, say): VQ_BENCH_SERVER_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/throwaway-server.sh
SERVERS=${1:-1}
SOCKETS=${2:-10000}
DB=vq_live_bench_$$
PREFIX=vqlive$$
BASE_PORT=${VQ_BENCH_PORT:-18180}
HEAP=${VQ_BENCH_HEAP:-384m}
mvn -q -B package -DskipTests
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  throwaway_drop "$DB" "$PREFIX"
}
trap cleanup EXIT

PORTS=()
for i in $(seq 0 $((SERVERS - 1))); do
  PORT=$((BASE_PORT + 2 * i))
  if throwaway_taken "$PORT"; then
    echo "port $PORT is taken by another server (an earlier run?); stop it or set VQ_BENCH_PORT" >&2
    exit 1
  fi
  # shellcheck disable=SC2086 # VQ_BENCH_SERVER_OPTS is a list of JVM options
  throwaway_start "$PORT" "$DB" "$PREFIX" "target/bench-live-server-$i.log" \
    -Xms$HEAP -Xmx$HEAP -XX:+UseSerialGC ${VQ_BENCH_SERVER_OPTS:-}
  PIDS+=("$THROWAWAY_PID")
  PORTS+=("$PORT")
  throwaway_await "$PORT" "$THROWAWAY_PID" \
    || { echo "server $i did not start: target/bench-live-server-$i.log" >&2; exit 1; }
done

PEAK=target/bench-live-rss.txt
: > "$PEAK"
( while true; do
    for p in "${PIDS[@]}"; do awk -v p="$p" '/VmRSS/ {print p, $2}' "/proc/$p/status" 2>/dev/null; done >> "$PEAK"
    sleep 5
  done ) &
SAMPLER=$!
PIDS+=("$SAMPLER")

java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
  -Dvq.ports="$(IFS=,; echo "${PORTS[*]}")" -Dvq.sockets="$SOCKETS" \
  -Dvq.connectSeconds="${VQ_BENCH_CONNECT:-60}" -Dvq.holdSeconds="${VQ_BENCH_HOLD:-600}" -Dvq.warmupSeconds="${VQ_BENCH_WARMUP:-20}" \
  -Dvq.slowSeconds="${VQ_BENCH_SLOW:-60}" -Dvq.busySeconds="${VQ_BENCH_BUSY:-60}" \
  dev.virtualqueue.bench.LiveBench || {
  STATUS=$?
  # Keep what a failed run leaves behind: each server's threads and meters.
  for i in "${!PORTS[@]}"; do
    jstack "${PIDS[$i]}" >"target/bench-live-jstack-$i.txt" 2>&1 || true
    curl -s "http://127.0.0.1:$((PORTS[i] + 1))/metrics" >"target/bench-live-metrics-$i.txt" || true
  done
  echo "LiveBench failed ($STATUS): server threads and meters in target/bench-live-{jstack,metrics}-*.txt" >&2
  exit $STATUS
}

echo "SERVER   peak RSS per process (MiB):"
awk '{ if ($2 > max[$1]) max[$1] = $2 } END { for (p in max) printf "         pid %s: %.0f\n", p, max[p] / 1024 }' "$PEAK"
