#!/usr/bin/env bash
# The scheduled proof that the backups restore: restores the newest backup of the production
# database into a scratch database with scripts/restore.sh (checksum, Flyway validation, row counts,
# audit chains, sampled tickets), then compares it with production itself up to the backup's point,
# and only then writes vq_backup_restore_verified_timestamp_seconds for node_exporter.
#
#   scripts/restore-drill.sh [--pg-url URL] [--dir DIR] [--metrics-dir DIR] [--jar JAR]
#                            [--age-identity FILE] [--keep]
#
#   --pg-url URL        the production database ($VQ_BACKUP_PG_URL, else $VQ_PG_URL); the scratch
#                       database <db>_drill is made on the same server (and dropped again)
#   --dir DIR           the backups ($VQ_BACKUP_DIR, default /var/backups/virtual-queue)
#   --metrics-dir DIR   node_exporter's textfile directory ($VQ_BACKUP_METRICS_DIR,
#                       default /var/lib/prometheus/node-exporter; "" writes no metrics)
#   --jar JAR, --age-identity FILE   passed to restore.sh
#   --keep              leave the scratch database (for a look around)
#
# "Up to the backup's point": the manifest keeps the pg_snapshot the dump was taken in. A row of
# production whose current version was committed before that snapshot (its xmin is visible in it)
# has not changed since the backup, so it must be in the restore, identical (md5 of the whole row
# over the restored table's columns, table by table; a column added by a later migration is left
# out). Rows written or changed after the backup are counted, not compared.
# Exit 0 verified; 3 a difference or a failed check; 1 any other failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib/pg-url.sh
. "$ROOT/scripts/lib/pg-url.sh"

PG_URL="${VQ_BACKUP_PG_URL:-${VQ_PG_URL:-postgresql://localhost:5432/virtualqueue}}"
DIR="${VQ_BACKUP_DIR:-/var/backups/virtual-queue}"
METRICS_DIR="${VQ_BACKUP_METRICS_DIR-/var/lib/prometheus/node-exporter}"
PASS=() KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --pg-url) PG_URL="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    --metrics-dir) METRICS_DIR="$2"; shift ;;
    --jar|--age-identity) PASS+=("$1" "$2"); shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

STARTED=$(date +%s.%N)
DB="$(psql "$PG_URL" -XAtqc 'SELECT current_database()')"
SCRATCH="${DB:0:56}_drill"
SCRATCH_URL="$(url_with_db "$PG_URL" "$SCRATCH")"
WORK="$(mktemp -d)"
cleanup() {
  rm -rf "$WORK"
  if [ "$KEEP" = 0 ]; then psql "$PG_URL" -XAtqc "DROP DATABASE IF EXISTS $SCRATCH WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

NEWEST="$(find "$DIR" -maxdepth 1 -regextype posix-extended -regex ".*/vq-$DB-[0-9]{8}T[0-9]{6}Z\.dump(\.age|\.gpg)?" -printf '%f\n' | sort | tail -1)"
[ -n "$NEWEST" ] || { echo "restore drill: no backup of $DB in $DIR" >&2; exit 1; }
MANIFEST="$DIR/$NEWEST.json"
[ -f "$MANIFEST" ] || { echo "restore drill: $NEWEST has no manifest" >&2; exit 3; }
SNAPSHOT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pgSnapshot"])' "$MANIFEST")"
echo "restore drill: $NEWEST (snapshot $SNAPSHOT) into $SCRATCH"

psql "$PG_URL" -XAtqc "DROP DATABASE IF EXISTS $SCRATCH WITH (FORCE)" >/dev/null
"$ROOT/scripts/restore.sh" "$DIR/$NEWEST" --target-db "$SCRATCH" --pg-url "$PG_URL" "${PASS[@]}"

# columns TABLE: the restored table's columns as t.<name>, in order. Both sides are hashed over
# these, so a column a later migration added in production does not make every row differ.
columns() {
  psql "$SCRATCH_URL" -XAtq -v ON_ERROR_STOP=1 -c "SELECT string_agg(format('t.%I', attname), ', ' ORDER BY attnum)
    FROM pg_attribute WHERE attrelid = format('public.%I', '$1')::regclass AND attnum > 0 AND NOT attisdropped"
}
# rows URL TABLE COLUMNS: md5 of every row of TABLE, sorted
rows() {
  psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "COPY (SELECT md5(ROW($3)::text) FROM public.\"$2\" t) TO STDOUT" | LC_ALL=C sort
}
# rows_unchanged URL TABLE COLUMNS: the same for the rows whose current version was committed before
# the backup's snapshot (xmin, widened to an xid8 in the epoch of now, is visible in that snapshot)
rows_unchanged() {
  psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "COPY (SELECT md5(ROW($3)::text) FROM public.\"$2\" t,
    LATERAL (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS cur) c,
    LATERAL (SELECT ((c.cur >> 32) << 32) | t.xmin::text::bigint AS x8) x
    WHERE pg_visible_in_snapshot((CASE WHEN x.x8 > c.cur THEN x.x8 - 4294967296 ELSE x.x8 END)::text::xid8,
                                 '$SNAPSHOT'::pg_snapshot)) TO STDOUT" | LC_ALL=C sort
}
differences=0 compared=0 later=0
while read -r table; do
  cols="$(columns "$table")"
  rows_unchanged "$PG_URL" "$table" "$cols" > "$WORK/prod"
  rows "$SCRATCH_URL" "$table" "$cols" > "$WORK/restored"
  missing=$(LC_ALL=C comm -23 "$WORK/prod" "$WORK/restored" | wc -l)
  n=$(wc -l < "$WORK/prod") r=$(wc -l < "$WORK/restored")
  compared=$((compared + n)); later=$((later + r - n + missing))
  if [ "$missing" != 0 ]; then
    echo "  $table: $missing of $n rows unchanged in production since the backup differ in the restore" >&2
    differences=$((differences + missing))
  fi
done < <(psql "$SCRATCH_URL" -XAtqc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
if [ "$differences" != 0 ]; then
  echo "RESTORE DRILL FAILED: $differences row(s) differ from production up to the backup's point" >&2
  exit 3
fi
DURATION=$(awk -v a="$(date +%s.%N)" -v b="$STARTED" 'BEGIN { printf "%.3f", a - b }')
echo "restore drill verified: $compared production rows unchanged since the backup are identical in it" \
  "($later restored rows changed or were deleted since); ${DURATION} s"

if [ -n "$METRICS_DIR" ]; then
  mkdir -p "$METRICS_DIR"
  f="$METRICS_DIR/virtual_queue_restore_drill_${DB}.prom"
  cat > "$f.$$.tmp" <<EOF
# HELP vq_backup_restore_verified_timestamp_seconds When a restore drill last proved the newest backup of this database restores and matches production.
# TYPE vq_backup_restore_verified_timestamp_seconds gauge
vq_backup_restore_verified_timestamp_seconds{database="$DB"} $(date +%s)
# HELP vq_backup_restore_duration_seconds How long that drill took: restore, checks and comparison.
# TYPE vq_backup_restore_duration_seconds gauge
vq_backup_restore_duration_seconds{database="$DB"} $DURATION
EOF
  chmod 0644 "$f.$$.tmp"
  mv -f "$f.$$.tmp" "$f"
fi
