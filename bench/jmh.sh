#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the hot paths (bench/jmh): RESP decode and encode
# (RespBench), keyspace get/set over 1,000,000 keys (KeyspaceBench), the keyspace under N threads
# with one lock or striped locks (KeyspaceScalingBench, run with -t 1, 2, 4, 8), a sorted set of
# 1,000,000 members rescored and ranked (ZSetBench), journal append
# (JournalBench), and a connection's whole dispatch path for a burst of 16 pipelined commands of
# each redis-benchmark test, sockets aside (DispatchBench). Arguments go to JMH, e.g. a benchmark
# pattern and options:
#
#   bench/jmh.sh                      # all of them
#   bench/jmh.sh RespBench -f 1 -i 3  # one class, fewer iterations
#   bench/jmh.sh -h                   # JMH's own help
#
# `./mvnw verify` compiles the benchmarks but does not run them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# in one reactor run, so that the Sluice modules resolve to this tree's jars without `mvn install`
./mvnw -q -B -DskipTests -pl bench/jmh -am package dependency:build-classpath \
  -Dmdep.outputFile="$here/bench/jmh/target/classpath.txt"
# this tree's classes go first in any case, so the benchmarks measure this tree's code
own=""
for module in proxy writeback migrations config; do
  own="$own$here/$module/target/classes:"
done
exec java -cp "$here/bench/jmh/target/classes:$own$(cat "$here/bench/jmh/target/classpath.txt")" org.openjdk.jmh.Main "$@"
