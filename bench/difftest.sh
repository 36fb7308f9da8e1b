#!/usr/bin/env bash
# Runs the differential tester (tools/golden/difftest.py) against the installed redis-server and a
# plain Sluice (no mappings) on this machine: every family, COMMANDS generated commands each (half
# the cases under RESP3), for each seed from FIRST_SEED upwards until SEEDS seeds ran or the time
# runs out. Prints each family's count of mismatches and the first few; exits 1 when any was found.
#
#   bench/difftest.sh [commands=100000] [seeds=1] [first-seed=1] [families=all]
#   DURATION=2h bench/difftest.sh 100000 1000000 1   # as long as you like
#
# Ports: SLUICE_PORT (default 16379), REDIS_PORT (default 16380). Builds Sluice when needed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
commands="${1:-100000}"
seeds="${2:-1}"
first="${3:-1}"
families="${4:-$(python3 "$here/tools/golden/difftest.py" families)}"
sluice_port="${SLUICE_PORT:-16379}"
redis_port="${REDIS_PORT:-16380}"
work="$(mktemp -d)"
deadline=$(( $(date +%s) + $(python3 -c "import re,sys; m=re.fullmatch(r'(\d+)([smhd]?)', sys.argv[1]); print(int(m[1]) * {'': 1, 's': 1, 'm': 60, 'h': 3600, 'd': 86400}[m[2]])" "${DURATION:-100d}") ))

# shellcheck source=bench/lib.sh
. "$here/bench/lib.sh"
start_servers

failed=0
for seed in $(seq "$first" $((first + seeds - 1))); do
  for family in ${families//,/ }; do
    [ "$(date +%s)" -lt "$deadline" ] || break 2
    python3 "$here/tools/golden/difftest.py" live "$family" "$redis_port" "$sluice_port" \
      --seed "$seed" --count "$commands" --resp3 --show 3 || failed=1
  done
done
echo "$(redis-server --version | cut -d' ' -f1-3) against Sluice; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
