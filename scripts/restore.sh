#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database and proves it sound before
# anyone uses it; then, if asked, switches the server over to it.
#
#   scripts/restore.sh BACKUP --target-db NAME [--pg-url URL] [--jar JAR] [--jobs N] [--sample N]
#                      [--age-identity FILE] [--switch-env FILE [--restart-command CMD] [--ready-url URL]]
#
#   BACKUP                 vq-<db>-<time>.dump[.age|.gpg]; its .sha256 must sit next to it, and its
#                          .json manifest (row counts in the dump's snapshot) is used when present
#   --target-db NAME       the database to create (it must not exist: a restore never overwrites)
#   --pg-url URL           any database on the server to restore into (libpq URI, used to create the
#                          target). Default $VQ_RESTORE_PG_URL, else $VQ_PG_URL
#   --jar JAR              the server jar, for `db validate` and `audit verify`
#                          (default $VQ_JAR, else target/virtual-queue.jar)
#   --jobs N               pg_restore parallel jobs for an unencrypted dump (default 2)
#   --sample N             tickets checked against their own event history (default 200)
#   --age-identity FILE    age private key for a .age backup ($VQ_BACKUP_AGE_IDENTITY); a .gpg
#                          backup is decrypted with the caller's gpg keyring
#   --switch-env FILE      after every check passed: set VQ_PG_URL in this env file (EnvironmentFile of
#                          the systemd unit, or an --env-file) to the restored database
#   --restart-command CMD  then run CMD (e.g. 'systemctl restart virtual-queue'); the server rebuilds
#                          Redis's waiting lines from Postgres as it starts
#   --ready-url URL        then wait for URL (the management port's /health/ready) to answer 200
#
# Order: 1. the checksum (a corrupted or truncated file is refused before anything is touched);
# 2. create the database and pg_restore into it; 3. `db validate` (Flyway schema history against
# the jar's migrations); 4. integrity: the row count of every table equals the manifest's, `audit
# verify` holds every tenant's chain, and a sample of tickets each has the status its last event
# says. Exit 0 restored and verified; 3 refused or failed verification (the new database is left
# for inspection, never switched to); 2 bad usage; 1 any other failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib/pg-url.sh
. "$ROOT/scripts/lib/pg-url.sh"

BACKUP="" TARGET="" PG_URL="${VQ_RESTORE_PG_URL:-${VQ_PG_URL:-}}" JAR="${VQ_JAR:-$ROOT/target/virtual-queue.jar}"
JOBS=2 SAMPLE=200 IDENTITY="${VQ_BACKUP_AGE_IDENTITY:-}" SWITCH_ENV="" RESTART_CMD="" READY_URL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target-db) TARGET="$2"; shift ;;
    --pg-url) PG_URL="$2"; shift ;;
    --jar) JAR="$2"; shift ;;
    --jobs) JOBS="$2"; shift ;;
    --sample) SAMPLE="$2"; shift ;;
    --age-identity) IDENTITY="$2"; shift ;;
    --switch-env) SWITCH_ENV="$2"; shift ;;
    --restart-command) RESTART_CMD="$2"; shift ;;
    --ready-url) READY_URL="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$BACKUP" ] || { echo "one backup at a time" >&2; exit 2; }; BACKUP="$1" ;;
  esac
  shift
done
usage() { echo "restore: $*" >&2; echo "usage: scripts/restore.sh BACKUP --target-db NAME [--pg-url URL] ... (see --help)" >&2; exit 2; }
[ -n "$BACKUP" ] || usage "name a backup file"
[ -n "$TARGET" ] || usage "name the new database (--target-db)"
valid_db_name "$TARGET" || usage "--target-db must be a plain lower-case identifier: $TARGET"
[ -n "$PG_URL" ] || usage "name the server (--pg-url or VQ_PG_URL)"
[ -f "$BACKUP" ] || usage "no such file: $BACKUP"

# the jar reads its defaults from conf/ (VQ_CONFIG); the connection comes from VQ_PG_URL below
if [ -z "${VQ_CONFIG:-}" ] && [ -f "$ROOT/conf/virtual-queue.json" ]; then export VQ_CONFIG="$ROOT/conf/virtual-queue.json"; fi
# vq_jar ARGS...: the server jar on the restored database, without the backup scripts' own VQ_*
# settings in its environment (the server reports VQ_* variables it does not know)
vq_jar() {
  local v unset=()
  for v in $(compgen -e); do
    case "$v" in VQ_BACKUP_*|VQ_RESTORE_*|VQ_JAR|VQ_RTO_*|VQ_PG_BIN) unset+=(-u "$v") ;; esac
  done
  env "${unset[@]}" VQ_PG_URL="$TARGET_URL" java -jar "$JAR" "$@"
}
refuse() { echo "restore refused: $*" >&2; exit 3; }
failed() { echo "VERIFICATION FAILED: $*" >&2; echo "the restored database $TARGET is left for inspection; drop it with: psql '$PG_URL' -c 'DROP DATABASE $TARGET'" >&2; exit 3; }
step() { printf '[%6.1f s] %s\n' "$(awk -v s="$STARTED" -v n="$(date +%s.%N)" 'BEGIN { print n - s }')" "$*"; }
STARTED=$(date +%s.%N)
TARGET_URL="$(url_with_db "$PG_URL" "$TARGET")"
DIR="$(cd "$(dirname "$BACKUP")" && pwd)" NAME="$(basename "$BACKUP")"
MANIFEST="$DIR/$NAME.json"

# 1. checksum, before anything is touched
[ -f "$DIR/$NAME.sha256" ] || refuse "no checksum file $NAME.sha256 next to the backup"
[ "$(awk '{ print $2 }' "$DIR/$NAME.sha256")" = "$NAME" ] || refuse "$NAME.sha256 is not the checksum of $NAME"
if ! (cd "$DIR" && sha256sum --check --strict --status "$NAME.sha256"); then
  refuse "checksum mismatch: $NAME is corrupted or truncated (expected $(awk '{ print $1 }' "$DIR/$NAME.sha256"), got $(sha256sum "$BACKUP" | awk '{ print $1 }'))"
fi
step "checksum ok: $NAME ($(stat -c %s "$BACKUP") bytes)"

decrypt() {
  case "$NAME" in
    *.age) age -d -i "$IDENTITY" "$BACKUP" ;;
    *.gpg) gpg --batch --quiet --decrypt "$BACKUP" ;;
    *) cat "$BACKUP" ;;
  esac
}

case "$NAME" in
  *.age) [ -n "$IDENTITY" ] || refuse "$NAME is age-encrypted: give --age-identity (or VQ_BACKUP_AGE_IDENTITY)" ;;
  *.gpg) command -v gpg > /dev/null || refuse "$NAME is gpg-encrypted and gpg is not installed" ;;
esac

# 2. a new database, then the restore
if [ "$(psql "$PG_URL" -XAtqc "SELECT count(*) FROM pg_database WHERE datname = '$TARGET'")" != 0 ]; then
  refuse "database $TARGET already exists: a restore only creates a new one"
fi
psql "$PG_URL" -XAtq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $TARGET TEMPLATE template0 ENCODING 'UTF8'"
step "created database $TARGET"
case "$NAME" in
  *.age|*.gpg) decrypt | pg_restore --no-owner --exit-on-error -d "$TARGET_URL" ;;
  *) pg_restore --no-owner --exit-on-error --jobs "$JOBS" -d "$TARGET_URL" "$BACKUP" ;;
esac || failed "pg_restore failed"
step "restored into $TARGET"

# 3. the schema history against the jar's migrations
[ -f "$JAR" ] || failed "no server jar at $JAR (mvn package, or --jar): cannot validate the schema"
vq_jar db validate || failed "db validate: the schema does not match this jar"
step "schema validated"

# 4. integrity
q() { psql "$TARGET_URL" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
if [ -f "$MANIFEST" ]; then
  mismatches=0
  while IFS=$'\t' read -r table expected; do
    actual=$(q "SELECT count(*) FROM public.\"$table\"")
    if [ "$actual" != "$expected" ]; then echo "  $table: $actual rows, the backup's snapshot had $expected" >&2; mismatches=$((mismatches + 1)); fi
  done < <(python3 -c 'import json,sys; [print(f"{k}\t{v}") for k, v in json.load(open(sys.argv[1]))["rowCounts"].items()]' "$MANIFEST")
  [ "$mismatches" = 0 ] || failed "$mismatches table(s) differ from the row counts taken in the backup's snapshot"
  step "row counts equal the snapshot's: $(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["rowCounts"]; print(", ".join(f"{k} {v}" for k, v in c.items() if k in ("tenants","queues","tickets","ticket_events","audit_log")))' "$MANIFEST")"
else
  echo "  (no manifest $NAME.json: row counts not compared)"
fi
if [ "$(q "SELECT count(*) FROM tenants")" != 0 ]; then
  vq_jar audit verify || failed "audit verify: an audit hash chain is broken"
  step "audit chains hold"
fi
bad=$(q "WITH s AS (SELECT id, status FROM tickets ORDER BY random() LIMIT $SAMPLE)
  SELECT count(*) FILTER (WHERE e.to_status IS DISTINCT FROM s.status) || ' ' || count(*) FROM s
  LEFT JOIN LATERAL (SELECT to_status FROM ticket_events WHERE ticket_id = s.id ORDER BY id DESC LIMIT 1) e ON true")
[ "${bad%% *}" = 0 ] || failed "${bad%% *} of ${bad##* } sampled tickets do not have the status their last event says"
step "sampled ${bad##* } tickets: each has the status of its last event"
echo "restored and verified: $TARGET_URL"

# 5. switch over
if [ -n "$SWITCH_ENV" ]; then
  tmp="$SWITCH_ENV.$$.tmp"
  { grep -v '^VQ_PG_URL=' "$SWITCH_ENV" 2>/dev/null || true; echo "VQ_PG_URL=$TARGET_URL"; } > "$tmp"
  chmod --reference="$SWITCH_ENV" "$tmp" 2>/dev/null || chmod 0640 "$tmp"
  mv -f "$tmp" "$SWITCH_ENV"
  step "VQ_PG_URL in $SWITCH_ENV now names $TARGET"
  if [ -n "$RESTART_CMD" ]; then
    bash -c "$RESTART_CMD"
    step "restarted: $RESTART_CMD"
  fi
  if [ -n "$READY_URL" ]; then
    for _ in $(seq 1 600); do
      if curl -fs -o /dev/null "$READY_URL"; then step "serving again: $READY_URL answers 200"; exit 0; fi
      sleep 0.2
    done
    echo "the server did not become ready at $READY_URL within 120 s" >&2
    exit 1
  fi
fi
