#!/usr/bin/env bash
# Streams, geo and SORT against Sluice and redis-server in the same run, alternating rounds,
# medians and Sluice/Redis ratios:
#   - XADD to one stream (redis-benchmark, 50 clients, without pipelining and with -P 16);
#   - GEOSEARCH of the 10 nearest of 100,000 points within 500 km of a random point near 0,0
#     (about 150 in range; same);
#   - SORT of a 100-element list, numeric with LIMIT 0 10 and ALPHA (same);
#   - a consumer group drained by XREADGROUP COUNT 100 + XACK from 8 clients
#     (bench/StreamGroupBench.java), messages per second.
#
#   bench/redis7.sh [requests=200000] [rounds=3] [group-messages=200000]
#
# Ports: SLUICE_PORT (default 16385) and REDIS_PORT (default 16386). Installs redis-server and
# redis-tools from Debian when missing (needs root), builds Sluice when needed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200000}"
rounds="${2:-3}"
group_messages="${3:-200000}"
sluice_port="${SLUICE_PORT:-16385}"
redis_port="${REDIS_PORT:-16386}"
work="$(mktemp -d)"

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
start_servers

# The same data in both: 100,000 points around the globe (a fixed pseudo-random sequence) and a
# list of 100 numbers.
python3 - >"$work/load.txt" <<'PY'
import random
r = random.Random(7)
for i in range(0, 100000, 100):
    args = []
    for j in range(i, i + 100):
        args += ["%.6f" % r.uniform(-179, 179), "%.6f" % r.uniform(-84, 84), "p%d" % j]
    print("GEOADD g " + " ".join(args))
print("RPUSH l " + " ".join(str(r.randint(0, 1000000)) for _ in range(100)))
PY
for target in $targets; do
  port="$(port_of "$target")"
  redis-cli -p "$port" <"$work/load.txt" >/dev/null
  [ "$(redis-cli -p "$port" zcard g)" = 100000 ] || { echo "$target: GEOADD did not load 100000 points" >&2; exit 1; }
done

bench() { # port pipeline name command...
  local port="$1" pipeline="$2" name="$3"
  shift 3
  redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" -r 100000 --csv "$@" 2>/dev/null |
    tail -n +2 | tr -d '"' | awk -F, -v n="$name" '{print n "," $2 "," $5 "," $7}'
}
tests() { # port pipeline
  bench "$1" "$2" "XADD" XADD s '*' f v
  bench "$1" "$2" "GEOSEARCH 500 km COUNT 10" GEOSEARCH g FROMLONLAT 0.__rand_int__ 0.__rand_int__ BYRADIUS 500 km ASC COUNT 10
  bench "$1" "$2" "SORT LIMIT 0 10" SORT l LIMIT 0 10
  bench "$1" "$2" "SORT ALPHA" SORT l ALPHA
}

# Each command answers alike on both servers (redis-benchmark would count errors as requests).
for cmd in "GEOSEARCH g FROMLONLAT 0.5 0.5 BYRADIUS 500 km ASC COUNT 10" "SORT l LIMIT 0 10" "SORT l ALPHA"; do
  # shellcheck disable=SC2086
  a="$(redis-cli -p "$sluice_port" $cmd)"; b="$(redis-cli -p "$redis_port" $cmd)"
  if [ "$a" != "$b" ] || [ -z "$a" ] || [[ "$a" == ERR* ]]; then
    echo "$cmd: Sluice answered '$a', redis-server '$b'" >&2
    exit 1
  fi
done

# Warm Sluice's JIT before measuring.
for target in $targets; do
  [ "$target" = redis ] && continue
  tests "$(port_of "$target")" 1 >/dev/null
  tests "$(port_of "$target")" 16 >/dev/null
  java "$here/bench/StreamGroupBench.java" "$(port_of "$target")" "$group_messages" >/dev/null
done

: >"$work/results.csv"
for round in $(seq 1 "$rounds"); do
  for target in $targets; do
    port="$(port_of "$target")"
    redis-cli -p "$port" del s >/dev/null
    for pipeline in 1 16; do
      tests "$port" "$pipeline" | awk -F, -v t="$target" -v p="$pipeline" '{print t "," p "," $0}' >>"$work/results.csv"
    done
    java "$here/bench/StreamGroupBench.java" "$port" "$group_messages" |
      awk -F, -v t="$target" '{print t ",-,XREADGROUP COUNT 100 + XACK (msgs/s)," $3 ",0,0"}' >>"$work/results.csv"
  done
done

medians_table test <"$work/results.csv"
baseline_table test "$work/results.csv"
echo
echo "redis-benchmark -c 50 -n $requests (XADD s * f v; GEOSEARCH g FROMLONLAT 0.<rand> 0.<rand> BYRADIUS 500 km ASC COUNT 10 over 100,000 points; SORT of a 100-number list), without pipelining and with -P 16; StreamGroupBench: $group_messages messages, 8 clients, COUNT 100; $rounds alternating rounds, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3); load average before: $load"
