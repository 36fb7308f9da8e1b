#!/usr/bin/env bash
# Entry point of the Sluice image. The image listens on 0.0.0.0, which protected mode allows only
# with a password: when SLUICE_REQUIREPASS is not set at all, one is generated for this container
# and printed once. Set SLUICE_REQUIREPASS yourself to choose it, or set it to the empty string
# when the configuration file defines users: (or when you set SLUICE_PROTECTED_MODE=no).
set -euo pipefail
if [ -z "${SLUICE_REQUIREPASS+set}" ]; then
  SLUICE_REQUIREPASS="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export SLUICE_REQUIREPASS
  echo "sluice: no SLUICE_REQUIREPASS given; generated password for the default user: ${SLUICE_REQUIREPASS}" >&2
fi
exec java -XX:+UseZGC -Xms64m -Dio.netty.leakDetection.level=disabled -jar /opt/sluice/sluice.jar "$@"
