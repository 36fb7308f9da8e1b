#!/usr/bin/env bash
# Runs redis-benchmark against Sluice and against redis-server on this machine, alternating
# rounds, and prints the median of each figure with the Sluice/Redis ratio.
#
#   bench/redis-benchmark.sh [requests=100000] [rounds=3] [tests=ping,set,get,incr,mset]
#
# Installs redis-server/redis-tools from Debian when missing (needs root), builds Sluice when
# needed. Both servers run with 2 I/O threads' worth of machine; results go to stdout as a
# Markdown table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-100000}"
rounds="${2:-3}"
tests="${3:-ping,set,get,incr,mset}"
sluice_port=16379
redis_port=16380
work="$(mktemp -d)"

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
start_servers

# Warm Sluice's JIT before measuring, as a long-running server would be.
redis-benchmark -p "$sluice_port" -q -n "$requests" -t "$tests" >/dev/null 2>&1
redis-benchmark -p "$sluice_port" -q -n "$requests" -P 16 -t "$tests" >/dev/null 2>&1

for round in $(seq 1 "$rounds"); do
  for target in sluice redis; do
    port=$([ "$target" = sluice ] && echo "$sluice_port" || echo "$redis_port")
    for pipeline in 1 16; do
      redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" -t "$tests" --csv 2>/dev/null |
        tail -n +2 | tr -d '"' |
        awk -F, -v t="$target" -v p="$pipeline" '{print t "," p "," $1 "," $2 "," $5 "," $7}' \
          >>"$work/results.csv"
    done
  done
done

medians_table test <"$work/results.csv"
echo
echo "redis-benchmark -c 50 -n $requests -t $tests, $rounds alternating rounds, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3)"
