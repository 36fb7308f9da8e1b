#!/usr/bin/env bash
# A leaderboard on one sorted set of 1,000,000 members, Sluice against redis-server on this
# machine: fills the same set into both, then alternates rounds of redis-benchmark with
# random-member commands and prints the median of each figure with the Sluice/Redis ratio.
#
#   bench/leaderboard.sh [requests=100000] [rounds=3] [members=1000000]
#
# Commands (random members via __rand_int__ over the whole set):
#   ZINCRBY lb 1 member:__rand_int__      a score update that moves the member
#   ZREVRANK lb member:__rand_int__       a player's position
#   ZREVRANGE lb 0 9 WITHSCORES           the top ten
#
# Installs redis-server/redis-tools from Debian when missing (needs root), builds Sluice when
# needed. Results go to stdout as a Markdown table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-100000}"
rounds="${2:-3}"
members="${3:-1000000}"
sluice_port=16381
redis_port=16382
work="$(mktemp -d)"

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
start_servers

# The same members as redis-benchmark's __rand_int__ makes (12 digits, zero-padded), each with
# a random integer score, as ZADD commands of 100 pairs in RESP for redis-cli --pipe.
awk -v n="$members" 'BEGIN {
  srand(42); ORS = ""
  for (i = 0; i < n; i += 100) {
    k = (n - i < 100) ? n - i : 100
    printf "*%d\r\n$4\r\nZADD\r\n$2\r\nlb\r\n", 2 + 2 * k
    for (j = i; j < i + k; j++) {
      score = int(rand() * n)
      member = sprintf("member:%012d", j)
      printf "$%d\r\n%d\r\n$%d\r\n%s\r\n", length(score ""), score, length(member), member
    }
  }
}' >"$work/fill.resp"

for port in "$sluice_port" "$redis_port"; do
  redis-cli -p "$port" --pipe <"$work/fill.resp" >"$work/fill-$port.log"
  loaded="$(redis-cli -p "$port" zcard lb)"
  if [ "$loaded" != "$members" ]; then
    echo "port $port holds $loaded members, expected $members" >&2
    exit 1
  fi
done
sluice_memory="$(info_field "$sluice_port" memory used_memory)"
sluice_heap="$(info_field "$sluice_port" memory jvm_heap_used)"
redis_memory="$(info_field "$redis_port" memory used_memory)"

commands=(
  "ZINCRBY lb 1 member:__rand_int__"
  "ZREVRANK lb member:__rand_int__"
  "ZREVRANGE lb 0 9 WITHSCORES"
)

bench() { # port pipeline command...
  local port="$1" pipeline="$2"
  shift 2
  redis-benchmark -p "$port" -c 50 -n "$requests" -P "$pipeline" -r "$members" --csv "$@" 2>/dev/null |
    tail -n +2 | tr -d '"'
}

# Warm Sluice's JIT before measuring, as a long-running server would be.
for command in "${commands[@]}"; do
  # shellcheck disable=SC2086
  bench "$sluice_port" 1 $command >/dev/null
  # shellcheck disable=SC2086
  bench "$sluice_port" 16 $command >/dev/null
done

for round in $(seq 1 "$rounds"); do
  for target in sluice redis; do
    port=$([ "$target" = sluice ] && echo "$sluice_port" || echo "$redis_port")
    for pipeline in 1 16; do
      for command in "${commands[@]}"; do
        # shellcheck disable=SC2086
        bench "$port" "$pipeline" $command |
          awk -F, -v t="$target" -v p="$pipeline" -v c="${command%% *}" \
            '{print t "," p "," c "," $2 "," $5 "," $7}' >>"$work/results.csv"
      done
    done
  done
done

medians_table command <"$work/results.csv"
echo
echo "Memory after loading $members members: Sluice used_memory $((sluice_memory / 1048576)) MiB (estimate; JVM heap in use $((sluice_heap / 1048576)) MiB), Redis used_memory $((redis_memory / 1048576)) MiB."
echo "redis-benchmark -c 50 -n $requests -r $members, $rounds alternating rounds, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3)"
