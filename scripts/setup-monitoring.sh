#!/usr/bin/env bash
# Installs the Virtual Queue monitoring stack (monitoring/) and is safe to run again: files are only
# rewritten when their content changed, secrets are never overwritten unless a new value is given,
# and services are only restarted when something they read changed.
#
#   scripts/setup-monitoring.sh [--packages | --compose] [--no-start] [--root DIR] [--runbook-base URL]
#
#   --packages     (default) Debian 12 packages: prometheus, prometheus-alertmanager and the Postgres,
#                  Redis and node exporters; configuration under /etc/prometheus, /etc/default and
#                  /etc/alertmanager/secrets; Grafana provisioning too when Grafana is installed
#                  (Debian has no Grafana package: use Grafana's own repository or --compose).
#   --compose      the monitoring services of docker/compose.yml (they watch that file's stack):
#                  writes the secret files (docker/secrets/, and docker/init-secrets.sh for the
#                  rest), validates, and runs `docker compose up -d <those services>` when Docker
#                  is available. With --root, the secrets go under DIR/docker/secrets.
#   --no-start     install and validate only; do not (re)start anything.
#   --root DIR     install under DIR instead of / (no apt, no systemctl, no chown): for checks.
#   --runbook-base URL   where docs/runbooks/ is browsable; rewrites the runbook_url of every alert.
#
# Secrets come from the environment once and are written to files (mode 0640, group prometheus),
# because Alertmanager 0.25 cannot expand environment variables in its configuration:
#   VQ_SMTP_PASSWORD, VQ_SLACK_WEBHOOK_URL, VQ_PAGER_TOKEN, VQ_DEADMAN_TOKEN   -> Alertmanager
#   VQ_PG_EXPORTER_PASSWORD                                                    -> postgres exporter
#   VQ_GRAFANA_ADMIN_PASSWORD                                                  -> Grafana (compose)
# (with --compose a missing exporter or Grafana password is made at random, not a placeholder)
# A secret that is neither given nor present yet gets a placeholder, and the script says so.
# Other settings: VQ_PG_EXPORTER_URI (127.0.0.1:5432/postgres?sslmode=disable), VQ_PG_EXPORTER_USER
# (postgres_exporter), VQ_REDIS_ADDR (redis://127.0.0.1:6379).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=packages START=1 ROOT="" RUNBOOK_BASE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --packages) MODE=packages ;;
    --compose) MODE=compose ;;
    --no-start) START=0 ;;
    --root) ROOT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    --runbook-base) RUNBOOK_BASE="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

SHIPPED_RUNBOOK_BASE="https://git.example.com/virtual-queue/-/blob/main/docs/runbooks/"
CHANGED=0; PLACEHOLDERS=()
declare -A RESTART=()

say() { printf '%s\n' "$*"; }
managed() { [ -z "$ROOT" ] && [ "$(id -u)" = 0 ]; }

# install_content <content> <destination> <mode> [service to restart when it changed]
install_content() {
  local content="$1" dst="$ROOT$2" mode="$3" service="${4:-}"
  mkdir -p "$(dirname "$dst")"
  if [ -f "$dst" ] && [ "$(cat "$dst")" = "$content" ]; then
    return 0
  fi
  printf '%s\n' "$content" > "$dst.tmp.$$" && chmod "$mode" "$dst.tmp.$$" && mv "$dst.tmp.$$" "$dst"
  if managed && getent group prometheus >/dev/null; then chgrp prometheus "$dst"; fi
  say "  updated $2"
  CHANGED=$((CHANGED + 1))
  if [ -n "$service" ]; then RESTART[$service]=1; fi
}

install_file() { install_content "$(cat "$1")" "$2" "$3" "${4:-}"; }

# secret <env var> <destination> <placeholder>: written from the variable, else kept, else a placeholder
secret() {
  local var="$1" dst="$2" placeholder="$3" value="${!1:-}"
  if [ -n "$value" ]; then
    install_content "$value" "$dst" 0640
  elif [ ! -f "$ROOT$dst" ]; then
    install_content "$placeholder" "$dst" 0640
    PLACEHOLDERS+=("$dst (set $var)")
  elif [ "$(cat "$ROOT$dst")" = "$placeholder" ]; then
    PLACEHOLDERS+=("$dst (set $var)")
  fi
}

rules_content() {
  if [ -n "$RUNBOOK_BASE" ]; then sed "s#$SHIPPED_RUNBOOK_BASE#$RUNBOOK_BASE#g" "$1"; else cat "$1"; fi
}

alertmanager_secrets() {
  local dir="${VQ_ALERTMANAGER_SECRETS:-/etc/alertmanager/secrets}"
  mkdir -p "$ROOT$dir"; chmod 0750 "$ROOT$dir"
  if managed && getent group prometheus >/dev/null; then chgrp prometheus "$ROOT$dir"; fi
  secret VQ_SMTP_PASSWORD "$dir/smtp_password" "CHANGE-ME"
  secret VQ_SLACK_WEBHOOK_URL "$dir/slack_api_url" "https://hooks.slack.com/services/CHANGE/ME"
  secret VQ_PAGER_TOKEN "$dir/pager_token" "CHANGE-ME"
  secret VQ_DEADMAN_TOKEN "$dir/deadman_token" "CHANGE-ME"
}

validate() {
  local prom="$1" am="$2"
  if command -v promtool >/dev/null; then
    promtool check config "$prom" >/dev/null
    say "  promtool: $prom and its rules are valid"
  fi
  if command -v amtool >/dev/null; then
    amtool check-config "$am" >/dev/null
    say "  amtool: $am is valid"
  fi
}

packages() {
  if [ -z "$ROOT" ]; then
    local missing=()
    for p in prometheus prometheus-alertmanager prometheus-postgres-exporter prometheus-redis-exporter prometheus-node-exporter; do
      dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      say "installing ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
  fi
  say "configuration:"
  install_file monitoring/prometheus.yml /etc/prometheus/prometheus.yml 0644 prometheus
  for f in monitoring/rules/*.yml; do
    install_content "$(rules_content "$f")" "/etc/prometheus/rules/$(basename "$f")" 0644 prometheus
  done
  install_file monitoring/alertmanager.yml /etc/prometheus/alertmanager.yml 0644 prometheus-alertmanager
  alertmanager_secrets
  secret VQ_PG_EXPORTER_PASSWORD /etc/prometheus/secrets/postgres_exporter_password "CHANGE-ME"
  install_content "# managed by virtual-queue scripts/setup-monitoring.sh
ARGS=\"--web.listen-address=127.0.0.1:9090 --storage.tsdb.retention.time=30d\"" /etc/default/prometheus 0644 prometheus
  install_content "# managed by virtual-queue scripts/setup-monitoring.sh
ARGS=\"--web.listen-address=127.0.0.1:9093 --cluster.listen-address=\"" /etc/default/prometheus-alertmanager 0644 prometheus-alertmanager
  install_content "# managed by virtual-queue scripts/setup-monitoring.sh
DATA_SOURCE_URI='${VQ_PG_EXPORTER_URI:-127.0.0.1:5432/postgres?sslmode=disable}'
DATA_SOURCE_USER='${VQ_PG_EXPORTER_USER:-postgres_exporter}'
DATA_SOURCE_PASS_FILE='/etc/prometheus/secrets/postgres_exporter_password'
ARGS=\"--web.listen-address=127.0.0.1:9187\"" /etc/default/prometheus-postgres-exporter 0644 prometheus-postgres-exporter
  install_content "# managed by virtual-queue scripts/setup-monitoring.sh
ARGS=\"--web.listen-address=127.0.0.1:9121 --redis.addr=${VQ_REDIS_ADDR:-redis://127.0.0.1:6379}\"" /etc/default/prometheus-redis-exporter 0644 prometheus-redis-exporter
  install_content "# managed by virtual-queue scripts/setup-monitoring.sh
ARGS=\"--web.listen-address=127.0.0.1:9100\"" /etc/default/prometheus-node-exporter 0644 prometheus-node-exporter
  if [ -d "$ROOT/etc/grafana" ]; then
    install_file monitoring/grafana/provisioning/datasources/prometheus.yml /etc/grafana/provisioning/datasources/virtual-queue.yml 0644 grafana-server
    install_file monitoring/grafana/provisioning/dashboards/virtualqueue.yml /etc/grafana/provisioning/dashboards/virtual-queue.yml 0644 grafana-server
    for f in monitoring/grafana/dashboards/*.json; do
      install_file "$f" "/var/lib/grafana/dashboards/virtual-queue/$(basename "$f")" 0644 grafana-server
    done
  else
    say "  (no /etc/grafana: Grafana is not a Debian package; install it from Grafana's repository and run again, or use --compose)"
  fi
  validate "$ROOT/etc/prometheus/prometheus.yml" "$ROOT/etc/prometheus/alertmanager.yml"
  if [ "$START" = 1 ] && [ -z "$ROOT" ]; then
    for s in prometheus prometheus-alertmanager prometheus-postgres-exporter prometheus-redis-exporter prometheus-node-exporter grafana-server; do
      systemctl list-unit-files "$s.service" >/dev/null 2>&1 || continue
      systemctl enable -q "$s" 2>/dev/null || true
      if [ -n "${RESTART[$s]:-}" ]; then
        systemctl restart "$s" && say "  restarted $s"
      elif ! systemctl is-active -q "$s"; then
        systemctl start "$s" && say "  started $s"
      fi
    done
  fi
}

# compose_secret <env var> <file under docker/secrets>: from the variable, else kept, else random.
# 0644: Compose (without Swarm) bind-mounts the file as it is, for the container's own user.
compose_secret() {
  local var="$1" dst="$COMPOSE_SECRETS/$2" value="${!1:-}"
  if [ -z "$value" ] && [ -s "$dst" ]; then
    return 0
  fi
  if [ -z "$value" ]; then
    value="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    say "  generated docker/secrets/$2 (set $var to choose it)"
  fi
  local saved_root="$ROOT"; ROOT=""
  install_content "$value" "$dst" 0644
  ROOT="$saved_root"
}

# The monitoring services of docker/compose.yml, which watch the stack in that file (both servers,
# its Postgres and Redis). For a server installed on the host, use --packages.
compose() {
  say "configuration:"
  alertmanager_secrets
  COMPOSE_SECRETS="${ROOT:-$PWD}/docker/secrets"
  mkdir -p "$COMPOSE_SECRETS"; chmod 0700 "$COMPOSE_SECRETS"
  compose_secret VQ_GRAFANA_ADMIN_PASSWORD grafana_admin_password
  compose_secret VQ_PG_EXPORTER_PASSWORD postgres_exporter_password
  if [ -z "$ROOT" ]; then
    docker/init-secrets.sh | sed 's/^/  /'   # the stack's other secrets, where missing
  fi
  if command -v promtool >/dev/null; then
    # its rule files are monitoring/rules, mounted beside it in the container
    promtool check config --syntax-only docker/monitoring/prometheus.yml >/dev/null
    say "  promtool: docker/monitoring/prometheus.yml is valid"
    promtool check rules monitoring/rules/*.yml >/dev/null
    say "  promtool: monitoring/rules are valid"
  fi
  if command -v amtool >/dev/null; then
    amtool check-config monitoring/alertmanager.yml >/dev/null
    say "  amtool: monitoring/alertmanager.yml is valid"
  fi
  if command -v docker-compose >/dev/null; then
    docker-compose -f docker/compose.yml config -q
    say "  docker-compose: docker/compose.yml is valid"
  fi
  if [ -n "$RUNBOOK_BASE" ]; then
    say "  note: --runbook-base applies to --packages; compose mounts monitoring/rules as shipped"
  fi
  local services="prometheus alertmanager grafana postgres-exporter redis-exporter node-exporter"
  if [ "$START" = 1 ]; then
    if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
      # shellcheck disable=SC2086 # a list of service names
      docker compose -f docker/compose.yml up -d $services
    else
      say "no Docker engine here; start it elsewhere with: docker compose -f docker/compose.yml up -d $services"
    fi
  fi
}

"$MODE"
say "done: $CHANGED file(s) changed"
if [ ${#PLACEHOLDERS[@]} -gt 0 ]; then
  say "placeholders still in use (notifications through them will fail until set):"
  printf '  %s\n' "${PLACEHOLDERS[@]}"
fi
