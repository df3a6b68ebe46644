#!/usr/bin/env bash
# Every 5 s: live sockets held by the server (vq_ws_connections by kind) and CPU use (% of one
# core) of the server, of the Gatling JVM and of the whole machine (all cores; other processes
# share this machine), and the 1-minute load average, one TSV line each. Stopped by the driver.
# Usage: sample.sh MANAGEMENT_URL SERVER_PID OUT_FILE
MGMT=$1; SERVER_PID=$2; OUT=$3
HZ=$(getconf CLK_TCK)
ticks() { [ -r "/proc/$1/stat" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
gatling_pid() { pgrep -f 'io.gatling.app.Gatling|GatlingCLI|io.gatling.plugin' | head -1; }
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
printf 'time\tticket_sockets\tboard_sockets\tserver_cpu\tgatling_cpu\tmachine_cpu\tload1\n' >"$OUT"
prev_s=$(ticks "$SERVER_PID"); prev_g=0; gpid=; prev_t=$(date +%s.%N); prev_m=$(busy)
while sleep 5; do
  now=$(date +%s.%N)
  [ -n "$gpid" ] && [ -d "/proc/$gpid" ] || { gpid=$(gatling_pid); prev_g=$(ticks "${gpid:-0}"); }
  s=$(ticks "$SERVER_PID"); g=$(ticks "${gpid:-0}"); m=$(busy); load=$(cut -d' ' -f1 /proc/loadavg)
  metrics=$(curl -fs --max-time 3 "$MGMT/metrics" || true)
  ticket=$(echo "$metrics" | awk '/^vq_ws_connections\{.*kind="ticket"/ {s+=$NF} END {print s+0}')
  board=$(echo "$metrics" | awk '/^vq_ws_connections\{.*kind="board"/ {s+=$NF} END {print s+0}')
  awk -v t="$now" -v pt="$prev_t" -v s="$s" -v ps="$prev_s" -v g="$g" -v pg="$prev_g" -v hz="$HZ" \
    -v m="$m" -v pm="$prev_m" -v ld="$load" -v tk="$ticket" -v bd="$board" \
    'BEGIN {d=t-pt; printf "%d\t%d\t%d\t%.0f\t%.0f\t%.0f\t%s\n", t, tk, bd, (s-ps)/hz/d*100, (g-pg)/hz/d*100, (m-pm)/hz/d*100, ld}' >>"$OUT"
  prev_s=$s; prev_g=$g; prev_t=$now; prev_m=$m
done
