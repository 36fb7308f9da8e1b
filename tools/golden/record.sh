#!/usr/bin/env bash
# Regenerates a golden file of redis-server's replies: starts a throw-away redis-server on a free
# port, runs proxy/src/test/resources/golden/NAME.cases.json through record-replies.py and writes
# NAME.json beside it. Installs Debian's redis-server when it is missing (needs root).
#
#   tools/golden/record.sh lua-sandbox
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
name="${1:?usage: tools/golden/record.sh NAME (a file proxy/src/test/resources/golden/NAME.cases.json)}"
golden="$here/proxy/src/test/resources/golden"
command -v redis-server >/dev/null || { apt-get update && apt-get install -y redis-server redis-tools; }
port="${REDIS_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
dir="$(mktemp -d)"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --daemonize yes \
  --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
python3 "$here/tools/golden/record-replies.py" --port "$port" "$golden/$name.cases.json" "$golden/$name.json"
echo "wrote $golden/$name.json ($(redis-server --version | cut -d' ' -f1-3))"
