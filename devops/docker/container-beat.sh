#!/usr/bin/env bash
# APP_RUN_MODE=BEAT: the long-running process; Dockerflow on $PORT, SIGTERM drains it.
set -euo pipefail
# shellcheck source=devops/docker/common.sh
. "$(dirname "$0")/common.sh"
run_mode beat "$@"
