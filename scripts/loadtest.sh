#!/usr/bin/env bash
# Load-test driver: runs Gatling simulations (loadtest/) against a Virtual Queue server, with
# Prometheus scraping it under the project's monitoring/ config, and fails when a Gatling
# assertion fails (thresholds read from monitoring/rules by alert name) or when a critical or
# warning alert fired during the run. Prints a summary table and where the Gatling reports are.
#
# Usage: scripts/loadtest.sh [--smoke] [--users N] [--ramp S] [--hold S] SIMULATION...
#   SIMULATION: steady | spike | staff | soak   (several run one after another, same server)
#   --smoke     200 users, short ramp and hold (CI); errors, socket checks and alerts fail the run,
#               latency percentiles are reported against their thresholds but not asserted
#               (200 users on a cold JVM measure noise); defaults otherwise are the full runs
# Environment:
#   VQ_LOADTEST_URL / VQ_LOADTEST_MANAGEMENT_URL  use a running server (API / management base URL);
#     without them the driver starts its own on a throwaway database and Redis prefix, with rate
#     limits off (all users come from 127.0.0.1; docs/rate-limits.md, "Load tests"); a running
#     server must be started with VQ_RATE_LIMIT_ENABLED=false (or limits raised) for the same reason
#   VQ_LOADTEST_PORT (18380; management +1), VQ_LOADTEST_PROMETHEUS_PORT (19390)
#   VQ_LOADTEST_TENANT/EMAIL/PASSWORD (demo / owner@demo.test / demo-password)
#   VQ_LOADTEST_OUT  where logs and the summary go (default target/loadtest/<time>)
#   VQ_LOADTEST_MONITORING  the monitoring folder (default monitoring/: prometheus.yml, rules/)
#   VQ_LOADTEST_ADMIT_PER_MINUTE  the spike's admission rate (default 6000; 600 with --smoke)
#   VQ_LOADTEST_IGNORE_ALERTS  alerts about the parts of the monitoring stack a load run does not
#     start (comma-separated; default PrometheusAlertmanagerMissing: no Alertmanager here)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
{ # the whole body in one block: bash parses it before running, so editing this file mid-run is safe
. scripts/lib/apt.sh
. scripts/lib/throwaway-server.sh

SMOKE=0; USERS=; RAMP=; HOLD=; SIMS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --users) USERS=$2; shift ;;
    --ramp) RAMP=$2; shift ;;
    --hold) HOLD=$2; shift ;;
    steady|spike|staff|soak) SIMS+=("$1") ;;
    *) sed -n '2,21p' "$0" >&2; exit 2 ;;
  esac
  shift
done
[ ${#SIMS[@]} -gt 0 ] || { sed -n '2,21p' "$0" >&2; exit 2; }

PORT=${VQ_LOADTEST_PORT:-18380}
MON=$(cd "${VQ_LOADTEST_MONITORING:-monitoring}" 2>/dev/null && pwd || echo "$ROOT/monitoring")
PPORT=${VQ_LOADTEST_PROMETHEUS_PORT:-19390}
OUT=${VQ_LOADTEST_OUT:-$ROOT/target/loadtest/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DB=vq_load_$$
PREFIX=vqload$$
SERVER=; PROM=; SAMPLER=

cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "$PROM" ] && kill "$PROM" 2>/dev/null && wait "$PROM" 2>/dev/null || true
  if [ -n "$SERVER" ]; then
    stop_pid "$SERVER"
    throwaway_drop "$DB" "$PREFIX"
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- the server
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ -n "${VQ_LOADTEST_URL:-}" ]; then
  BASE=${VQ_LOADTEST_URL%/}
  MGMT=${VQ_LOADTEST_MANAGEMENT_URL:?set VQ_LOADTEST_MANAGEMENT_URL with VQ_LOADTEST_URL}
  MGMT=${MGMT%/}
  curl -fs "$MGMT/health/ready" >/dev/null || { echo "server at $MGMT is not ready" >&2; exit 1; }
  echo "server: using $BASE (management $MGMT)"
else
  if [ ! -f target/virtual-queue.jar ] || [ -n "$(find src pom.xml -newer target/virtual-queue.jar -print -quit)" ]; then
    mvn -q -B package -DskipTests
  fi
  BASE=http://127.0.0.1:$PORT
  MGMT=http://127.0.0.1:$((PORT + 1))
  if throwaway_taken "$PORT"; then
    echo "port $PORT is taken by another server (an earlier run?); stop it or set VQ_LOADTEST_PORT" >&2
    exit 1
  fi
  # shellcheck disable=SC2086 # VQ_LOADTEST_SERVER_OPTS is a list of JVM options
  VQ_HTTP_HOST=127.0.0.1 VQ_MANAGEMENT_HOST=127.0.0.1 \
    throwaway_start "$PORT" "$DB" "$PREFIX" "$OUT/server.log" ${VQ_LOADTEST_SERVER_OPTS:--Xms1g -Xmx3g}
  SERVER=$THROWAWAY_PID
  throwaway_await "$PORT" "$SERVER" || { echo "server did not become ready" >&2; tail -50 "$OUT/server.log"; exit 1; }
  echo "server: started on $BASE (database $DB, Redis prefix $PREFIX, log $OUT/server.log)"
  # A fresh JVM runs interpreted for its first thousands of requests; a deployed server is warm.
  # Warm up on the demo queue (not measured): joins, ticket reads, a few logins.
  WARM=$(date +%s)
  WARM_JOINS=$([ "$SMOKE" = 1 ] && echo 300 || echo 600)
  seq 1 "$WARM_JOINS" | xargs -P 8 -I@ curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' \
    "$BASE/api/v1/public/demo/queues/main/tickets" || true
  seq 1 4 | xargs -P 2 -I@ curl -fs -o /dev/null -H 'Content-Type: application/json' \
    -d '{"tenant":"demo","email":"owner@demo.test","password":"demo-password"}' "$BASE/api/v1/auth/login" || true
  echo "server: warmed up in $(( $(date +%s) - WARM )) s ($WARM_JOINS joins, 4 logins on demo/main)"
fi
SERVER_PID=${SERVER:-$(pgrep -f 'virtual-queue.jar' | head -1 || true)}

# ---------------------------------------------------------------- Prometheus
PROM_URL=
if [ -f "$MON/prometheus.yml" ]; then
  command -v prometheus >/dev/null || apt_install prometheus >/dev/null
  python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml >/dev/null
  MGMT_ADDR=${MGMT#http://}; MGMT_ADDR=${MGMT_ADDR%%/*}
  python3 scripts/loadtest/prometheus-config.py "$MON" "$MGMT_ADDR" "127.0.0.1:$PPORT" "$OUT/prometheus.yml"
  prometheus --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$OUT/prometheus-data" \
    --web.listen-address="127.0.0.1:$PPORT" --log.level=warn >"$OUT/prometheus.log" 2>&1 &
  PROM=$!
  PROM_URL=http://127.0.0.1:$PPORT
  for _ in $(seq 1 60); do
    [ "$(curl -fs "$PROM_URL/api/v1/query" --data-urlencode 'query=up{job="virtual-queue"}' \
      | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)' 2>/dev/null)" = 1 ] && break
    kill -0 "$PROM" 2>/dev/null || { cat "$OUT/prometheus.log"; exit 1; }
    sleep 1
  done
  echo "prometheus: $PROM_URL scraping $MGMT_ADDR with $MON/rules (log $OUT/prometheus.log)"
else
  echo "prometheus: monitoring/prometheus.yml missing (issue 5) - alerts NOT checked"
fi

# ---------------------------------------------------------------- the runs
class_of() {
  case "$1" in
    steady) echo SteadyOfficeDaySimulation ;; spike) echo TicketDropSpikeSimulation ;;
    staff) echo StaffApiMixSimulation ;; soak) echo SoakSimulation ;;
  esac
}

FAILED=0
: >"$OUT/summary.tsv"
for SIM in "${SIMS[@]}"; do
  CLASS=$(class_of "$SIM")
  PROPS=(-Dvq.baseUrl="$BASE" -Dvq.rulesDir="$MON/rules"
    -Dvq.tenant="${VQ_LOADTEST_TENANT:-demo}" -Dvq.email="${VQ_LOADTEST_EMAIL:-owner@demo.test}"
    -Dvq.password="${VQ_LOADTEST_PASSWORD:-demo-password}")
  if [ "$SMOKE" = 1 ]; then
    # 200 users, under a minute each; staff sign-ins (bcrypt, ~150 ms CPU each) spread over 20 s
    [ "$SIM" = staff ] && SR=20 SH=10 || SR=10 SH=15
    PROPS+=(-Dvq.users="${USERS:-200}" -Dvq.rampSeconds="${RAMP:-$SR}" -Dvq.holdSeconds="${HOLD:-$SH}"
      -Dvq.serviceSeconds=5 -Dvq.boards=5 -Dvq.loginShare=0.2 -Dvq.assertLatency=false)
  else
    [ -n "$USERS" ] && PROPS+=(-Dvq.users="$USERS")
    [ -n "$RAMP" ] && PROPS+=(-Dvq.rampSeconds="$RAMP")
    [ -n "$HOLD" ] && PROPS+=(-Dvq.holdSeconds="$HOLD")
  fi
  if [ "$SIM" = spike ]; then
    # the smoke's 200 joins in 10 s against 10 admissions/s keep people in line for ~15 s, long
    # enough to judge the rate; the full drop admits 6,000/min (the simulation's default)
    ADMIT=${VQ_LOADTEST_ADMIT_PER_MINUTE:-$([ "$SMOKE" = 1 ] && echo 600 || true)}
    [ -z "$ADMIT" ] || PROPS+=(-Dvq.admitPerMinute="$ADMIT")
  fi
  [ "$SIM" = soak ] && PROFILE=(-Psoak) || PROFILE=()
  echo "== $SIM ($CLASS) $(printf '%s ' "${PROPS[@]}" | sed 's/-Dvq.password=[^ ]*/-Dvq.password=***/')"
  START=$(date +%s)
  bash scripts/loadtest/sample.sh "$MGMT" "${SERVER_PID:-0}" "$OUT/samples-$SIM.tsv" &
  SAMPLER=$!
  set +e
  mvn -B -f loadtest/pom.xml "${PROFILE[@]}" gatling:test -Dgatling.simulationClass="dev.virtualqueue.loadtest.$CLASS" \
    "${PROPS[@]}" >"$OUT/gatling-$SIM.log" 2>&1
  RC=$?
  set -e
  END=$(date +%s)
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=
  # the final report block and the assertion verdicts
  awk '/^---- Global Information/ {p=1} p && /^\[INFO\]/ {p=0} p' "$OUT/gatling-$SIM.log" | grep -v '^$' || true
  grep -E '^\[(slo|room)\]|^\[ERROR\] .*(Exception|failed)' "$OUT/gatling-$SIM.log" | awk '!seen[$0]++' || true
  VQ_LOADTEST_IGNORE_ALERTS=${VQ_LOADTEST_IGNORE_ALERTS-PrometheusAlertmanagerMissing} \
    python3 scripts/loadtest/summary.py "$SIM" "$RC" "$START" "$END" "$OUT" "${PROM_URL:-}" \
    >>"$OUT/summary.tsv" || RC=1
  [ "$(awk -F'\t' 'END {print $2}' "$OUT/summary.tsv")" = PASS ] || FAILED=1
done

echo
echo "== summary (thresholds: monitoring/rules by alert name; alerts: Prometheus ALERTS during each run)"
python3 scripts/loadtest/summary.py --table "$OUT/summary.tsv"
echo "logs, samples and summary: $OUT"
exit $FAILED
}
