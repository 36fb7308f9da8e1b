#!/usr/bin/env bash
# Fuzzes every Jazzer target in turn for DURATION each (default 5m) and prints, per target, the
# executions, the time and whether Jazzer found anything. Jazzer fuzzes one @FuzzTest per JVM, so
# each target is its own Maven run of the `fuzz` profile. A finding is written by Jazzer into the
# target's src/test/resources/.../<Class>Inputs/<method>/ directory, where it then runs as a
# regression test; its log stays in target/fuzz-logs/.
#
#   bench/fuzz.sh                 # all targets, 5 minutes each
#   DURATION=30s bench/fuzz.sh    # a quick pass
#   bench/fuzz.sh proxy:RespDecoderFuzzTest#decode_canonicalMultibulk_yieldsSameRequestsAndSameBytes
set -uo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5m}
TARGETS=(
  "proxy:RespDecoderFuzzTest#decode_anyBytes_sameFramesWholeOrChunkedAndReencodable"
  "proxy:RespDecoderFuzzTest#decode_canonicalMultibulk_yieldsSameRequestsAndSameBytes"
  "proxy:RespWriterFuzzTest#write_anyReplyTree_readsBackAsTheSameTree"
  "writeback:JournalReaderFuzzTest#recover_damagedSegment_neverReturnsBadRecordAndTellsTornTailFromCorruption"
  "proxy:IngestParsersFuzzTest#parse_anyBody_rowsOrPositionedErrorWhateverTheChunks"
  "proxy:IngestParsersFuzzTest#parse_csvFromConformingEncoder_yieldsSameRows"
  "proxy:IngestParsersFuzzTest#parse_ndjsonFromJackson_yieldsSameRows"
  "config:ConfigLoaderFuzzTest#loadText_anyYaml_configOrConfigException"
  "config:ConfigLoaderFuzzTest#loadText_oneSettingValue_agreesWithTheSettingsParser"
  "config:KeyTemplateFuzzTest#match_anyTemplateAndKey_agreesWithReferenceRegex"
)
if [ $# -gt 0 ]; then TARGETS=("$@"); fi
mkdir -p target/fuzz-logs
status=0
printf '%-100s %10s %8s %s\n' target executions seconds result
for target in "${TARGETS[@]}"; do
  module=${target%%:*}
  test=${target#*:}
  log="target/fuzz-logs/${test//[#]/.}.log"
  nice -n 10 ./mvnw -B -o -Pfuzz -pl "$module" -am verify -Dtest="$test" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
    -Dfuzz.duration="$DURATION" >"$log" 2>&1
  rc=$?
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  runs=$(echo "$done_line" | awk '{print $2}')
  secs=$(echo "$done_line" | awk '{print $5}')
  if [ $rc -eq 0 ] && [ -n "$done_line" ]; then
    result="no findings"
  else
    result="FINDING or failure (exit $rc), see $log"
    status=1
  fi
  printf '%-100s %10s %8s %s\n' "$target" "${runs:-?}" "${secs:-?}" "$result"
done
exit $status
