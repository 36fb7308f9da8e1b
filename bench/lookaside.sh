#!/usr/bin/env bash
# Look-aside reads: miss latency (median, p99) of a mapped key answered from PostgreSQL beside a
# direct JDBC point query on the same table, and hit throughput of a mapped key beside a plain
# key, in one process and one run (bench/LookAsideBench.java, against the built sluice.jar).
#
#   bench/lookaside.sh [misses=5000] [hits=200000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/sluice" --version >/dev/null # builds the jar when needed
SLUICE_LOG_LEVEL=WARN java -cp "$here/proxy/target/sluice.jar" "$here/bench/LookAsideBench.java" "$@"
