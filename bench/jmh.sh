#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the hot paths (bench/jmh): RESP decode and encode
# (RespBench), keyspace get/set over 1,000,000 keys (KeyspaceBench), journal append
# (JournalBench). Arguments go to JMH, e.g. a benchmark pattern and options:
#
#   bench/jmh.sh                      # all of them
#   bench/jmh.sh RespBench -f 1 -i 3  # one class, fewer iterations
#   bench/jmh.sh -h                   # JMH's own help
#
# `./mvnw verify` compiles the benchmarks but does not run them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
./mvnw -q -B -DskipTests -pl bench/jmh -am package
./mvnw -q -B -pl bench/jmh -am dependency:build-classpath -Dmdep.outputFile="$here/bench/jmh/target/classpath.txt" >/dev/null
# build-classpath names the Sluice modules' jars in the local Maven repository, which hold whatever
# was last installed: this tree's classes go first so the benchmarks measure this tree's code
own=""
for module in proxy writeback migrations config; do
  own="$own$here/$module/target/classes:"
done
exec java -cp "$here/bench/jmh/target/classes:$own$(cat "$here/bench/jmh/target/classpath.txt")" org.openjdk.jmh.Main "$@"
