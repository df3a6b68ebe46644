# shellcheck shell=bash
# Helpers for libpq URIs (postgresql://user@host:port/db?params), shared by the backup scripts.

# url_with_db URL DB: the same server, user and parameters, another database
url_with_db() {
  local url="$1" db="$2" base query
  base="${url%%\?*}"
  query="${url#"$base"}"
  if [[ $base =~ ^([a-z]+://[^/]*)(/.*)?$ ]]; then
    printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$db" "$query"
  else
    echo "not a libpq URI: $url" >&2
    return 2
  fi
}

# url_db URL: the database a URI names (empty when it names none)
url_db() {
  local base="${1%%\?*}"
  if [[ $base =~ ^[a-z]+://[^/]*/(.+)$ ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
}

# valid_db_name NAME: a plain identifier, so it can be used unquoted in SQL and file names
valid_db_name() {
  [[ $1 =~ ^[a-z_][a-z0-9_]{0,62}$ ]]
}
