# shellcheck shell=bash
# A throwaway server for the benchmark and load-test scripts: target/virtual-queue.jar in the dev
# profile on loopback ports, on a database and a Redis key prefix of its own in the local Postgres
# (postgres@127.0.0.1:5432) and Redis (127.0.0.1:6379), dropped again when the script ends. Source it.
# shellcheck source=scripts/lib/dev-run.sh
. "$(dirname "${BASH_SOURCE[0]}")/dev-run.sh"

# throwaway_start PORT DB PREFIX LOG [JAVA_OPTION...]: starts the server in the background on
# PORT (management PORT+1), database DB (the dev profile creates it), Redis key prefix PREFIX,
# output to LOG. Extra VQ_* settings: put them before the call. Sets THROWAWAY_PID.
# VQ_BENCH_JAR runs another build's jar instead of target/virtual-queue.jar (before/after benches).
# Rate limits are off (VQ_RATE_LIMIT_ENABLED=false): every load client is 127.0.0.1, one address
# far beyond any real household (docs/rate-limits.md). VQ_RATE_LIMIT_ENABLED=true measures them.
throwaway_start() {
  local port=$1 db=$2 prefix=$3 log=$4
  shift 4
  VQ_RATE_LIMIT_ENABLED=${VQ_RATE_LIMIT_ENABLED:-false} VQ_PROFILE=dev VQ_HTTP_PORT=$port VQ_MANAGEMENT_PORT=$((port + 1)) VQ_REDIS_KEY_PREFIX=$prefix \
    VQ_PG_URL="postgresql://postgres@127.0.0.1:5432/$db" VQ_LOG_LEVEL=WARN \
    java "$@" -jar "${VQ_BENCH_JAR:-target/virtual-queue.jar}" >"$log" 2>&1 &
  # shellcheck disable=SC2034 # read by the caller
  THROWAWAY_PID=$!
}

# throwaway_await PORT PID: waits up to 60 s for the server on PORT to be ready (its management
# port's /health/ready); fails at once when PID has exited.
throwaway_await() {
  wait_http "http://127.0.0.1:$(($1 + 1))/health/ready" 60 "$2"
}

# throwaway_taken PORT: true when a server already answers on PORT's management port.
throwaway_taken() {
  curl -fs -o /dev/null "http://127.0.0.1:$(($1 + 1))/health/ready" 2>/dev/null
}

# throwaway_require_free PORT...: exits the script when a server already answers on any of the PORTs.
throwaway_require_free() {
  local p
  for p in "$@"; do
    if throwaway_taken "$p"; then
      echo "port $p is taken by another server (an earlier run?); stop it or set VQ_BENCH_PORT" >&2
      exit 1
    fi
  done
}

# throwaway_sql DB [PSQL_ARGUMENT...]: psql on DB, unaligned tuples only, stopping at the first error.
throwaway_sql() {
  local db=$1
  shift
  psql -h 127.0.0.1 -U postgres -d "$db" -qAtX -v ON_ERROR_STOP=1 "$@"
}

# throwaway_drop DB PREFIX: drops the database and deletes the Redis keys (the servers stopped first).
throwaway_drop() {
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 --scan --pattern "$2:*" | xargs -r -n 500 redis-cli -h 127.0.0.1 DEL >/dev/null || true
}
