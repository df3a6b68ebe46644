#!/usr/bin/env bash
# Creates the secret files docker/compose.yml reads, with random values, where they are missing
# (an existing file is never replaced: Postgres keeps the password it was initialised with).
# docker/secrets/ is git-ignored; back it up with the database backups (docs/containers.md).
#   docker/init-secrets.sh
# A value you choose: write the file yourself first (one line, no trailing spaces), e.g.
#   printf '%s\n' 'my-password' > docker/secrets/grafana_admin_password
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
chmod 0700 "$dir"
umask 077

random() {
  head -c "$1" /dev/urandom | base64 | tr -d '\n/+='
}

make() {
  local name=$1 value=$2
  if [ -s "$dir/$name" ]; then
    echo "kept      docker/secrets/$name"
  else
    printf '%s\n' "$value" > "$dir/$name"
    echo "created   docker/secrets/$name"
  fi
}

make postgres_password "$(random 24)"
make postgres_exporter_password "$(random 24)"
make metrics_token "$(random 32)"
make grafana_admin_password "$(random 18)"
# the server's own key: 32 random bytes, base64 (VQ_SECRETS_KEY_FILE); the same for every server
make vq_secrets_key "$(head -c 32 /dev/urandom | base64)"
# Compose (without Swarm) bind-mounts each file as it is: the containers' users (10001 for the
# servers, Postgres' and Grafana's own) must be able to read it; the folder stays 0700
for name in postgres_password postgres_exporter_password metrics_token grafana_admin_password vq_secrets_key; do
  chmod 0644 "$dir/$name"
done
