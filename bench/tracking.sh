#!/usr/bin/env bash
# Client-side caching (CLIENT TRACKING): the time from an SQL UPDATE's COMMIT to the invalidation
# reaching a tracking client (p50, p99), the time from a write on another connection to the
# invalidation beside redis-server's, and pipelined GET throughput with 100,000 keys tracked
# beside tracking off (bench/TrackingBench.java, against the built sluice.jar, with a redis-server
# started here on REDIS_PORT, default 16380).
#
#   bench/tracking.sh [updates=1000] [rounds=5]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
redis_port="${REDIS_PORT:-16380}"
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null; }
"$here/sluice" --version >/dev/null # builds the jar when needed
dir="$(mktemp -d)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
  --daemonize yes --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
trap 'redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
load="$(cut -d' ' -f1-3 /proc/loadavg)"
SLUICE_LOG_LEVEL=WARN java -cp "$here/proxy/target/sluice.jar" "$here/bench/TrackingBench.java" \
  "$redis_port" "$@"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3); load average before: $load"
