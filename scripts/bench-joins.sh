#!/usr/bin/env bash
# Measures durable joins/s (p99 with 50 connections) and ticket reads/s on loopback.
# Starts its own server (dev profile) on a throwaway database and Redis prefix, runs wrk,
# prints a summary and cleans up. Usage: scripts/bench-joins.sh [seconds per run, default 30]
# VQ_BENCH_WEBHOOK=1 also registers a webhook for every event of the demo tenant to a local
# receiver (answers 204), so each join writes an outbox row that is fanned out and delivered
# while the joins run; the summary then says how many deliveries arrived.
# VQ_BENCH_JAR=<jar> measures another build (a before/after pair, alternating on one machine).
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
  if [ -n "${RECEIVER:-}" ]; then stop_pid "$RECEIVER"; fi
  throwaway_drop "$DB" "$PREFIX"
}
trap cleanup EXIT

if [ "${VQ_BENCH_WEBHOOK:-0}" = 1 ]; then
  export VQ_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true
  python3 -c 'import http.server as h, sys
class R(h.BaseHTTPRequestHandler):
  protocol_version = "HTTP/1.1"
  def do_POST(s):
    s.rfile.read(int(s.headers["content-length"])); s.send_response(204); s.end_headers()
  def log_message(s, *a): pass
h.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), R).serve_forever()' "$((PORT + 2))" &
  RECEIVER=$!
fi

throwaway_start "$PORT" "$DB" "$PREFIX" "$LOG" -Xms512m -Xmx1g
SERVER=$THROWAWAY_PID
throwaway_await "$PORT" "$SERVER" || { cat "$LOG"; exit 1; }

BASE="http://127.0.0.1:$PORT"
if [ -n "${RECEIVER:-}" ]; then
  TOKEN=$(curl -fs "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"tenant":"demo","email":"owner@demo.test","password":"demo-password"}' | jq -r .accessToken)
  curl -fs -o /dev/null "$BASE/api/v1/webhooks" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$((PORT + 2))/hook\",\"events\":[\"*\"]}"
  echo "webhook registered: every event of the demo tenant goes to 127.0.0.1:$((PORT + 2))"
fi
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
if [ -n "${RECEIVER:-}" ]; then
  sleep 5
  printf 'webhook deliveries succeeded / in the outbox or pending 5 s after: %s / %s\n' \
    "$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'")" \
    "$(psql -h 127.0.0.1 -U postgres -d "$DB" -tAc "SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')")"
fi
