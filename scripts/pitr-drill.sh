#!/usr/bin/env bash
# Point-in-time recovery, measured on a PRIVATE Postgres cluster (initdb + pg_ctl on free ports, in
# a temporary directory, removed at the end; the shared server is never touched):
#   1. a primary with WAL archiving (archive_mode=on, archive_command copying each segment to an
#      archive directory) and a base backup of it (pg_basebackup);
#   2. writes before and after a recovery target time T;
#   3. the primary "host" is lost (stopped immediately; only the base backup and the archive remain);
#   4. a new cluster from the base backup replays the archived WAL up to T (restore_command,
#      recovery_target_time) and is promoted.
# It then checks that every row committed before T is there and none after, and prints how long
# the recovery took. docs/backups.md explains the same steps for a production host.
#
#   scripts/pitr-drill.sh [--rows N] [--port P]     (default 20000 rows before T, port 30210 and 30211)
set -euo pipefail
BIN="${VQ_PG_BIN:-/usr/lib/postgresql/15/bin}"
ROWS=20000 PORT=30210
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
RECOVERED_PORT=$((PORT + 1))
WORK="$(mktemp -d /tmp/vq-pitr-XXXXXX)"
chmod 0755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$WORK"; fi
stop_all() {
  for d in "$WORK/primary" "$WORK/recovered"; do
    if [ -f "$d/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true; fi
  done
  rm -rf "$WORK"
}
trap stop_all EXIT
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }
psql_at() { psql "postgresql://postgres@127.0.0.1:$1/postgres" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
for p in "$PORT" "$RECOVERED_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use (--port)" >&2; exit 1; fi
done

# 1. the primary, archiving, and a base backup
as_pg mkdir -p "$WORK/archive"
as_pg "$BIN/initdb" -D "$WORK/primary" -A trust -U postgres -E UTF8 --no-sync >/dev/null
cat >> "$WORK/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $WORK/archive/%f && cp %p $WORK/archive/%f'
archive_timeout = 60
EOF
as_pg "$BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null
psql_at "$PORT" "CREATE TABLE tickets (id bigserial PRIMARY KEY, code text NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp())"
psql_at "$PORT" "INSERT INTO tickets (code) SELECT 'A' || g FROM generate_series(1, $((ROWS / 2))) g"
started=$(now)
as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U postgres -D "$WORK/base" -X stream -c fast >/dev/null
echo "base backup: $(du -sh "$WORK/base" | cut -f1) in $(since "$started") s"

# 2. writes after the base backup, then the target time T, then writes that must not come back
psql_at "$PORT" "INSERT INTO tickets (code) SELECT 'B' || g FROM generate_series(1, $((ROWS - ROWS / 2))) g"
sleep 1
TARGET="$(psql_at "$PORT" "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
sleep 1
psql_at "$PORT" "INSERT INTO tickets (code) SELECT 'LATE' || g FROM generate_series(1, 500) g"
psql_at "$PORT" "SELECT pg_switch_wal()" >/dev/null # close the segment so it is archived now, not after archive_timeout
for _ in $(seq 1 100); do
  [ "$(psql_at "$PORT" "SELECT last_failed_wal IS NULL AND archived_count > 0 AND last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver")" = t ] && break
  sleep 0.1
done

# 3. the host is lost
as_pg "$BIN/pg_ctl" -D "$WORK/primary" -m immediate -w stop >/dev/null
echo "primary lost; archive holds $(find "$WORK/archive" -type f | wc -l) WAL segments; target time $TARGET"

# 4. a new cluster from the base backup, replaying the archive up to T
started=$(now)
as_pg cp -a "$WORK/base" "$WORK/recovered"
cat >> "$WORK/recovered/postgresql.conf" <<EOF
port = $RECOVERED_PORT
archive_mode = off
restore_command = 'cp $WORK/archive/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
EOF
as_pg touch "$WORK/recovered/recovery.signal"
as_pg "$BIN/pg_ctl" -D "$WORK/recovered" -l "$WORK/recovered.log" -w -t 120 start >/dev/null
for _ in $(seq 1 600); do
  [ "$(psql_at "$RECOVERED_PORT" "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" = t ] && break
  sleep 0.1
done
RECOVERY=$(since "$started")
read -r before late <<<"$(psql_at "$RECOVERED_PORT" "SELECT count(*) FILTER (WHERE code NOT LIKE 'LATE%'), count(*) FILTER (WHERE code LIKE 'LATE%') FROM tickets" | tr '|' ' ')"
if [ "$before" != "$ROWS" ] || [ "$late" != 0 ]; then
  echo "PITR FAILED: $before of $ROWS rows written before the target, $late written after it" >&2
  tail -20 "$WORK/recovered.log" >&2
  exit 3
fi
echo "recovered to $TARGET in $RECOVERY s: all $ROWS rows committed before it, none of the 500 after"
