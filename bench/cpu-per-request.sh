#!/usr/bin/env bash
# CPU time per request of a Sluice build, beside another build (BASELINE_JAR) and redis-server:
# each server gets a warm-up pass, then `perf stat -e task-clock` counts the CPU time of the
# server process (all its threads: I/O, GC, JIT) while redis-benchmark sends the same requests.
# It moves less with the machine's noise than requests per second, which also count the time a
# server waits for a core. (Hardware counters such as instructions are not available in the VMs
# this runs on: perf reports them "not supported".)
#
#   BASELINE_JAR=path/to/sluice.jar bench/cpu-per-request.sh [requests=1000000] [tests=get,incr,hset] [pipeline=16]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-1000000}"
tests="${2:-get,incr,hset}"
pipeline="${3:-16}"
sluice_port="${SLUICE_PORT:-16379}"
redis_port="${REDIS_PORT:-16380}"
work="$(mktemp -d)"
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
start_servers
pid_of() {
  case "$1" in
    sluice) echo "$sluice_pid" ;;
    baseline) echo "$baseline_pid" ;;
    *) cat "$work/redis.pid" 2>/dev/null || pgrep -f "redis-server.*:$redis_port" | head -1 ;;
  esac
}
# the launcher execs java, so the pid started is the JVM's
echo "| test -P $pipeline | $(for t in $targets; do printf '%s CPU ns/request | ' "$t"; done)"
echo "|---|$(for _ in $targets; do printf -- '---|'; done)"
for test in ${tests//,/ }; do
  row="| ${test^^} |"
  for target in $targets; do
    port="$(port_of "$target")"
    "${pin_client[@]}" redis-benchmark -p "$port" -c 50 -n "$requests" -r 1000000 -P "$pipeline" -t "$test" -q >/dev/null 2>&1
    pid="$(pid_of "$target")"
    perf stat -e task-clock -x, -o "$work/perf.txt" -p "$pid" -- \
      "${pin_client[@]}" redis-benchmark -p "$port" -c 50 -n "$requests" -r 1000000 -P "$pipeline" -t "$test" -q >/dev/null 2>&1
    # task-clock in ms (with decimals): ns per request
    row="$row $(awk -F, -v n="$requests" '/task-clock/ {printf "%.0f", $1 * 1e6 / n}' "$work/perf.txt") |"
  done
  echo "$row"
done
echo
echo "redis-benchmark -c 50 -n $requests -r 1000000 -P $pipeline, after a warm-up pass of the same; perf stat -e task-clock on each server's process; $(nproc) cores; $(redis-server --version | cut -d' ' -f1-3); servers on CPUs ${BENCH_SERVER_CPUS:-any}; load average before: $load"
