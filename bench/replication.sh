#!/usr/bin/env bash
# Replication (issue 17): SET and GET with -P 16, 50 clients, random keys, against a primary alone
# and against a primary with one replica attached, for Sluice (a Sluice replica) and redis-server
# (a redis-server replica), in alternating rounds; and, during each SET load on a primary with a
# replica, the replication lag: the bytes the replica is behind its primary (master_repl_offset
# minus the replica's slave_repl_offset, sampled every 100 ms) and the time it takes to catch up
# once the load stops.
#
#   bench/replication.sh [requests=200000] [rounds=3]
#
# Ports: SLUICE_PORT (default 16379) and REDIS_PORT (default 16380); the primaries with a replica
# listen 1000 (Sluice) and 2000 (Redis) above those, their replicas one further. Every server runs without an RDB file. All run on
# the same machine, as they would share one here; the replica's work counts against its primary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${1:-200000}"
rounds="${2:-3}"
sluice_port="${SLUICE_PORT:-16379}"
redis_port="${REDIS_PORT:-16380}"
work="$(mktemp -d)"

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
start_servers
sluice_with=$((sluice_port + 1000))
sluice_replica=$((sluice_port + 1001))
redis_with=$((redis_port + 2000))
redis_replica=$((redis_port + 2001))
extra_pids=()
stop_all() {
  for pid in "${extra_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for port in "$redis_with" "$redis_replica"; do
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
  stop_servers
}
trap stop_all EXIT
for port in "$sluice_with" "$sluice_replica"; do
  "${pin_server[@]}" "$here/sluice" serve --config "$work/plain.yaml" --port "$port" \
    >"$work/sluice-$port.log" 2>&1 &
  extra_pids+=($!)
done
for port in "$redis_with" "$redis_replica"; do
  "${pin_server[@]}" redis-server --port "$port" --save '' --appendonly no --daemonize yes \
    --logfile "$work/redis-$port.log" >/dev/null
done
for port in "$sluice_with" "$sluice_replica" "$redis_with" "$redis_replica"; do wait_ping "$port"; done
redis-cli -p "$sluice_replica" replicaof 127.0.0.1 "$sluice_with" >/dev/null
redis-cli -p "$redis_replica" replicaof 127.0.0.1 "$redis_with" >/dev/null
for port in "$sluice_replica" "$redis_replica"; do
  until [ "$(info_field "$port" replication master_link_status)" = "up" ]; do sleep 0.2; done
done

# the replica's offset first, then its primary's: an upper bound of the lag (it includes the time
# between the two INFO calls)
behind() {
  local applied
  applied="$(info_field "$2" replication slave_repl_offset)"
  echo $(($(info_field "$1" replication master_repl_offset) - applied))
}

# samples the lag every 100 ms until the file $work/stop exists
sample_lag() {
  while [ ! -e "$work/stop" ]; do
    behind "$1" "$2" >>"$3"
    sleep 0.1
  done
}

run() { # target-name port test
  "${pin_client[@]}" redis-benchmark -p "$2" -c 50 -n "$requests" -r 1000000 -P 16 -t "$3" --csv 2>/dev/null |
    tail -n +2 | tr -d '"' | awk -F, -v t="$1" '{print t "," $1 "," $2 "," $7}'
}

# warm-up: JIT, and every keyspace filled alike
for port in "$sluice_port" "$sluice_with" "$redis_port" "$redis_with"; do
  "${pin_client[@]}" redis-benchmark -p "$port" -c 50 -n "$requests" -r 1000000 -P 16 -t set,get -q >/dev/null 2>&1
done
: >"$work/results.csv"
: >"$work/catchup.csv"
for round in $(seq 1 "$rounds"); do
  for pair in "sluice-alone:$sluice_port:" "sluice-replica:$sluice_with:$sluice_replica" \
    "redis-alone:$redis_port:" "redis-replica:$redis_with:$redis_replica"; do
    IFS=: read -r name port replica <<<"$pair"
    if [ -n "$replica" ]; then
      rm -f "$work/stop"
      sample_lag "$port" "$replica" "$work/lag-${name%%-*}.txt" &
      sampler=$!
    fi
    run "$name" "$port" set >>"$work/results.csv"
    if [ -n "$replica" ]; then
      touch "$work/stop"
      wait "$sampler"
      started=$(date +%s%N)
      until [ "$(behind "$port" "$replica")" -le 0 ]; do :; done
      echo "${name%%-*},$((($(date +%s%N) - started) / 1000000))" >>"$work/catchup.csv"
    fi
    run "$name" "$port" get >>"$work/results.csv"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
max() { sort -n | tail -1; }
figure() { grep "^$1,$2," "$work/results.csv" | cut -d, -f"$3" | median; }
echo "| test -P 16 | Sluice alone rps | Sluice + replica rps | ratio | Redis alone rps | Redis + replica rps | ratio | Sluice + replica ÷ Redis + replica | p99 ms Sluice + replica | p99 ms Redis + replica |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for test in SET GET; do
  sa=$(figure sluice-alone "$test" 3); sr=$(figure sluice-replica "$test" 3)
  ra=$(figure redis-alone "$test" 3); rr=$(figure redis-replica "$test" 3)
  awk -v t="$test" -v sa="$sa" -v sr="$sr" -v ra="$ra" -v rr="$rr" \
    -v sp="$(figure sluice-replica "$test" 4)" -v rp="$(figure redis-replica "$test" 4)" \
    'BEGIN {printf "| %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.2f | %.3f | %.3f |\n", t, sa, sr, sr / sa, ra, rr, rr / ra, sr / rr, sp, rp}'
done
echo
echo "| replication lag under the SET load | Sluice | Redis |"
echo "|---|---|---|"
echo "| bytes behind, median of 100 ms samples | $(median <"$work/lag-sluice.txt") | $(median <"$work/lag-redis.txt") |"
echo "| bytes behind, largest sample | $(max <"$work/lag-sluice.txt") | $(max <"$work/lag-redis.txt") |"
echo "| catch-up after the load, ms (median of rounds) | $(grep '^sluice,' "$work/catchup.csv" | cut -d, -f2 | median) | $(grep '^redis,' "$work/catchup.csv" | cut -d, -f2 | median) |"
echo
echo "redis-benchmark -c 50 -n $requests -r 1000000 -P 16 -t set / get, $rounds alternating rounds after a warm-up pass, medians; $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(redis-server --version | cut -d' ' -f1-3); servers on CPUs ${BENCH_SERVER_CPUS:-any}, redis-benchmark on CPUs ${BENCH_CLIENT_CPUS:-any}; load average before: $load"
