#!/usr/bin/env bash
# The image's ENTRYPOINT. With the default CMD ("run") it starts the mode that APP_RUN_MODE names
# (default WEB) through container-{mode}.sh; any other command runs as given (e.g. bash), so the
# image can be debugged. exec all the way down: the JVM is PID 1's replacement and gets SIGTERM.
set -euo pipefail
bin=$(dirname "$0")
if [ "${1:-run}" != "run" ]; then
  exec "$@"
fi
shift || true
mode=${APP_RUN_MODE:-WEB}
case "$mode" in
  WEB) exec "$bin/container-web.sh" "$@" ;;
  WORKER) exec "$bin/container-worker.sh" "$@" ;;
  BEAT) exec "$bin/container-beat.sh" "$@" ;;
  TASK) exec "$bin/container-task.sh" "$@" ;;
  *)
    echo "APP_RUN_MODE: expected one of WEB, WORKER, BEAT, TASK but got '$mode'" >&2
    exit 2
    ;;
esac
