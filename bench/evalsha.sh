#!/usr/bin/env bash
# EVALSHA of a small token-bucket rate limiter (reads TIME, HMGET/HSET/PEXPIRE one hash per key)
# with redis-benchmark against Sluice and redis-server in the same run, alternating rounds,
# without pipelining and with -P 16; prints the medians and the Sluice/Redis ratios.
#
#   bench/evalsha.sh [requests=100000] [rounds=3] [keys=10000]
#
# Ports: SLUICE_PORT (default 16383) and REDIS_PORT (default 16384). BASELINE_JAR=path/to/an/
# earlier/sluice.jar also measures that build, in the same alternating rounds (bench/lib.sh).
#
# Installs redis-server/redis-tools from Debian when missing (needs root), builds Sluice when
# needed. Results go to stdout as a Markdown table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-100000}"
rounds="${2:-3}"
keys="${3:-10000}"
sluice_port="${SLUICE_PORT:-16383}"
redis_port="${REDIS_PORT:-16384}"
work="$(mktemp -d)"

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
start_servers

# KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] burst. Returns 1 when allowed, else 0.
script='local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call("HMGET", KEYS[1], "tokens", "ts")
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call("HSET", KEYS[1], "tokens", tokens, "ts", now)
redis.call("PEXPIRE", KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return allowed'

sha=$(redis-cli -p "$sluice_port" script load "$script")
sha_redis=$(redis-cli -p "$redis_port" script load "$script")
if [ "$sha" != "$sha_redis" ]; then
  echo "SCRIPT LOAD gave different SHA-1s: sluice $sha, redis $sha_redis" >&2
  exit 1
fi
# The same answers from both before measuring: a fresh bucket of burst 2 allows twice, then not.
for port in "$sluice_port" "$redis_port"; do
  got="$(for _ in 1 2 3; do redis-cli -p "$port" evalsha "$sha" 1 check 1 2; done | tr '\n' ' ')"
  if [ "$got" != "1 1 0 " ]; then
    echo "port $port: the limiter answered '$got', expected '1 1 0 '" >&2
    exit 1
  fi
done

bench() { # port pipeline
  redis-benchmark -p "$1" -c 50 -n "$requests" -P "$2" -r "$keys" --csv \
    EVALSHA "$sha" 1 rl:__rand_int__ 100 10 2>/dev/null | tail -n +2 | tr -d '"'
}

if [ -n "${BASELINE_JAR:-}" ]; then
  [ "$(redis-cli -p "$baseline_port" script load "$script")" = "$sha" ] || exit 1
fi

# Warm Sluice's JIT (and the script's compiled form) before measuring.
for target in $targets; do
  [ "$target" = redis ] && continue
  bench "$(port_of "$target")" 1 >/dev/null
  bench "$(port_of "$target")" 16 >/dev/null
done

for round in $(seq 1 "$rounds"); do
  for target in $targets; do
    port="$(port_of "$target")"
    for pipeline in 1 16; do
      bench "$port" "$pipeline" |
        awk -F, -v t="$target" -v p="$pipeline" '{print t "," p ",EVALSHA rate limiter," $2 "," $5 "," $7}' \
          >>"$work/results.csv"
    done
  done
done

medians_table script <"$work/results.csv"
baseline_table script "$work/results.csv"
echo
echo "redis-benchmark -c 50 -n $requests -r $keys EVALSHA <sha> 1 rl:__rand_int__ 100 10, $rounds alternating rounds, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3); load average before: $load"
