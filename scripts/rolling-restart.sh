#!/usr/bin/env bash
# Rolling restart behind nginx (docs/containers.md): two server processes on a throwaway database,
# the nginx of docker/nginx/nginx.conf in front of them (its own process, on loopback ports), N
# live ticket sockets through nginx that behave as the page does (dev.virtualqueue.bench.
# RollingRestart), joins and calls going on, then instance 1 is restarted (SIGTERM: it drains,
# says bye, exits; then it starts again), then instance 2. Passes when no ticket was lost or
# doubled, every socket ends at its true position and no request failed that a client would not
# retry; prints reconnect times, staleness and request figures.
#
#   scripts/rolling-restart.sh            # 2,000 sockets, 2 joins/s and 1 call/s throughout
#   scripts/rolling-restart.sh --short    # 200 sockets, shorter pauses (CI, about a minute)
#   scripts/rolling-restart.sh 5000       # any number of sockets
#
# Ports: VQ_BENCH_PORT (30100) for nginx, +10 and +20 for the servers (+11, +21 management).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/throwaway-server.sh

SHORT=0
if [ "${1:-}" = "--short" ]; then SHORT=1; shift; fi
if [ "$SHORT" = 1 ]; then
  SOCKETS=${1:-200} WARM=5 BETWEEN=12 AFTER=12
else
  SOCKETS=${1:-2000} WARM=15 BETWEEN=25 AFTER=25
fi
BASE=${VQ_BENCH_PORT:-30100}
NGINX_PORT=$BASE
PORTS=($((BASE + 10)) $((BASE + 20)))
DB=vq_dock_rolling_$$
PREFIX=vq_dock_rolling$$
LOGS=target/rolling-restart
WORK=$(mktemp -d /tmp/vq-rolling.XXXXXX)
command -v nginx >/dev/null || { echo "nginx is needed (Debian package nginx)" >&2; exit 1; }
throwaway_require_free "${PORTS[@]}"
if curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/"; then
  echo "port $NGINX_PORT is taken; stop what runs there or set VQ_BENCH_PORT" >&2
  exit 1
fi

mvn -q -B package -DskipTests
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-cp.txt)"
rm -rf "$LOGS" && mkdir -p "$LOGS"

SERVER_PIDS=("" "")
NGINX_PID="" CLIENT_PID=""
cleanup() {
  for p in "$CLIENT_PID" "$NGINX_PID" "${SERVER_PIDS[@]}"; do
    if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  cp "$WORK"/*.log "$LOGS/" 2>/dev/null || true
  rm -rf "$WORK"
  throwaway_drop "$DB" "$PREFIX"
}
trap cleanup EXIT

# start_server I: instance I (0 or 1) on its port, its output appended to its log
start_server() {
  local i=$1 port=${PORTS[$1]}
  VQ_HTTP_TRUSTED_PROXIES=127.0.0.1/32 throwaway_start "$port" "$DB" "$PREFIX" "$WORK/server-$((i + 1))-$(date +%s).log" \
    -Xms384m -Xmx512m -XX:+UseSerialGC
  SERVER_PIDS[$i]=$THROWAWAY_PID
  throwaway_await "$port" "$THROWAWAY_PID" || { echo "server $((i + 1)) did not start" >&2; exit 1; }
}

# one after the other: the dev profile seeds the demo tenant into the empty database once
start_server 0
start_server 1

# the same main file as docker/compose.yml's nginx; only the includes differ
ln -s "$PWD/docker/nginx/nginx.conf" "$WORK/nginx.conf"
printf 'upstream virtual_queue {\n  least_conn;\n  zone virtual_queue 256k;\n  server 127.0.0.1:%s max_fails=1 fail_timeout=5s;\n  server 127.0.0.1:%s max_fails=1 fail_timeout=5s;\n}\n' \
  "${PORTS[0]}" "${PORTS[1]}" > "$WORK/upstream.conf"
printf 'listen 127.0.0.1:%s;\n' "$NGINX_PORT" > "$WORK/listen.conf"
NGINX_G="daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log warn;"
nginx -t -q -p "$WORK" -c "$WORK/nginx.conf" -g "$NGINX_G"
nginx -p "$WORK" -c "$WORK/nginx.conf" -g "$NGINX_G" >"$WORK/nginx-access.log" 2>&1 &
NGINX_PID=$!
wait_http "http://127.0.0.1:$NGINX_PORT/api/v1/openapi.json" 20 "$NGINX_PID"

java -Xmx1g -cp "$CP" -Dvq.port="$NGINX_PORT" -Dvq.sockets="$SOCKETS" -Dvq.control="$WORK" \
  dev.virtualqueue.bench.RollingRestart > >(tee "$WORK/client.log") 2>&1 &
CLIENT_PID=$!
for _ in $(seq 1 600); do
  [ -f "$WORK/ready" ] && break
  kill -0 "$CLIENT_PID" 2>/dev/null || { echo "the client ended before its sockets were up" >&2; exit 1; }
  sleep 0.5
done
[ -f "$WORK/ready" ] || { echo "the client did not get its sockets up in 5 minutes" >&2; exit 1; }
sleep "$WARM"

sockets_per_instance() {
  local line="" i n
  for i in 0 1; do
    n=$(curl -s "http://127.0.0.1:$((PORTS[i] + 1))/metrics" | awk '/^vq_ws_connections\{.*kind="ticket"/ {print $2; exit}')
    line="$line instance $((i + 1)): ${n:-down}"
  done
  echo "SPREAD  ${line# }"
}

sockets_per_instance
for i in 0 1; do
  t0=$(date +%s%N)
  kill -TERM "${SERVER_PIDS[$i]}"
  for _ in $(seq 1 600); do kill -0 "${SERVER_PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "${SERVER_PIDS[$i]}" 2>/dev/null; then echo "instance $((i + 1)) did not stop in 60 s" >&2; exit 1; fi
  wait "${SERVER_PIDS[$i]}" 2>/dev/null || true
  t1=$(date +%s%N)
  start_server "$i"
  t2=$(date +%s%N)
  awk -v i=$((i + 1)) -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "RESTART instance %d: SIGTERM to exit %.1f s (drain, bye, close), start to ready %.1f s\n", i, (b - a) / 1e9, (c - b) / 1e9 }'
  sleep "$BETWEEN"
  sockets_per_instance
done
sleep "$AFTER"
touch "$WORK/done"
STATUS=0
wait "$CLIENT_PID" || STATUS=$?
CLIENT_PID=""
sockets_per_instance
grep -c ' 50[234] ' "$WORK/nginx-access.log" | xargs printf 'NGINX   %s requests answered 502/503/504 to the client\n' || true
exit "$STATUS"
