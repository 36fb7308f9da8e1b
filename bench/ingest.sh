#!/usr/bin/env bash
# HTTP batch ingest: a CSV file of N rows (default 1,000,000) streamed by `sluice ingest FILE
# --mapping bench_events --http-url …` to a Sluice with an append mapping, timed until committed
# in PostgreSQL, beside psql \copy of the same file into the same kind of table, in one run
# against one embedded PostgreSQL (bench/IngestBench.java, against the built sluice.jar).
#
#   bench/ingest.sh [rows=1000000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v psql >/dev/null; then
  echo "installing psql (Debian package postgresql-client)..." >&2
  apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null
fi
"$here/sluice" --version >/dev/null # builds the jar when needed
SLUICE_LOG_LEVEL=WARN java -cp "$here/proxy/target/sluice.jar" "$here/bench/IngestBench.java" \
  "${1:-1000000}" "$here/proxy/target/sluice.jar"
