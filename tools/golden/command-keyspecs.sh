#!/usr/bin/env bash
# Records what a real redis-server answers about its commands, for CommandGoldenTest:
#
#   proxy/src/test/resources/golden/command-info.jsonl
#       one line per command and subcommand (sorted by name): COMMAND INFO's arity, flags,
#       first/last/step, ACL categories, tips, key specs and subcommand names, and COMMAND DOCS'
#       group and since. The first line names the redis-server that answered.
#   proxy/src/test/resources/golden/command-getkeys.jsonl
#       one line per invocation of tools/golden/getkeys-invocations.txt: its arguments and the
#       replies of COMMAND GETKEYS and COMMAND GETKEYSANDFLAGS ({"error": "..."} for an error).
#
# Usage: tools/golden/command-keyspecs.sh   (PORT=17001 by default; REDIS_SERVER / REDIS_CLI to
# use other binaries). Needs redis-server 7.0 (the reference; others are refused unless
# ALLOW_OTHER_VERSION=1), redis-cli and jq. The server is started on 127.0.0.1 without
# persistence, in a temporary directory, and stopped at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/proxy/src/test/resources/golden"
invocations="$here/getkeys-invocations.txt"
port="${PORT:-17001}"
server_bin="${REDIS_SERVER:-redis-server}"
cli_bin="${REDIS_CLI:-redis-cli}"

for tool in "$server_bin" "$cli_bin" jq; do
  command -v "$tool" >/dev/null || { echo "command-keyspecs: $tool not found" >&2; exit 1; }
done

version="$("$server_bin" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"
case "$version" in
  7.0.*) ;;
  *)
    if [ "${ALLOW_OTHER_VERSION:-0}" != 1 ]; then
      echo "command-keyspecs: redis-server $version; the reference is 7.0.x" >&2
      exit 1
    fi
    ;;
esac

work="$(mktemp -d)"
"$server_bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --daemonize no --logfile "$work/redis.log" &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cli() { "$cli_bin" -h 127.0.0.1 -p "$port" "$@"; }
for _ in $(seq 1 50); do
  [ "$(cli ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(cli ping)" = PONG ] || { echo "command-keyspecs: redis-server did not start" >&2; exit 1; }

mkdir -p "$out"

# ---- COMMAND INFO and COMMAND DOCS of every command and subcommand ----
cli --json COMMAND DOCS >"$work/docs.json"
{
  jq -cn --arg v "$version" '{source: ("redis-server " + $v), script: "tools/golden/command-keyspecs.sh"}'
  cli --json COMMAND INFO |
    jq -c --slurpfile docs "$work/docs.json" '
      ($docs[0] | [to_entries[] | ., (.value.subcommands // {} | to_entries[])]
        | map({key: .key, value: {group: .value.group, since: .value.since}}) | from_entries) as $d
      | .[] | ., .[9][]
      | {name: .[0], arity: .[1], flags: .[2], first_key: .[3], last_key: .[4], step: .[5],
         acl_categories: .[6], tips: .[7], key_specs: .[8], subcommands: [.[9][][0]],
         group: $d[.[0]].group, since: $d[.[0]].since}' |
    LC_ALL=C sort
} >"$out/command-info.jsonl"

# ---- COMMAND GETKEYS / GETKEYSANDFLAGS of each invocation ----
# A reply as JSON; an error reply (redis-cli --json prints error:"...") as {"error": "..."}.
reply_json() {
  local text
  text="$(cli --json "$@")"
  case "$text" in
    error:*) jq -cn --argjson e "${text#error:}" '{error: $e}' ;;
    *) jq -c . <<<"$text" ;;
  esac
}

{
  jq -cn --arg v "$version" '{source: ("redis-server " + $v), script: "tools/golden/command-keyspecs.sh"}'
  set -f # an argument such as weight_* is not a file pattern
  while IFS= read -r line; do
    case "$line" in '' | '#'*) continue ;; esac
    eval "args=($line)"
    keys="$(reply_json COMMAND GETKEYS "${args[@]}")"
    flags="$(reply_json COMMAND GETKEYSANDFLAGS "${args[@]}")"
    jq -cn --argjson keys "$keys" --argjson flags "$flags" '{args: $ARGS.positional,
      getkeys: $keys, getkeysandflags: $flags}' --args "${args[@]}"
  done <"$invocations"
} >"$out/command-getkeys.jsonl"

echo "command-keyspecs: redis-server $version: $(($(wc -l <"$out/command-info.jsonl") - 1)) commands," \
  "$(($(wc -l <"$out/command-getkeys.jsonl") - 1)) invocations, in ${out#"$root"/}" >&2
