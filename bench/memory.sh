#!/usr/bin/env bash
# Memory of 1,000,000 keys in Sluice beside redis-server, one kind of value at a time, each in
# freshly started servers: small strings (SET key:N xxx), hashes of 10 fields (HSET hash:N f0 v0
# .. f9 v9) and one-member sorted sets (ZADD zset:N score member:N). Loads both with
# redis-cli --pipe and prints, per key: used_memory (Sluice's own estimate; Redis's allocator
# figure), Sluice's live heap after a full GC (what the keys really take on the JVM heap), and
# the memory of both processes (PSS, see pss_bytes).
#
#   bench/memory.sh [keys=1000000] [kinds=string,hash,zset]
#
# Ports: SLUICE_PORT (default 16385) and REDIS_PORT (default 16386). Sluice's JVM flags are the
# launcher's unless SLUICE_JAVA_OPTS is set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keys="${1:-1000000}"
kinds="${2:-string,hash,zset}"
sluice_port="${SLUICE_PORT:-16385}"
redis_port="${REDIS_PORT:-16386}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"

# Inline commands, one a line, for redis-cli --pipe.
generate() {
  awk -v n="$keys" -v kind="$1" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (kind == "string") printf "SET key:%012d xxx\r\n", i
      else if (kind == "hash") printf "HSET hash:%012d f0 v0 f1 v1 f2 v2 f3 v3 f4 v4 f5 v5 f6 v6 f7 v7 f8 v8 f9 v9\r\n", i
      else printf "ZADD zset:%012d %d member:%012d\r\n", i, i, i
    }
  }'
}

# Proportional set size rather than RSS: ZGC maps its heap three times (JDK 17), and RSS counts
# each page once per mapping; PSS counts it once.
pss_bytes() { awk '/^Pss:/ {print $2 * 1024}' "/proc/$1/smaps_rollup"; }

# Bytes of the Java heap in use after a full collection, from jcmd GC.heap_info.
live_heap() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '
    /used/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); break }
      sub(/,$/, "", v); unit = substr(v, length(v)); n = substr(v, 1, length(v) - 1)
      print n * (unit == "K" ? 1024 : unit == "M" ? 1048576 : unit == "G" ? 1073741824 : 1); exit
    }'
}

per_key() { awk -v a="$1" -v b="$2" -v n="$keys" 'BEGIN { printf "%.1f", (b - a) / n }'; }

echo "| kind | Sluice used_memory B/key | Redis used_memory B/key | ratio | Sluice live heap B/key | Sluice PSS MiB | Redis PSS MiB |"
echo "|---|---|---|---|---|---|---|"
for kind in ${kinds//,/ }; do
  generate "$kind" >"$data/$kind.txt"
  work="$(mktemp -d)"
  start_servers
  redis_pid="$(info_field "$redis_port" server process_id)"
  s_before="$(info_field "$sluice_port" memory used_memory)"
  r_before="$(info_field "$redis_port" memory used_memory)"
  h_before="$(live_heap "$sluice_pid")"
  redis-cli -p "$sluice_port" --pipe <"$data/$kind.txt" >/dev/null
  redis-cli -p "$redis_port" --pipe <"$data/$kind.txt" >/dev/null
  for port in "$sluice_port" "$redis_port"; do
    count="$(redis-cli -p "$port" dbsize)"
    if [ "$count" != "$keys" ]; then
      echo "port $port holds $count keys after loading, expected $keys" >&2
      exit 1
    fi
  done
  h_after="$(live_heap "$sluice_pid")"
  s_after="$(info_field "$sluice_port" memory used_memory)"
  r_after="$(info_field "$redis_port" memory used_memory)"
  s_per="$(per_key "$s_before" "$s_after")"
  r_per="$(per_key "$r_before" "$r_after")"
  printf '| %s | %s | %s | %.2f | %s | %.0f | %.0f |\n' "$kind" "$s_per" "$r_per" \
    "$(awk -v a="$s_per" -v b="$r_per" 'BEGIN {print a / b}')" "$(per_key "$h_before" "$h_after")" \
    "$(awk -v r="$(pss_bytes "$sluice_pid")" 'BEGIN {print r / 1048576}')" \
    "$(awk -v r="$(pss_bytes "$redis_pid")" 'BEGIN {print r / 1048576}')"
  stop_servers
  trap 'rm -rf "$data"' EXIT
  unset sluice_pid
done
echo
echo "$keys keys per kind, loaded with redis-cli --pipe into freshly started servers; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3); Sluice JVM flags: ${SLUICE_JAVA_OPTS:-launcher defaults}"
