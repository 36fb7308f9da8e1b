#!/usr/bin/env bash
# Shared by the benchmark scripts: installs the reference tools, starts Sluice and redis-server
# side by side, and turns alternating-round results into a table of medians and ratios.
# Source it after setting: here (repo root), sluice_port, redis_port, work (a temp dir).

# A field of INFO on a port: info_field <port> <section> <field>
info_field() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f {print $2}'; }

ensure_redis_tools() {
  if ! command -v redis-benchmark >/dev/null || ! command -v redis-server >/dev/null; then
    echo "installing redis-server and redis-tools (Debian packages)..." >&2
    apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null
  fi
}

stop_servers() {
  [ -n "${sluice_pid:-}" ] && kill "$sluice_pid" 2>/dev/null || true
  [ -n "${baseline_pid:-}" ] && kill "$baseline_pid" 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}

wait_ping() {
  for _ in $(seq 1 600); do
    [ "$(redis-cli -p "$1" ping 2>/dev/null)" = "PONG" ] && return 0
    sleep 0.1
  done
  echo "server on port $1 did not answer PING" >&2
  exit 1
}

# Starts Sluice as plain Redis (a configuration without mappings, so no PostgreSQL: without
# --config Sluice runs the demo, which starts an embedded PostgreSQL beside it) and redis-server
# without persistence; stops both when the script exits.
#
# With BASELINE_JAR set (a sluice.jar of an earlier build, e.g. copied from proxy/target before a
# change), that build runs too, on BASELINE_PORT (default: Sluice's port + 10) with the
# launcher's JVM flags, so that a change is measured beside the build before it in one run.
# $targets lists what the rounds go over; port_of gives each one's port.
#
# BENCH_SERVER_CPUS and BENCH_CLIENT_CPUS (taskset CPU lists, e.g. 1 and 0) pin every server to
# the first and the load generator (redis-benchmark, through $pin_client) to the second, so that
# they do not take each other's core in turns: on 2 cores that is most of the spread between runs.
pin_server=()
pin_client=()
[ -z "${BENCH_SERVER_CPUS:-}" ] || pin_server=(taskset -c "$BENCH_SERVER_CPUS")
[ -z "${BENCH_CLIENT_CPUS:-}" ] || pin_client=(taskset -c "$BENCH_CLIENT_CPUS")

start_servers() {
  ensure_redis_tools
  trap stop_servers EXIT
  # no save points, as redis-server runs here (--save ''), and no dump.rdb in the checkout
  printf '# plain Redis: no mappings, no RDB file\nsave: ""\ndir: %s\n' "$work" >"$work/plain.yaml"
  "${pin_server[@]}" "$here/sluice" serve --config "$work/plain.yaml" --port "$sluice_port" >"$work/sluice.log" 2>&1 &
  sluice_pid=$!
  targets="sluice redis"
  baseline_port="${BASELINE_PORT:-$((sluice_port + 10))}"
  if [ -n "${BASELINE_JAR:-}" ]; then
    # builds before the RDB file know neither save nor dir, and write no file
    printf '# plain Redis: no mappings\n' >"$work/baseline.yaml"
    # shellcheck disable=SC2086
    "${pin_server[@]}" java ${SLUICE_JAVA_OPTS:--XX:+UseZGC -Xms64m -Dio.netty.leakDetection.level=disabled} \
      -jar "$BASELINE_JAR" serve --config "$work/baseline.yaml" --port "$baseline_port" \
      >"$work/baseline.log" 2>&1 &
    baseline_pid=$!
    targets="sluice baseline redis"
  fi
  "${pin_server[@]}" redis-server --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --logfile "$work/redis.log" >/dev/null
  wait_ping "$sluice_port"
  wait_ping "$redis_port"
  [ -z "${BASELINE_JAR:-}" ] || wait_ping "$baseline_port"
}

port_of() {
  case "$1" in
    sluice) echo "$sluice_port" ;;
    baseline) echo "$baseline_port" ;;
    *) echo "$redis_port" ;;
  esac
}

# The same "target,pipeline,test,rps,p50,p99" lines as medians_table: this build against the
# baseline build (BASELINE_JAR), medians and ratios. Prints nothing without baseline rows.
baseline_table() {
  grep -q '^baseline,' "$2" || return 0
  echo
  echo "This build against the baseline ($BASELINE_JAR):"
  echo
  grep -v '^redis,' "$2" | sed 's/^baseline,/redis,/' | medians_table "$1" |
    sed '1s/Redis rps/baseline rps/; 1s/Redis p50/baseline p50/; 1s/Redis p99/baseline p99/'
}

# Reads "target,pipeline,test,rps,p50,p99" lines (target sluice or redis) on stdin and prints a
# Markdown table of medians per test and pipeline with the Sluice/Redis ratios.
medians_table() {
  echo "| $1 | pipeline | Sluice rps | Redis rps | rps ratio | Sluice p50 ms | Redis p50 ms | Sluice p99 ms | Redis p99 ms | p99 ratio |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  grep -v '^baseline,' | sort -t, -k3,3 -k2,2n | awk -F, '
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
}
