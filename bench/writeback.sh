#!/usr/bin/env bash
# Write-back ingest: N rows (default 1,000,000) through pipelined XADD with durable
# acknowledgements into an append mapping, timed until committed in PostgreSQL, beside psql \copy
# of the same rows and beside single-row autocommit INSERTs (a sample), in alternating rounds
# against one embedded PostgreSQL after warm-up ingests (bench/WriteBackBench.java, against the
# built sluice.jar); reports each round, the medians, the PostgreSQL commits the ingest caused and
# the CPU by thread.
#
#   bench/writeback.sh [rows=1000000] [single-row sample=20000] [connections=4] [window=2000]
#                      [warm-up ingests=4] [rounds=3] [writeback.max-batch-rows=Sluice's default]
#   BENCH_ACK=replica bench/writeback.sh
#     the same with a replica in the process and writeback.ack: replica (acknowledged once the
#     replica has journaled each row too)
#   BENCH_JAVA_OPTS=-XX:StartFlightRecording:filename=/tmp/xadd.jfr,settings=profile bench/writeback.sh
#     records a profile; `java bench/JfrTop.java /tmp/xadd.jfr sluice-io <from> <to>` cuts it to
#     the median round's ingest (the times printed)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v psql >/dev/null; then
  echo "installing psql (Debian package postgresql-client)..." >&2
  apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null
fi
"$here/sluice" --version >/dev/null # builds the jar when needed
# No Netty leak detection, as the ./sluice launcher (it samples buffers with a stack trace each).
# G1, not the launcher's ZGC: for this allocation-heavy ingest ZGC costs about a quarter of the
# rate (bench/RESULTS.md); a collector named in BENCH_JAVA_OPTS replaces it.
gc=(-XX:+UseG1GC)
[[ "${BENCH_JAVA_OPTS:-}" == *-XX:+Use*GC* ]] && gc=()
SLUICE_LOG_LEVEL=WARN java "${gc[@]}" -Xms64m -Dio.netty.leakDetection.level=disabled ${BENCH_JAVA_OPTS:-} -cp "$here/proxy/target/sluice.jar" "$here/bench/WriteBackBench.java" "$@"
