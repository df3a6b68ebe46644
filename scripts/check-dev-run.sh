#!/usr/bin/env bash
# Proves the README's run command on a machine with neither Postgres nor Redis running: starts
# scripts/run-dev.sh with VQ_PG_URL and VQ_REDIS_URL on loopback ports where nothing answers
# (so the dev profile starts an embedded Postgres and a Redis there), waits for /health/ready,
# takes a ticket in the seeded demo queue with curl (201), stops the server and checks that the
# stores it started are gone. Its data folder (VQ_DEV_HOME) is a throwaway one unless given.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/dev-run.sh

if [ ! -f target/virtual-queue.jar ] || [ ! -f target/dev-stores.classpath ] \
    || [ -n "$(find src pom.xml -newer target/virtual-queue.jar -print -quit)" ]; then
  mvn -q -B package -DskipTests -DskipITs
fi

own_home=""
if [ -z "${VQ_DEV_HOME:-}" ]; then
  VQ_DEV_HOME=$(mktemp -d); own_home=$VQ_DEV_HOME
fi
pg_port=$(free_port); redis_port=$(free_port); http_port=$(free_port); mgmt_port=$(free_port)
log=$(mktemp)
export VQ_DEV_HOME VQ_PROFILE=dev VQ_HTTP_HOST=127.0.0.1 VQ_MANAGEMENT_HOST=127.0.0.1 \
  VQ_PG_URL="postgresql://localhost:$pg_port/virtualqueue" VQ_REDIS_URL="redis://localhost:$redis_port" \
  VQ_HTTP_PORT=$http_port VQ_MANAGEMENT_PORT=$mgmt_port

started=$(date +%s%N)
scripts/run-dev.sh >"$log" 2>&1 &
pid=$!
cleanup() {
  stop_pid "$pid"
  [ -z "$own_home" ] || rm -rf "$own_home"
  rm -f "$log"
}
trap cleanup EXIT
fail() { echo "check-dev-run: $*" >&2; cat "$log" >&2; exit 1; }

wait_http "http://127.0.0.1:$mgmt_port/health/ready" 240 "$pid" || fail "the dev server did not get ready"
ready_ms=$((($(date +%s%N) - started) / 1000000))
grep -q "started an embedded Postgres on 127.0.0.1:$pg_port" "$log" || fail "no embedded Postgres was started"
grep -q "started .* on 127.0.0.1:$redis_port;" "$log" || fail "no Redis was started"

key=$(cat /proc/sys/kernel/random/uuid)
body=$(mktemp)
status=$(curl -s -o "$body" -w '%{http_code}' -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  -d '{"name":"Ada"}' "http://127.0.0.1:$http_port/api/v1/public/demo/queues/main/tickets")
ticket=$(cat "$body"); rm -f "$body"
[ "$status" = 201 ] || fail "join answered $status: $ticket"
case "$ticket" in *'"position":'*) ;; *) fail "join answered no position: $ticket" ;; esac

stop_pid "$pid"
for port in "$pg_port" "$redis_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port still answers after the server stopped"; fi
done
echo "check-dev-run: ready in ${ready_ms} ms with an embedded Postgres (127.0.0.1:$pg_port, data in $VQ_DEV_HOME/postgres)" \
  "and Redis (127.0.0.1:$redis_port); join 201: $ticket; both stopped with the server"
