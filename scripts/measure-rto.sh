#!/usr/bin/env bash
# Measures the recovery time of "the Postgres host is lost": from the last backup to a server that
# serves again (/health/ready 200), on this machine, with a realistic database.
#   1. a source database: the server (dev profile) creates and seeds it, then TICKETS tickets of the
#      demo queue are written in SQL, with their events (most served, WAITING still in line);
#   2. scripts/backup.sh of it;
#   3. the clock starts: scripts/restore.sh into a new database (checksum, pg_restore, db validate,
#      row counts, audit chains, sampled tickets) with --switch-env/--restart-command/--ready-url: the
#      server's env file is pointed at the new database, a fresh server starts on it with an empty
#      Redis key prefix (the lines are rebuilt from Postgres) and the clock stops when it is ready.
# Everything it made (databases, Redis keys under its prefix, the server it started) is removed.
#
#   scripts/measure-rto.sh [--tickets N] [--waiting N] [--port P]   (100000, 2000, 30220 and P+1)
# Needs target/virtual-queue.jar, Postgres at postgresql://postgres@127.0.0.1:5432 and Redis at
# 127.0.0.1:6379 (VQ_RTO_PG, VQ_RTO_REDIS).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TICKETS=100000 WAITING=2000 PORT=30220
while [ $# -gt 0 ]; do
  case "$1" in
    --tickets) TICKETS="$2"; shift ;;
    --waiting) WAITING="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
PG="${VQ_RTO_PG:-postgresql://postgres@127.0.0.1:5432}" REDIS="${VQ_RTO_REDIS:-redis://127.0.0.1:6379}"
JAR="$ROOT/target/virtual-queue.jar"
[ -f "$JAR" ] || { echo "no $JAR: mvn package first" >&2; exit 1; }
ID="$$" SRC="vq_bak_rto_src_$$" DST="vq_bak_rto_restored_$$" PREFIX="vq_bak_rto_$$"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -f "$WORK/server.pid" ]; then kill "$(cat "$WORK/server.pid")" 2>/dev/null || true; sleep 1; fi
  for db in "$SRC" "$DST"; do psql "$PG/postgres" -XAtqc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  redis-cli -u "$REDIS" --scan --pattern "$PREFIX*" | xargs -r redis-cli -u "$REDIS" del >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
secs() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
ready() { curl -fs -o /dev/null "http://127.0.0.1:$((PORT + 1))/health/ready"; }

# 1. the source database, seeded by the server itself, then filled
cd "$WORK"
export VQ_CONFIG="$ROOT/conf/virtual-queue.json"
VQ_PROFILE=dev VQ_HTTP_PORT=$PORT VQ_MANAGEMENT_PORT=$((PORT + 1)) VQ_PG_URL="$PG/$SRC" VQ_REDIS_URL="$REDIS" \
  VQ_REDIS_KEY_PREFIX="${PREFIX}_src" VQ_LOG_LEVEL=WARN java -jar "$JAR" > "$WORK/seed.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do ready && break; sleep 0.2; done
ready || { cat "$WORK/seed.log" >&2; exit 1; }
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
started=$(date +%s.%N)
psql "$PG/$SRC" -Xq -v ON_ERROR_STOP=1 <<SQL
WITH q AS (SELECT id, tenant_id FROM queues WHERE slug = 'main'),
t AS (
  INSERT INTO tickets (id, tenant_id, queue_id, number, code, class_rank, class_name, status, token_hash,
                       created_at, queued_at, called_at, started_at, finished_at, version)
  SELECT gen_random_uuid(), q.tenant_id, q.id, g, 'A' || g, 0, 'standard',
         CASE WHEN g > $TICKETS - $WAITING THEN 'waiting' ELSE 'served' END, sha256(g::text::bytea),
         now() - interval '1 second' * ($TICKETS - g) * 3, now() - interval '1 second' * ($TICKETS - g) * 3,
         CASE WHEN g > $TICKETS - $WAITING THEN NULL ELSE now() - interval '1 second' * ($TICKETS - g) * 2 END,
         CASE WHEN g > $TICKETS - $WAITING THEN NULL ELSE now() - interval '1 second' * ($TICKETS - g) * 2 END,
         CASE WHEN g > $TICKETS - $WAITING THEN NULL ELSE now() - interval '1 second' * ($TICKETS - g) END,
         CASE WHEN g > $TICKETS - $WAITING THEN 0 ELSE 3 END
  FROM q, generate_series(1, $TICKETS) g
  RETURNING id, tenant_id, queue_id, status, created_at)
INSERT INTO ticket_events (tenant_id, ticket_id, queue_id, action, from_status, to_status, actor_kind, at)
SELECT t.tenant_id, t.id, t.queue_id, e.action, e.from_status, e.to_status, e.actor, t.created_at
FROM t CROSS JOIN LATERAL (VALUES (1, 'join', NULL, 'waiting', 'public'), (2, 'call', 'waiting', 'called', 'staff'),
  (3, 'start', 'called', 'serving', 'staff'), (4, 'complete', 'serving', 'served', 'staff')) e(n, action, from_status, to_status, actor)
WHERE e.n = 1 OR t.status = 'served'
ORDER BY t.created_at, e.n;
ANALYZE;
SQL
echo "source: $(psql "$PG/$SRC" -XAtqc "SELECT count(*) FROM tickets") tickets, $(psql "$PG/$SRC" -XAtqc "SELECT count(*) FROM ticket_events") events, $(psql "$PG/$SRC" -XAtqc "SELECT pg_size_pretty(pg_database_size(current_database()))") (written in $(secs "$started") s)"

# 2. the last backup
"$ROOT/scripts/backup.sh" --pg-url "$PG/$SRC" --dir "$WORK/backups" --metrics-dir ""
BACKUP="$(ls "$WORK"/backups/*.dump)"

# 3. the host is lost: restore, switch, start, ready
cat > "$WORK/server.env" <<EOF
VQ_PROFILE=dev
VQ_HTTP_PORT=$PORT
VQ_MANAGEMENT_PORT=$((PORT + 1))
VQ_REDIS_URL=$REDIS
VQ_REDIS_KEY_PREFIX=$PREFIX
VQ_LOG_LEVEL=WARN
VQ_PG_URL=$PG/$SRC
EOF
echo "--- Postgres host lost: restore from $(basename "$BACKUP") and serve again ---"
started=$(date +%s.%N)
"$ROOT/scripts/restore.sh" "$BACKUP" --target-db "$DST" --pg-url "$PG/postgres" --jar "$JAR" \
  --switch-env "$WORK/server.env" \
  --restart-command "cd '$WORK' && set -a && . '$WORK/server.env' && { java -jar '$JAR' > '$WORK/server.log' 2>&1 & echo \$! > '$WORK/server.pid'; }" \
  --ready-url "http://127.0.0.1:$((PORT + 1))/health/ready"
TOTAL=$(secs "$started")
waiting=$(curl -fs "http://127.0.0.1:$((PORT + 1))/metrics" | awk '/^vq_queue_waiting\{/ { s += $NF } END { print s + 0 }')
echo "RTO: $TOTAL s from the backup file to /health/ready on the restored database ($TICKETS tickets, $WAITING waiting; the server's gauge says $waiting waiting)"
