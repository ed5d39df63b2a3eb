#!/usr/bin/env bash
# http-probe.sh [PATH] [PORT]: GET http://127.0.0.1:PORT/PATH (default /__lbheartbeat__ on $PORT,
# else 8000) with bash alone - the image needs no curl. Prints the status code; exit 0 on 200,
# 1 on another status, 2 when nothing answers. Used by the build's training runs and as the
# container health check (compose, orchestrators).
set -uo pipefail
path=${1:-/__lbheartbeat__}
port=${2:-${PORT:-8000}}
# shellcheck disable=SC2016 # the inner script expands its own arguments
status=$(timeout "${PROBE_TIMEOUT:-3}" bash -c '
  exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 2
  printf "GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" >&3
  IFS=" " read -r _ code _ <&3 && printf "%s" "$code"
' _ "$port" "$path" 2>/dev/null) || { echo "no answer on port $port" >&2; exit 2; }
echo "$status"
[ "$status" = "200" ]
