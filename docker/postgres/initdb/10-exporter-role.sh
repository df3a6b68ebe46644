#!/usr/bin/env bash
# Runs once, when the Postgres container initialises an empty data volume: the role the Postgres
# exporter signs in with (read-only statistics through pg_monitor), its password from the Compose
# secret postgres_exporter_password.
set -euo pipefail
password=$(head -n 1 /run/secrets/postgres_exporter_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$password" <<'SQL'
CREATE ROLE postgres_exporter LOGIN PASSWORD :'password' IN ROLE pg_monitor;
SQL
