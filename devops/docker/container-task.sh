#!/usr/bin/env bash
# APP_RUN_MODE=TASK: run-to-completion commands through the task-runner jar.
#   container-task.sh ARGS...   runs one command (the arguments given to the container)
#   container-task.sh           runs each ';'-separated command of APP_TASK_LIST in order and
#                               stops at the first that fails, exiting with its status
# Each command is split on whitespace into the task-runner's arguments (no shell quoting).
set -euo pipefail
# shellcheck source=devops/docker/common.sh
. "$(dirname "$0")/common.sh"

if [ "$#" -gt 0 ]; then
  run_mode task "$@"
fi

if [ -z "${APP_TASK_LIST//[[:space:];]/}" ]; then
  echo "APP_TASK_LIST: expected one or more ';'-separated commands (or arguments to the container) but it is empty" >&2
  exit 2
fi

jvm_flags task
launch_args task
export APP_RUN_MODE=TASK
child=0
# A stop while a command runs reaches that command's JVM; the list then stops with its status.
trap '[ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null' TERM INT

IFS=';' read -r -a commands <<<"$APP_TASK_LIST"
count=0
for command in "${commands[@]}"; do
  args=()
  read -r -a args <<<"$command"
  [ "${#args[@]}" -gt 0 ] || continue
  count=$((count + 1))
  echo "container-task: command $count: ${args[*]}" >&2
  java "${JVM_FLAGS[@]}" "${LAUNCH[@]}" "${args[@]}" &
  child=$!
  status=0
  wait "$child" || status=$?
  # wait returns early when a trapped signal arrives: collect the command's real status.
  while kill -0 "$child" 2>/dev/null; do
    wait "$child" || status=$?
  done
  child=0
  if [ "$status" -ne 0 ]; then
    echo "container-task: command $count failed with status $status: ${args[*]}" >&2
    exit "$status"
  fi
done
echo "container-task: $count command(s) succeeded" >&2
