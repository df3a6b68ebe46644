#!/usr/bin/env bash
# The image's entry point: puts the database password from a file into VQ_PG_URL, then runs the
# jar as PID 1 (exec), so SIGTERM reaches the JVM and starts the drain.
#
# VQ_PG_PASSWORD_FILE (optional): a file whose first line is the password of the user in
# VQ_PG_URL (a Compose or Kubernetes secret, e.g. /run/secrets/postgres_password). The password
# never appears in the compose file, a manifest or `docker inspect`; it is percent-encoded into the
# URL the server reads. The variable is removed before the server starts.
set -euo pipefail

urlencode() {
  # byte by byte (C locale), so a non-ASCII character becomes its UTF-8 bytes
  local LC_ALL=C s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

if [ -n "${VQ_PG_PASSWORD_FILE:-}" ]; then
  if [ ! -r "$VQ_PG_PASSWORD_FILE" ]; then
    echo "config error: VQ_PG_PASSWORD_FILE=$VQ_PG_PASSWORD_FILE cannot be read" >&2
    exit 2
  fi
  IFS= read -r password < "$VQ_PG_PASSWORD_FILE" || true
  url=${VQ_PG_URL:?VQ_PG_URL is required with VQ_PG_PASSWORD_FILE (postgresql://user@host:5432/db)}
  scheme=${url%%://*}
  rest=${url#*://}
  authority=${rest%%/*}
  path=${rest#"$authority"}
  if [[ "$authority" != *@* ]]; then
    echo "config error: VQ_PG_URL must name a user (postgresql://user@host:5432/db) with VQ_PG_PASSWORD_FILE" >&2
    exit 2
  fi
  userinfo=${authority%@*}
  user=${userinfo%%:*}
  export VQ_PG_URL="$scheme://$user:$(urlencode "$password")@${authority##*@}$path"
  unset VQ_PG_PASSWORD_FILE password
fi

# JVM flags: JDK_JAVA_OPTIONS (the image sets -XX:MaxRAMPercentage and -XX:+ExitOnOutOfMemoryError)
exec java -jar /opt/virtual-queue/virtual-queue.jar "$@"
