#!/usr/bin/env bash
# Runs redis-benchmark against Sluice and against redis-server on this machine, alternating
# rounds, and prints the median of each figure with the Sluice/Redis ratio: one table per value
# size, each test without pipelining and with -P 16, 50 clients, random keys.
#
#   bench/redis-benchmark.sh [requests=100000] [rounds=3] [tests] [sizes=3,512] [keyspace=1000000]
#
# tests defaults to set,get,incr,lpush,lpop,sadd,hset,zadd,mset; sizes are redis-benchmark's -d
# (value bytes), keyspace its -r (random keys per command). Ports: SLUICE_PORT (default 16379)
# and REDIS_PORT (default 16380). Sluice's JVM flags are the launcher's unless SLUICE_JAVA_OPTS
# is set. BASELINE_JAR=path/to/an/earlier/sluice.jar also measures that build in the same
# alternating rounds, with a table of this build against it; BENCH_SERVER_CPUS=1
# BENCH_CLIENT_CPUS=0 pins the servers and redis-benchmark to separate cores (bench/lib.sh).
#
# PIPELINED_REQUESTS (default: requests) sets -n for the -P 16 runs alone: at -P 16 a run of
# 200,000 requests lasts well under a second, short enough for one GC or JIT pause to move its
# figure by 20%; WARMUP_PASSES (default 1) repeats the warm-up pass.
#
# Installs redis-server/redis-tools from Debian when missing (needs root), builds Sluice when
# needed. Results go to stdout as Markdown tables.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-100000}"
rounds="${2:-3}"
tests="${3:-set,get,incr,lpush,lpop,sadd,hset,zadd,mset}"
sizes="${4:-3,512}"
keyspace="${5:-1000000}"
pipelined_requests="${PIPELINED_REQUESTS:-$requests}"
warmup_passes="${WARMUP_PASSES:-1}"
sluice_port="${SLUICE_PORT:-16379}"
redis_port="${REDIS_PORT:-16380}"
work="$(mktemp -d)"

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
start_servers
requests_for() { if [ "$1" = 1 ]; then echo "$requests"; else echo "$pipelined_requests"; fi; }

for size in ${sizes//,/ }; do
  # Warm Sluice's JIT (and fill both keyspaces alike) before measuring, as a long-running server
  # would be.
  for _ in $(seq 1 "$warmup_passes"); do
    for target in $targets; do
      port="$(port_of "$target")"
      for pipeline in 1 16; do
        "${pin_client[@]}" redis-benchmark -p "$port" -c 50 -n "$(requests_for "$pipeline")" -r "$keyspace" \
          -d "$size" -P "$pipeline" -t "$tests" -q >/dev/null 2>&1
      done
    done
  done
  : >"$work/results.csv"
  for round in $(seq 1 "$rounds"); do
    for target in $targets; do
      port="$(port_of "$target")"
      for pipeline in 1 16; do
        "${pin_client[@]}" redis-benchmark -p "$port" -c 50 -n "$(requests_for "$pipeline")" -r "$keyspace" \
          -d "$size" -P "$pipeline" -t "$tests" --csv 2>/dev/null |
          tail -n +2 | tr -d '"' |
          awk -F, -v t="$target" -v p="$pipeline" '{print t "," p "," $1 "," $2 "," $5 "," $7}' \
            >>"$work/results.csv"
      done
    done
  done
  echo "Value size $size bytes:"
  echo
  medians_table test <"$work/results.csv"
  baseline_table test "$work/results.csv"
  echo
done
echo "redis-benchmark -c 50 -n $requests (-P 16: $pipelined_requests) -r $keyspace -d {$sizes} -t $tests, without pipelining and with -P 16, $rounds alternating rounds after $warmup_passes warm-up pass(es) on each server, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3); Sluice JVM flags: ${SLUICE_JAVA_OPTS:-launcher defaults}; servers on CPUs ${BENCH_SERVER_CPUS:-any}, redis-benchmark on CPUs ${BENCH_CLIENT_CPUS:-any}; load average before: $load"
