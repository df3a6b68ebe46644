# shellcheck shell=bash
# Shell helpers for starting, probing and stopping a server in scripts and CI. Source it.

# free_port: prints a loopback TCP port that nothing answers on and no socket uses (random,
# 20000-32767: below Linux's ephemeral range, 32768-60999, where an outgoing connection's local
# port, a JDBC connection's say, can make a server's bind fail with "address in use").
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12768))
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      continue
    fi
    if command -v ss >/dev/null && [ -n "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]; then
      continue
    fi
    echo "$p"
    return 0
  done
  echo "free_port: no free port found" >&2
  return 1
}

# wait_http URL SECONDS [PID]: polls URL until it answers 2xx; fails after SECONDS, or at once
# when PID (the server) has exited.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  until curl -sf -o /dev/null "$url"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "wait_http: process $pid exited before $url answered" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "wait_http: $url did not answer within $2 s" >&2
      return 1
    fi
    sleep 0.2
  done
}

# stop_pid PID [SECONDS]: SIGTERM, wait up to SECONDS (default 30), then SIGKILL.
stop_pid() {
  local pid=$1 deadline=$((SECONDS + ${2:-30}))
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  wait "$pid" 2>/dev/null || true
}
