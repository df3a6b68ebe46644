#!/usr/bin/env bash
# Takes one backup of the Virtual Queue database, checksums it, prunes old ones and writes
# node_exporter textfile metrics. Safe under load: the dump is one consistent snapshot (a
# REPEATABLE READ transaction whose snapshot pg_dump shares through --snapshot), so it takes no
# lock that blocks a join or a call, and a ticket committed after that instant is simply not in it.
#
#   scripts/backup.sh [--pg-url URL] [--dir DIR] [--metrics-dir DIR] [--no-prune] [--snapshot ID]
#                     [--age-recipients FILE | --gpg-recipient ID]
#   scripts/backup.sh --select-retention < names    (prints "keep NAME" / "delete NAME"; no I/O)
#
#   --pg-url URL          database to back up (libpq URI). Default $VQ_BACKUP_PG_URL, else $VQ_PG_URL,
#                         else postgresql://localhost:5432/virtualqueue
#   --dir DIR             where backups go ($VQ_BACKUP_DIR, default /var/backups/virtual-queue)
#   --metrics-dir DIR     node_exporter's --collector.textfile.directory ($VQ_BACKUP_METRICS_DIR,
#                         default /var/lib/prometheus/node-exporter; "" writes no metrics)
#   --age-recipients FILE encrypt with age to the public keys in FILE ($VQ_BACKUP_AGE_RECIPIENTS)
#   --gpg-recipient ID    encrypt with gpg to key ID ($VQ_BACKUP_GPG_RECIPIENT)
#   --snapshot ID         dump the snapshot another session exported (pg_export_snapshot(); it must
#                         stay open until the backup ends): a backup coordinated with other work
#   --no-prune            keep every backup (retention otherwise: 7 daily, 4 weekly, 12 monthly;
#                         $VQ_BACKUP_KEEP_DAILY, _WEEKLY, _MONTHLY)
#
# Each backup is vq-<db>-<UTC time>.dump[.age|.gpg] with, next to it, a .sha256 (sha256sum format,
# of the file as stored, so it can be checked without the key) and a .json manifest: the snapshot's
# time and pg_snapshot, and the row count of every table in that same snapshot (restore.sh compares
# them). Files appear under their final name only when complete (written as .partial, then renamed).
# Exit 0 on success; on failure 1, and vq_backup_failures_total goes up.
set -euo pipefail

PG_URL="${VQ_BACKUP_PG_URL:-${VQ_PG_URL:-postgresql://localhost:5432/virtualqueue}}"
DIR="${VQ_BACKUP_DIR:-/var/backups/virtual-queue}"
METRICS_DIR="${VQ_BACKUP_METRICS_DIR-/var/lib/prometheus/node-exporter}"
AGE_RECIPIENTS="${VQ_BACKUP_AGE_RECIPIENTS:-}"
GPG_RECIPIENT="${VQ_BACKUP_GPG_RECIPIENT:-}"
KEEP_DAILY="${VQ_BACKUP_KEEP_DAILY:-7}" KEEP_WEEKLY="${VQ_BACKUP_KEEP_WEEKLY:-4}" KEEP_MONTHLY="${VQ_BACKUP_KEEP_MONTHLY:-12}"
PRUNE=1 SELECT_ONLY=0 IMPORT_SNAPSHOT=""

while [ $# -gt 0 ]; do
  case "$1" in
    --pg-url) PG_URL="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    --metrics-dir) METRICS_DIR="$2"; shift ;;
    --age-recipients) AGE_RECIPIENTS="$2"; shift ;;
    --gpg-recipient) GPG_RECIPIENT="$2"; shift ;;
    --no-prune) PRUNE=0 ;;
    --snapshot) IMPORT_SNAPSHOT="$2"; shift ;;
    --select-retention) SELECT_ONLY=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# ---------------------------------------------------------------- retention (pure)
# select_retention: reads backup names (one a line, any order), prints "keep NAME" or "delete NAME"
# for each. Like restic's --keep-daily/--keep-weekly/--keep-monthly: going from the newest back, a
# backup is kept when it is the newest of a day (ISO week, month) not yet seen, while fewer than
# KEEP_DAILY days (KEEP_WEEKLY weeks, KEEP_MONTHLY months) have been kept. The newest is always kept.
# A name without a vq-<db>-YYYYMMDDTHHMMSSZ time is kept (it is not ours to delete).
select_retention() {
  local name stamp day week month days=0 weeks=0 months=0 keep first=1 dated=()
  declare -A seen_day=() seen_week=() seen_month=()
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    if [[ $name =~ -([0-9]{8}T[0-9]{6}Z)\.dump(\.age|\.gpg)?$ ]]; then
      dated+=("${BASH_REMATCH[1]} $name")
    else
      echo "keep $name"
    fi
  done
  [ ${#dated[@]} -gt 0 ] || return 0
  while read -r stamp name; do
    read -r day week month < <(date -u -d "${stamp:0:4}-${stamp:4:2}-${stamp:6:2} ${stamp:9:2}:${stamp:11:2}:${stamp:13:2}" '+%F %G-W%V %Y-%m')
    keep=$first; first=0
    if [ -z "${seen_day[$day]:-}" ] && [ "$days" -lt "$KEEP_DAILY" ]; then seen_day[$day]=1; days=$((days + 1)); keep=1; fi
    if [ -z "${seen_week[$week]:-}" ] && [ "$weeks" -lt "$KEEP_WEEKLY" ]; then seen_week[$week]=1; weeks=$((weeks + 1)); keep=1; fi
    if [ -z "${seen_month[$month]:-}" ] && [ "$months" -lt "$KEEP_MONTHLY" ]; then seen_month[$month]=1; months=$((months + 1)); keep=1; fi
    if [ "$keep" = 1 ]; then echo "keep $name"; else echo "delete $name"; fi
  done < <(printf '%s\n' "${dated[@]}" | sort -r)
}

if [ "$SELECT_ONLY" = 1 ]; then
  select_retention
  exit 0
fi

# ---------------------------------------------------------------- metrics
DB="$(psql "$PG_URL" -XAtqc 'SELECT current_database()' 2>/dev/null || true)"
DB="${DB:-$(basename "${PG_URL%%\?*}")}"
METRICS_FILE="${METRICS_DIR:+$METRICS_DIR/virtual_queue_backup_${DB}.prom}"

# previous <metric>: its value in the current metrics file, or 0
previous() {
  if [ -n "$METRICS_FILE" ] && [ -f "$METRICS_FILE" ]; then
    awk -v m="$1" '$1 ~ "^"m"[{ ]" || $1 == m { v = $NF } END { print v == "" ? 0 : v }' "$METRICS_FILE"
  else
    echo 0
  fi
}

# write_metrics <ok 0|1> <duration> <size>: the whole file, written to a temp file and renamed
write_metrics() {
  [ -n "$METRICS_FILE" ] || return 0
  local ok=$1 duration=$2 size=$3 now last_success last_failure failures last_duration last_size avail total
  now=$(date +%s)
  last_success=$(previous vq_backup_last_success_timestamp_seconds); last_failure=$(previous vq_backup_last_failure_timestamp_seconds)
  failures=$(previous vq_backup_failures_total); last_duration=$(previous vq_backup_duration_seconds); last_size=$(previous vq_backup_size_bytes)
  if [ "$ok" = 1 ]; then last_success=$now; last_duration=$duration; last_size=$size; else last_failure=$now; failures=$((${failures%.*} + 1)); fi
  read -r total avail < <(df -P -B1 "$DIR" 2>/dev/null | awk 'NR == 2 { print $2, $4 }' || echo "0 0")
  mkdir -p "$METRICS_DIR"
  local l="{database=\"$DB\"}" tmp="$METRICS_FILE.$$.tmp"
  cat > "$tmp" <<EOF
# HELP vq_backup_last_success_timestamp_seconds When the last backup of this database succeeded (0: never).
# TYPE vq_backup_last_success_timestamp_seconds gauge
vq_backup_last_success_timestamp_seconds$l $last_success
# HELP vq_backup_last_failure_timestamp_seconds When the last backup of this database failed (0: never).
# TYPE vq_backup_last_failure_timestamp_seconds gauge
vq_backup_last_failure_timestamp_seconds$l $last_failure
# HELP vq_backup_duration_seconds How long the last successful backup took, dump to checksum.
# TYPE vq_backup_duration_seconds gauge
vq_backup_duration_seconds$l $last_duration
# HELP vq_backup_size_bytes Size of the last successful backup as stored (compressed, encrypted).
# TYPE vq_backup_size_bytes gauge
vq_backup_size_bytes$l $last_size
# HELP vq_backup_failures_total Backups of this database that failed.
# TYPE vq_backup_failures_total counter
vq_backup_failures_total$l $failures
# HELP vq_backup_storage_available_bytes Bytes free for unprivileged users on the backup directory's filesystem.
# TYPE vq_backup_storage_available_bytes gauge
vq_backup_storage_available_bytes$l ${avail:-0}
# HELP vq_backup_storage_size_bytes Size of the backup directory's filesystem.
# TYPE vq_backup_storage_size_bytes gauge
vq_backup_storage_size_bytes$l ${total:-0}
EOF
  chmod 0644 "$tmp"
  mv -f "$tmp" "$METRICS_FILE"
}

# ---------------------------------------------------------------- the backup
STARTED=$(date +%s.%N)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
BASE="vq-$DB-$STAMP.dump"
SUFFIX=""
if [ -n "$AGE_RECIPIENTS" ]; then SUFFIX=".age"; elif [ -n "$GPG_RECIPIENT" ]; then SUFFIX=".gpg"; fi
FILE="$DIR/$BASE$SUFFIX"
SNAP_CHILD=""
DONE=0
fail() {
  echo "backup failed: $*" >&2
  exit 1
}
# any exit before the end is a failed backup: no partial file is left, and the failure is counted
on_exit() {
  local rc=$?
  if [ "$DONE" != 1 ]; then
    rm -f "$FILE.partial" "$FILE.sha256.partial" "$FILE.json.partial"
    if [ -n "${SNAP_CHILD:-}" ]; then kill "$SNAP_CHILD" 2>/dev/null || true; fi
    write_metrics 0 0 0 || true
    [ "$rc" != 0 ] || exit 1
  fi
}
trap on_exit EXIT

encrypt() {
  if [ -n "$AGE_RECIPIENTS" ]; then age -R "$AGE_RECIPIENTS"
  elif [ -n "$GPG_RECIPIENT" ]; then gpg --batch --yes --trust-model always --encrypt --recipient "$GPG_RECIPIENT"
  else cat
  fi
}

# sql <statement>: runs it in the snapshot session and prints its one-line answer
sql() {
  printf '%s\n' "$1" >&"${SNAP[1]}"
  local line
  IFS= read -r -t 60 line <&"${SNAP[0]}" || fail "no answer from the snapshot session to: $1"
  printf '%s\n' "$line"
}

mkdir -p "$DIR" || fail "cannot create $DIR"
[ -w "$DIR" ] || fail "cannot write to $DIR"
psql "$PG_URL" -XAtqc 'SELECT 1' > /dev/null || fail "cannot connect to the database"
# The snapshot session: open for the whole dump, so the row counts below are of the very rows dumped.
coproc SNAP { psql "$PG_URL" -XAtq -v ON_ERROR_STOP=1 2>&1; }
SNAP_CHILD=$SNAP_PID
printf 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\n' >&"${SNAP[1]}"
if [ -n "$IMPORT_SNAPSHOT" ]; then
  [[ $IMPORT_SNAPSHOT =~ ^[0-9A-F-]+$ ]] || fail "not a snapshot id: $IMPORT_SNAPSHOT"
  printf "SET TRANSACTION SNAPSHOT '%s';\n" "$IMPORT_SNAPSHOT" >&"${SNAP[1]}"
fi
SNAPSHOT_LINE=$(sql "SELECT pg_export_snapshot() || ' ' || pg_current_snapshot()::text || ' ' || extract(epoch from statement_timestamp())::numeric(20,3);")
read -r SNAPSHOT_ID PG_SNAPSHOT SNAPSHOT_EPOCH <<<"$SNAPSHOT_LINE"
[ -n "${SNAPSHOT_EPOCH:-}" ] || fail "could not export a snapshot: $SNAPSHOT_LINE"

set -o pipefail
pg_dump -Fc --snapshot="$SNAPSHOT_ID" -d "$PG_URL" | encrypt > "$FILE.partial" || fail "pg_dump failed"
if [ -z "$SUFFIX" ]; then
  pg_restore --list "$FILE.partial" > /dev/null || fail "the dump does not read back (pg_restore --list)"
fi

COUNTS=$(sql "SELECT coalesce(json_object_agg(t, n ORDER BY t), '{}') FROM (SELECT c.relname AS t,
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint AS n
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public') x;")
[ "${COUNTS:0:1}" = "{" ] || fail "could not count rows: $COUNTS"
SERVER_VERSION=$(sql "SHOW server_version;")
printf 'COMMIT;\n\\q\n' >&"${SNAP[1]}"
wait "$SNAP_CHILD" 2>/dev/null || true
SNAP_CHILD=""

SIZE=$(stat -c %s "$FILE.partial")
mv "$FILE.partial" "$FILE"
( cd "$DIR" && sha256sum "$(basename "$FILE")" > "$(basename "$FILE").sha256.partial" && mv "$(basename "$FILE").sha256.partial" "$(basename "$FILE").sha256" )
DURATION=$(awk -v a="$(date +%s.%N)" -v b="$STARTED" 'BEGIN { printf "%.3f", a - b }')
cat > "$FILE.json.partial" <<EOF
{"file": "$(basename "$FILE")", "database": "$DB", "snapshotTime": $SNAPSHOT_EPOCH, "pgSnapshot": "$PG_SNAPSHOT",
 "serverVersion": "$SERVER_VERSION", "encryption": "${SUFFIX#.}", "sizeBytes": $SIZE, "durationSeconds": $DURATION,
 "rowCounts": $COUNTS}
EOF
mv "$FILE.json.partial" "$FILE.json"
DONE=1

if [ "$PRUNE" = 1 ]; then
  while read -r verdict name; do
    if [ "$verdict" = delete ]; then
      rm -f "$DIR/$name" "$DIR/$name.sha256" "$DIR/$name.json"
      echo "pruned $name"
    fi
  done < <(cd "$DIR" && ls -1 | grep -E "^vq-$DB-[0-9]{8}T[0-9]{6}Z\.dump(\.age|\.gpg)?$" | select_retention)
fi

write_metrics 1 "$DURATION" "$SIZE"
printf 'backup %s: %s bytes in %.1f s (snapshot %s)\n' "$FILE" "$SIZE" "$DURATION" "$PG_SNAPSHOT"
