#!/usr/bin/env bash
# Rate-accuracy benchmark of the waiting-room admitter (issue 14): starts a server (dev profile) on
# a throwaway database and Redis prefix, creates a waiting room admitting VQ_BENCH_RATE people a
# minute (default 600), keeps its line full with public API joins (no sockets: people who never
# opened the live page count as present), and after MINUTES full minutes counts the admissions of
# each minute from admission_sessions.admitted_at (minutes counted from the first admission).
# Passes (exit 0) when every full minute is within ±2 % of the setting (VQ_BENCH_TOLERANCE, 0.02).
# Usage: scripts/bench-admission.sh [minutes, default 10]
# Environment: VQ_BENCH_RATE (600), VQ_BENCH_TOLERANCE (0.02), VQ_BENCH_PORT (18680; management +1).
set -euo pipefail
cd "$(dirname "$0")/.."
{ # the whole body in one block: bash parses it before running, so editing this file mid-run is safe
. scripts/lib/apt.sh
. scripts/lib/throwaway-server.sh
command -v jq >/dev/null || apt_install jq >/dev/null
MINUTES=${1:-10}
RATE=${VQ_BENCH_RATE:-600}
TOLERANCE=${VQ_BENCH_TOLERANCE:-0.02}
PORT=${VQ_BENCH_PORT:-18680}
DB=vq_admit_bench_$$
PREFIX=vqadmit$$
BASE=http://127.0.0.1:$PORT
# the line is topped up to FULL whenever it is below LOW (checked every second): 20 and 10 s of admissions
FULL=$(( RATE / 3 > 20 ? RATE / 3 : 20 ))
LOW=$(( RATE / 6 > 10 ? RATE / 6 : 10 ))
if [ ! -f target/virtual-queue.jar ] || [ -n "$(find src pom.xml -newer target/virtual-queue.jar -print -quit)" ]; then
  mvn -q -B package -DskipTests
fi
throwaway_require_free "$PORT"

LOG=target/bench-admission-server.log
mkdir -p target
SERVER=; FILLER=
cleanup() {
  if [ -n "$FILLER" ]; then kill "$FILLER" 2>/dev/null || true; wait "$FILLER" 2>/dev/null || true; fi
  if [ -n "$SERVER" ]; then stop_pid "$SERVER"; fi
  throwaway_drop "$DB" "$PREFIX"
}
trap cleanup EXIT

throwaway_start "$PORT" "$DB" "$PREFIX" "$LOG" -Xms512m -Xmx1g
SERVER=$THROWAWAY_PID
throwaway_await "$PORT" "$SERVER" || { tail -50 "$LOG"; exit 1; }
sql() { throwaway_sql "$DB" "$@"; }

TOKEN=$(curl -fs "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"tenant":"demo","email":"owner@demo.test","password":"demo-password"}' | jq -r .accessToken)
SLUG=bench-$(date +%s)
QUEUE=$(curl -fs "$BASE/api/v1/queues" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"slug\":\"$SLUG\",\"name\":\"Admission benchmark\",\"mode\":\"waiting_room\",\"waitingRoom\":{\"newUsersPerMinute\":$RATE}}" \
  | jq -r .id)
JOIN=$BASE/api/v1/public/demo/queues/$SLUG/tickets
echo "room $SLUG ($QUEUE): $RATE admissions a minute; line kept at $LOW..$FULL waiting; $MINUTES full minutes"

join() { # join N: N public joins, 8 at a time; prints how many were refused
  seq 1 "$1" | xargs -P 8 -I@ curl -s -o /dev/null -w '%{http_code}\n' -X POST \
    -H 'Content-Type: application/json' -d '{}' "$JOIN" | grep -vc '^201$' || true
}
waiting() { sql -c "SELECT count(*) FROM tickets WHERE queue_id = '$QUEUE' AND status = 'waiting'"; }

# the filler: keeps the line full, and notes the fewest people it ever found waiting
: >target/bench-admission-waiting.txt
( while true; do
    W=$(waiting)
    echo "$(date +%s.%N) $W" >>target/bench-admission-waiting.txt
    if [ "$W" -lt "$LOW" ]; then
      REFUSED=$(join $((FULL - W)))
      [ "$REFUSED" = 0 ] || echo "filler: $REFUSED joins refused" >&2
    fi
    sleep 1
  done ) &
FILLER=$!

# minutes count from the first admission
for _ in $(seq 1 60); do
  T0=$(sql -c "SELECT extract(epoch FROM min(admitted_at)) FROM admission_sessions WHERE queue_id = '$QUEUE'")
  [ -n "$T0" ] && break
  sleep 1
done
[ -n "$T0" ] || { echo "nobody was admitted within 60 s" >&2; tail -50 "$LOG"; exit 1; }
END=$(python3 -c "print($T0 + $MINUTES * 60 + 2)")
while python3 -c "import sys, time; sys.exit(0 if time.time() < $END else 1)"; do sleep 1; done
kill "$FILLER" 2>/dev/null || true; wait "$FILLER" 2>/dev/null || true; FILLER=

echo
echo "== admitted per minute (from admission_sessions.admitted_at; minute 0 starts at the first admission) =="
printf '%-8s %10s %10s %8s\n' minute admitted setting ratio
FAILED=0
while IFS='|' read -r M N; do
  RATIO=$(python3 -c "print(f'{$N / $RATE:.4f}')")
  OK=$(python3 -c "print('ok' if abs($N / $RATE - 1) <= $TOLERANCE else 'OUTSIDE')")
  [ "$OK" = ok ] || FAILED=1
  printf '%-8s %10s %10s %8s  %s\n' "$M" "$N" "$RATE" "$RATIO" "$OK"
done < <(sql -c "SELECT m, count(s.ticket_id) FROM generate_series(0, $MINUTES - 1) AS m
  LEFT JOIN admission_sessions s ON s.queue_id = '$QUEUE'
   AND s.admitted_at >= to_timestamp($T0) + make_interval(mins => m)
   AND s.admitted_at < to_timestamp($T0) + make_interval(mins => m + 1)
  GROUP BY m ORDER BY m")
TOTAL=$(sql -c "SELECT count(*) FROM admission_sessions WHERE queue_id = '$QUEUE'
  AND admitted_at < to_timestamp($T0) + make_interval(mins => $MINUTES)")
# the fewest waiting at any check after the first admission (before it the filler was still filling)
FEWEST=$(awk -v t0="$T0" '$1 > t0 + 5 {print $2}' target/bench-admission-waiting.txt | sort -n | head -1)
echo
echo "== summary =="
printf 'setting:                     %s/min, tolerance ±%s %%\n' "$RATE" "$(python3 -c "print(round($TOLERANCE * 100, 2))")"
printf 'admitted in %s full minutes:  %s (expected %s, ratio %s)\n' "$MINUTES" "$TOTAL" "$((RATE * MINUTES))" \
  "$(python3 -c "print(f'{$TOTAL / ($RATE * $MINUTES):.4f}')")"
printf 'fewest waiting the filler saw (each second, from 5 s after the first admission): %s\n' "$FEWEST"
PCT=$(python3 -c "print(round($TOLERANCE * 100, 2))")
if [ "$FAILED" = 0 ]; then echo "PASS: every full minute within ±$PCT %"; else echo "FAIL: a minute outside ±$PCT %"; fi
exit $FAILED
}
