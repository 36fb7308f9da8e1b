#!/usr/bin/env bash
# Start-up time: from launching `./sluice serve` to its first PONG, for
#   1. a plain Redis configuration (no mappings: no database, no journal);
#   2. the demo (embedded PostgreSQL, an append mapping) with an empty journal;
#   3. the demo with N journaled records not yet applied (mapping page_views paused, so they stay
#      in the journal and are all replayed at start-up).
# For 2 and 3 it also reports how long the embedded PostgreSQL took to start (from Sluice's log:
# "Starting the embedded PostgreSQL" to "Using the embedded PostgreSQL") and the time to PONG
# without it. Each case runs `rounds` times; medians.
#
#   bench/startup.sh [records=1000000] [rounds=3]
#
# Port: SLUICE_PORT (default 16387). Sluice's JVM flags are the launcher's unless
# SLUICE_JAVA_OPTS is set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
records="${1:-1000000}"
rounds="${2:-3}"
port="${SLUICE_PORT:-16387}"
work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" # the demo keeps its database and journal in ./data
printf '# plain Redis: no mappings\n' >plain.yaml
"$here/sluice" --version >/dev/null # builds the jar when needed

ms_now() { echo $(($(date +%s%N) / 1000000)); }
log_ms() { # epoch ms of the first log line containing $2 in file $1
  date -d "$(grep -m1 -F "$2" "$1" | cut -d' ' -f1)" +%s%3N
}

# Starts Sluice with the given arguments; sets pid, ready_ms (launch to first PONG), cpu_ms (CPU
# time the JVM had used by then: unlike the wall time, it does not grow with the other load on
# a shared machine) and database_ms (embedded PostgreSQL start, 0 without one).
start() {
  local t0 t1
  t0="$(ms_now)"
  # --http.port 0: the demo's HTTP endpoint on a free port, not its fixed 8080
  "$here/sluice" serve --port "$port" --http.port 0 "$@" >sluice.log 2>&1 &
  pid=$!
  until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = "PONG" ]; do
    kill -0 "$pid" 2>/dev/null || { cat sluice.log >&2; exit 1; }
    sleep 0.005
  done
  t1="$(ms_now)"
  ready_ms=$((t1 - t0))
  cpu_ms="$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")"
  database_ms=0
  if grep -q "Starting the embedded PostgreSQL" sluice.log; then
    database_ms=$(($(log_ms sluice.log "Using the embedded PostgreSQL") - $(log_ms sluice.log "Starting the embedded PostgreSQL")))
  fi
}

stop() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

median() { tr ' ' '\n' | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

measure() { # label, then serve arguments
  local label="$1" ready="" database="" rest="" cpu=""
  shift
  for _ in $(seq 1 "$rounds"); do
    start "$@"
    ready="$ready $ready_ms"
    cpu="$cpu $cpu_ms"
    database="$database $database_ms"
    rest="$rest $((ready_ms - database_ms))"
    stop
  done
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$(echo $ready | median)" "$(echo $database | median)" \
    "$(echo $rest | median)" "$(echo $cpu | median)"
}

# The first demo start creates the database and Sluice's schema: not measured.
start
stop

echo "| case | to first PONG ms | embedded PostgreSQL start ms | to first PONG without the database ms | JVM CPU time by then ms |"
echo "|---|---|---|---|---|"
measure "plain (no mappings)" --config plain.yaml
measure "demo, empty journal" # no --config: the demo

# Filled with fsync every 100 ms (filling is not what is measured); the measured starts use the
# default. redis-cli --pipe waits for every reply and fails on any error reply.
start --journal.fsync 100ms
redis-cli -p "$port" sluice pause page_views >/dev/null
awk -v n="$records" 'BEGIN { for (i = 0; i < n; i++) printf "XADD ingest:page_views * user_id %d path /p/%d\r\n", i % 1000, i }' |
  redis-cli -p "$port" --pipe --pipe-timeout 0 >"$work/fill.txt" || { cat "$work/fill.txt" >&2; exit 1; }
stop
measure "demo, $records journaled records to replay"
replayed="$(grep -o 'replaying [0-9]* records' sluice.log | head -1)"

echo
echo "Last start: $replayed. rounds: $rounds, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; Sluice JVM flags: ${SLUICE_JAVA_OPTS:-launcher defaults}"
