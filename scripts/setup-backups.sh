#!/usr/bin/env bash
# Installs the Virtual Queue backups: the daily backup and the weekly restore drill as systemd timers
# (or a cron file), their settings file, the backup and metrics directories. Safe to run again:
# files are only rewritten when their content changed, and the settings file, once written, is the
# operator's and never overwritten.
#
#   scripts/setup-backups.sh [--systemd | --cron] [--no-start] [--root DIR] [--app-dir DIR] [--jar JAR]
#
#   --systemd      (default) deploy/systemd/virtual-queue-{backup,restore-drill}.{service,timer} into
#                  /etc/systemd/system, enabled and started (timers only; nothing runs at once)
#   --cron         deploy/cron/virtual-queue-backup into /etc/cron.d instead
#   --no-start     install only; do not enable or start the timers
#   --root DIR     install under DIR instead of / (no systemctl, no chown): for checks
#   --app-dir DIR  where this repository (its scripts/) lives on the host (default: this checkout)
#   --jar JAR      the server jar the drill validates with (default: <app-dir>/target/virtual-queue.jar)
#
# Settings: /etc/default/virtual-queue-backup (from deploy/virtual-queue-backup.env.example). Values
# given now as VQ_BACKUP_PG_URL, VQ_BACKUP_DIR or VQ_BACKUP_METRICS_DIR go into it the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=systemd START=1 ROOT="" APP_DIR="$PWD" JAR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --systemd) MODE=systemd ;;
    --cron) MODE=cron ;;
    --no-start) START=0 ;;
    --root) ROOT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    --app-dir) APP_DIR="$2"; shift ;;
    --jar) JAR="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
JAR="${JAR:-$APP_DIR/target/virtual-queue.jar}"
CHANGED=0 UNITS_CHANGED=0
say() { printf '%s\n' "$*"; }
managed() { [ -z "$ROOT" ] && [ "$(id -u)" = 0 ]; }

# install_content <content> <destination> <mode>
install_content() {
  local content="$1" dst="$ROOT$2" mode="$3"
  mkdir -p "$(dirname "$dst")"
  if [ -f "$dst" ] && [ "$(cat "$dst")" = "$content" ]; then
    return 1
  fi
  printf '%s\n' "$content" > "$dst.tmp.$$" && chmod "$mode" "$dst.tmp.$$" && mv "$dst.tmp.$$" "$dst"
  say "  updated $2"
  CHANGED=$((CHANGED + 1))
}

template() { sed "s#@APP_DIR@#$APP_DIR#g; s#@JAR@#$JAR#g" "$1"; }

settings() {
  local dst=/etc/default/virtual-queue-backup content
  if [ -f "$ROOT$dst" ]; then
    say "  kept $dst (yours to edit)"
    return 0
  fi
  content="$(template deploy/virtual-queue-backup.env.example)"
  for var in VQ_BACKUP_PG_URL VQ_BACKUP_DIR VQ_BACKUP_METRICS_DIR; do
    if [ -n "${!var:-}" ]; then content="$(printf '%s\n' "$content" | sed "s#^$var=.*#$var=${!var}#")"; fi
  done
  install_content "$content" "$dst" 0640 || true
  if managed && getent group postgres >/dev/null; then chgrp postgres "$dst"; fi
}

directories() {
  local backups metrics
  backups="$(sed -n 's/^VQ_BACKUP_DIR=//p' "$ROOT/etc/default/virtual-queue-backup")"
  metrics="$(sed -n 's/^VQ_BACKUP_METRICS_DIR=//p' "$ROOT/etc/default/virtual-queue-backup")"
  for d in "$backups" "$metrics"; do
    [ -n "$d" ] || continue
    if [ ! -d "$ROOT$d" ]; then mkdir -p "$ROOT$d"; say "  created $d"; CHANGED=$((CHANGED + 1)); fi
  done
  if [ -n "$backups" ]; then chmod 0750 "$ROOT$backups"; fi
  if managed && id postgres >/dev/null 2>&1; then
    chown postgres:postgres "$backups"
    # node_exporter reads the metrics directory; the postgres user writes its own files into it
    if [ -n "$metrics" ]; then chgrp postgres "$metrics" && chmod 2775 "$metrics"; fi
  fi
}

systemd_units() {
  local f
  for f in deploy/systemd/virtual-queue-backup.service deploy/systemd/virtual-queue-backup.timer \
           deploy/systemd/virtual-queue-restore-drill.service deploy/systemd/virtual-queue-restore-drill.timer; do
    if install_content "$(template "$f")" "/etc/systemd/system/$(basename "$f")" 0644; then UNITS_CHANGED=1; fi
  done
  if [ "$START" = 1 ] && managed; then
    if [ "$UNITS_CHANGED" = 1 ]; then systemctl daemon-reload; fi
    systemctl enable --now -q virtual-queue-backup.timer virtual-queue-restore-drill.timer
    say "  timers enabled: $(systemctl list-timers --no-legend 'virtual-queue-*' | wc -l) (systemctl list-timers 'virtual-queue-*')"
  fi
}

cron_file() {
  install_content "$(template deploy/cron/virtual-queue-backup)" /etc/cron.d/virtual-queue-backup 0644 || true
}

say "backups:"
settings
directories
if [ "$MODE" = systemd ]; then systemd_units; else cron_file; fi
[ -f "$JAR" ] || say "  note: no server jar at $JAR yet (mvn package): the restore drill needs it"
say "done: $CHANGED file(s) changed"
