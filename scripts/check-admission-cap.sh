#!/usr/bin/env bash
# Cap checker of the waiting room (issue 14): two server processes on one database and one Redis
# prefix, a room with a small cap (VQ_CAP, 20) and a high rate (VQ_CAP_RATE, 6000/min), and
# dev.virtualqueue.bench.CapChurn sending a steady crowd (VQ_CAP_PEOPLE, 100) through both servers:
# each person joins, holds the live ticket socket, and once admitted leaves after 0.1-1.5 s, so the
# slots turn over all the time. Halfway through, the server holding the room's admitter lease is
# killed with SIGKILL and the other takes over. Afterwards an exact sweep over every session's
# [admitted_at, coalesce(ended_at, expires_at)) (dev.virtualqueue.bench.CapSweep) finds the most
# sessions active at any instant. Passes (exit 0) when that peak is at most the cap and the
# survivor admitted after the kill.
# Usage: scripts/check-admission-cap.sh [seconds, default 60]
# Environment: VQ_CAP (20), VQ_CAP_RATE (6000), VQ_CAP_PEOPLE (100),
#   VQ_BENCH_PORT (18780: servers on it and on it + 2, management ports + 1).
set -euo pipefail
cd "$(dirname "$0")/.."
{ # the whole body in one block: bash parses it before running, so editing this file mid-run is safe
. scripts/lib/apt.sh
. scripts/lib/throwaway-server.sh
command -v jq >/dev/null || apt_install jq >/dev/null
DURATION=${1:-60}
CAP=${VQ_CAP:-20}
RATE=${VQ_CAP_RATE:-6000}
PEOPLE=${VQ_CAP_PEOPLE:-100}
PORT=${VQ_BENCH_PORT:-18780}
PORTS=("$PORT" "$((PORT + 2))")
DB=vq_cap_check_$$
PREFIX=vqcap$$
OUT=target/cap-check
mkdir -p "$OUT"
throwaway_require_free "${PORTS[@]}"
mvn -q -B package -DskipTests
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-cp.txt)"

PIDS=(); CHURN=
cleanup() {
  [ -z "$CHURN" ] || kill "$CHURN" 2>/dev/null || true
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  throwaway_drop "$DB" "$PREFIX"
}
trap cleanup EXIT
sql() { throwaway_sql "$DB" "$@"; }

# one after the other: the first creates the database and its demo tenant, the second finds them
for i in 0 1; do
  throwaway_start "${PORTS[$i]}" "$DB" "$PREFIX" "$OUT/server-$i.log" -Xms256m -Xmx512m -XX:+UseSerialGC
  PIDS+=("$THROWAWAY_PID")
  throwaway_await "${PORTS[$i]}" "$THROWAWAY_PID" || { echo "server $i did not start: $OUT/server-$i.log" >&2; exit 1; }
done
BASE=http://127.0.0.1:${PORTS[0]}
TOKEN=$(curl -fs "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"tenant":"demo","email":"owner@demo.test","password":"demo-password"}' | jq -r .accessToken)
SLUG=cap-$(date +%s)
QUEUE=$(curl -fs "$BASE/api/v1/queues" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"slug\":\"$SLUG\",\"name\":\"Cap check\",\"mode\":\"waiting_room\",\"waitingRoom\":{\"newUsersPerMinute\":$RATE,\"maxActiveUsers\":$CAP,\"sessionSeconds\":60}}" \
  | jq -r .id)
echo "servers: pid ${PIDS[0]} on ${PORTS[0]}, pid ${PIDS[1]} on ${PORTS[1]} (database $DB, Redis prefix $PREFIX)"
echo "room $SLUG ($QUEUE): cap $CAP, $RATE/min; $PEOPLE people at once through both servers for $DURATION s"

java -Xmx512m -cp "$CP" -Dvq.ports="${PORTS[0]},${PORTS[1]}" -Dvq.queueSlug="$SLUG" -Dvq.people="$PEOPLE" \
  -Dvq.seconds="$DURATION" dev.virtualqueue.bench.CapChurn > >(tee "$OUT/churn.log") 2>&1 &
CHURN=$!

# halfway: SIGKILL to whichever process holds the room's lease (its owner is "pid@host/...")
sleep $((DURATION / 2))
OWNER=$(sql -c "SELECT owner FROM waiting_room_state WHERE queue_id = '$QUEUE'")
VICTIM=${OWNER%%@*}
case " ${PIDS[*]} " in
  *" $VICTIM "*) ;;
  *) echo "the lease owner '$OWNER' is none of the servers started here" >&2; exit 1 ;;
esac
FENCE_BEFORE=$(sql -c "SELECT fence FROM waiting_room_state WHERE queue_id = '$QUEUE'")
KILLED_AT=$(date +%s.%N)
kill -9 "$VICTIM"
{ wait "$VICTIM"; } 2>/dev/null || true # reaped here, without the shell's "Killed" line
echo "KILL     -9 pid $VICTIM (the admitter, fence $FENCE_BEFORE) at +$((DURATION / 2)) s"
wait "$CHURN"
CHURN=

echo
echo "== the admitter =="
sql -c "SELECT 'lease now: ' || owner || ', fence ' || fence || ', ' || lease_changes || ' lease changes'
  FROM waiting_room_state WHERE queue_id = '$QUEUE'"
sql -F ' ' -c "SELECT 'fence ' || fence, count(*) || ' admitted', to_char(min(admitted_at), 'HH24:MI:SS.MS') || ' to '
  || to_char(max(admitted_at), 'HH24:MI:SS.MS') FROM admission_sessions WHERE queue_id = '$QUEUE' GROUP BY fence ORDER BY fence"
GAP=$(sql -c "SELECT round(extract(epoch FROM min(admitted_at) FILTER (WHERE admitted_at > to_timestamp($KILLED_AT))
  - max(admitted_at) FILTER (WHERE admitted_at <= to_timestamp($KILLED_AT))), 2) FROM admission_sessions WHERE queue_id = '$QUEUE'")
AFTER=$(sql -c "SELECT count(*) FROM admission_sessions WHERE queue_id = '$QUEUE' AND fence > $FENCE_BEFORE")
echo "hand-over: no admission for ${GAP:-?} s around the kill; $AFTER admitted after it under a newer fence"
echo
echo "== the sessions =="
sql -F ' ' -c "SELECT coalesce(end_reason, 'open'), count(*) FROM admission_sessions WHERE queue_id = '$QUEUE'
  GROUP BY 1 ORDER BY 1"
set +e
sql -c "COPY (SELECT (extract(epoch FROM admitted_at) * 1000000)::bigint,
  (extract(epoch FROM coalesce(ended_at, expires_at)) * 1000000)::bigint
  FROM admission_sessions WHERE queue_id = '$QUEUE') TO STDOUT WITH CSV" \
  | java -cp "$CP" dev.virtualqueue.bench.CapSweep "$CAP"
SWEPT=$?
set -e
if [ "$SWEPT" = 0 ] && [ "$AFTER" -gt 0 ]; then
  echo "PASS: never more than $CAP sessions active at once, across the kill of the admitter"
  exit 0
fi
[ "$AFTER" -gt 0 ] || echo "FAIL: nobody was admitted after the admitter was killed"
[ "$SWEPT" = 0 ] || echo "FAIL: more than $CAP sessions were active at once"
exit 1
}
