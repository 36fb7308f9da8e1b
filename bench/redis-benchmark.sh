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

if ! command -v redis-benchmark >/dev/null || ! command -v redis-server >/dev/null; then
  echo "installing redis-server and redis-tools (Debian packages)..." >&2
  apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null
fi

cleanup() {
  [ -n "${sluice_pid:-}" ] && kill "$sluice_pid" 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_ping() {
  for _ in $(seq 1 300); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null)" = "PONG" ] && return 0
    sleep 0.1
  done
  echo "server on port $1 did not answer PING" >&2
  exit 1
}

# A configuration without mappings: plain Redis, no PostgreSQL (without --config Sluice runs the
# demo, which starts an embedded PostgreSQL beside it).
printf '# plain Redis: no mappings\n' >"$work/plain.yaml"
"$here/sluice" serve --config "$work/plain.yaml" --port "$sluice_port" >"$work/sluice.log" 2>&1 &
sluice_pid=$!
redis-server --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --logfile "$work/redis.log" >/dev/null
wait_ping "$sluice_port"
wait_ping "$redis_port"

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

echo "| test | pipeline | Sluice rps | Redis rps | rps ratio | Sluice p50 ms | Redis p50 ms | Sluice p99 ms | Redis p99 ms | p99 ratio |"
echo "|---|---|---|---|---|---|---|---|---|---|"
sort -t, -k3,3 -k2,2n "$work/results.csv" | awk -F, '
  function median(list,   n, a, i, j, tmp) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    key = $3 SUBSEP $2
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    rps[key, $1] = rps[key, $1] " " $4
    p50[key, $1] = p50[key, $1] " " $5
    p99[key, $1] = p99[key, $1] " " $6
  }
  END {
    for (i = 1; i <= n; i++) {
      key = order[i]; split(key, parts, SUBSEP)
      sr = median(rps[key, "sluice"]); rr = median(rps[key, "redis"])
      s99 = median(p99[key, "sluice"]); r99 = median(p99[key, "redis"])
      printf "| %s | %s | %.0f | %.0f | %.2f | %.3f | %.3f | %.3f | %.3f | %.2f |\n", parts[1], parts[2], sr, rr, sr / rr, median(p50[key, "sluice"]), median(p50[key, "redis"]), s99, r99, (r99 > 0 ? s99 / r99 : 0)
    }
  }'
echo
echo "redis-benchmark -c 50 -n $requests -t $tests, $rounds alternating rounds, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3)"
