#!/usr/bin/env bash
# Measures durable joins/s (p99 with 50 connections) and ticket reads/s on loopback.
# Starts its own server (dev profile) on a throwaway database and Redis prefix, runs wrk,
# prints a summary and cleans up. Usage: scripts/bench-joins.sh [seconds per run, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/throwaway-server.sh
SECS=${1:-30}
CONNS=${VQ_BENCH_CONNECTIONS:-50}
PORT=${VQ_BENCH_PORT:-18080}
DB=vq_bench_$$
PREFIX=vqbench$$
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -f target/virtual-queue.jar ] || mvn -q -B package -DskipTests

LOG=$(mktemp)
cleanup() {
  if [ -n "${SERVER:-}" ]; then stop_pid "$SERVER"; fi
  throwaway_drop "$DB" "$PREFIX"
}
trap cleanup EXIT

throwaway_start "$PORT" "$DB" "$PREFIX" "$LOG" -Xms512m -Xmx1g
SERVER=$THROWAWAY_PID
throwaway_await "$PORT" "$SERVER" || { cat "$LOG"; exit 1; }

BASE="http://127.0.0.1:$PORT"
JOIN_PATH=/api/v1/public/demo/queues/main/tickets
# warm up the JIT and pools
VQ_BENCH_PATH=$JOIN_PATH wrk -t2 -c"$CONNS" -d5s -s scripts/bench/join.lua "$BASE" >/dev/null

echo "== durable joins: $CONNS connections, ${SECS}s =="
VQ_BENCH_PATH=$JOIN_PATH wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s scripts/bench/join.lua "$BASE" | tee /tmp/vq-bench-join.txt

TICKET=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{}' "$BASE$JOIN_PATH")
VQ_TICKET_ID=$(echo "$TICKET" | jq -r .id)
VQ_TICKET_TOKEN=$(echo "$TICKET" | jq -r .token)
export VQ_TICKET_ID VQ_TICKET_TOKEN
echo "== ticket reads: $CONNS connections, ${SECS}s =="
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s scripts/bench/read.lua "$BASE" | tee /tmp/vq-bench-read.txt

COMMITTED=$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "SELECT count(*) FROM tickets")
echo
echo "== summary =="
printf 'joins/s:        %s\n' "$(awk '/Requests\/sec/ {print $2}' /tmp/vq-bench-join.txt)"
printf 'join p50/p99:   %s / %s\n' "$(awk '$1=="50%" {print $2}' /tmp/vq-bench-join.txt)" "$(awk '$1=="99%" {print $2}' /tmp/vq-bench-join.txt)"
printf 'reads/s:        %s\n' "$(awk '/Requests\/sec/ {print $2}' /tmp/vq-bench-read.txt)"
printf 'read p50/p99:   %s / %s\n' "$(awk '$1=="50%" {print $2}' /tmp/vq-bench-read.txt)" "$(awk '$1=="99%" {print $2}' /tmp/vq-bench-read.txt)"
printf 'tickets in Postgres after the run: %s\n' "$COMMITTED"
