#!/usr/bin/env bash
# cds-train.sh MODE...: the build's training run per mode. Starts the mode on its embedded
# defaults with -XX:ArchiveClassesAtExit, waits until it answers /__lbheartbeat__ (200, or any
# answer once the server is up) or exits by itself (TASK completes; WORKER and BEAT may refuse to
# start without a broker - the classes loaded until then still make a useful archive; TASK runs
# "migrate apply; check; config"), then
# stops it with SIGTERM; the JVM writes $APP_HOME/cds/MODE.jsa as it exits. The flags are the
# same as at run time (common.sh), so the archive matches the runtime JVM.
set -euo pipefail
bin=$(dirname "$0")
# shellcheck source=devops/docker/common.sh
. "$bin/common.sh"
mkdir -p "$APP_HOME/cds"
work=$(mktemp -d)
port=18000
for mode in "$@"; do
  port=$((port + 2))
  rm -f "$APP_HOME/cds/$mode.jsa"
  APP_CDS=false jvm_flags "$mode"
  launch_args "$mode"
  # TASK trains on the commands an operator runs most; each starts the application context
  # (config alone would start none, and no command at all only prints the usage).
  task_list=""
  [ "$mode" = task ] && task_list="migrate apply; check; config"
  APP_TASK_LIST=$task_list APP_RUN_MODE=${mode^^} APP_DEBUG=true APP_DATA_DIR="$work/$mode" \
    PORT=$port APP_MANAGEMENT_PORT=$((port + 1)) \
    java "${JVM_FLAGS[@]}" "-XX:ArchiveClassesAtExit=$APP_HOME/cds/$mode.jsa" \
    "${LAUNCH[@]}" >"$work/$mode.log" 2>&1 &
  pid=$!
  answered=""
  for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || break
    if code=$(PROBE_TIMEOUT=1 "$bin/http-probe.sh" /__lbheartbeat__ "$port" 2>/dev/null) || [ -n "$code" ]; then
      answered=$code
      break
    fi
    sleep 0.1
  done
  if [ -n "$answered" ]; then
    # Exercise what a probe and an operator touch first, so their classes are archived too.
    for path in /__heartbeat__ /__version__ /; do
      "$bin/http-probe.sh" "$path" "$port" >/dev/null 2>&1 || true
    done
    kill -TERM "$pid" 2>/dev/null || true
  fi
  status=0
  wait "$pid" || status=$?
  if [ -s "$APP_HOME/cds/$mode.jsa" ]; then
    echo "cds-train: $mode: archive $(du -h "$APP_HOME/cds/$mode.jsa" | cut -f1) (answered ${answered:-never}, exit $status)"
  else
    echo "cds-train: $mode: no archive written (answered ${answered:-never}, exit $status); the mode starts without one" >&2
    tail -n 20 "$work/$mode.log" >&2
  fi
done
rm -rf "$work"
