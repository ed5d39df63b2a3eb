#!/usr/bin/env bash
# aot-train.sh MODE...: the build's training run per mode. On a JDK 25+ runtime it starts the
# mode with -XX:AOTCacheOutput=$APP_HOME/aot/MODE.aot (JEP 514: one step; the cache holds the
# loaded and linked classes and the method profiles of JEP 515); on JDK 17-24 with
# -XX:ArchiveClassesAtExit=$APP_HOME/aot/MODE.jsa (a CDS archive). It waits until the mode
# answers /__lbheartbeat__ (200, or any answer once the server is up) or exits by itself, then
# exercises it and stops it with SIGTERM; the JVM writes the cache as it exits.
#   WEB     GET /, the Dockerflow endpoints, the notes list; POST a note and read it back.
#   WORKER  connected to TRAIN_RABBITMQ_HOST when set, consuming for TRAIN_SECONDS; without a
#   BEAT    broker both refuse to start, and the classes loaded until then still make a cache.
#   TASK    APP_TASK_LIST="migrate apply; check; config" (each starts the application context).
# Everything else runs on the embedded defaults (APP_DEBUG=true, H2). The flags are the same as
# at run time (common.sh), so the cache matches the runtime JVM.
set -euo pipefail
bin=$(dirname "$0")
# shellcheck source=devops/docker/common.sh
. "$bin/common.sh"
mkdir -p "$APP_HOME/aot"
# The training broker's password: the build secret train_rabbitmq_password, else guest.
train_password() {
  if [ -r /run/secrets/train_rabbitmq_password ]; then
    head -n 1 /run/secrets/train_rabbitmq_password
  else
    echo guest
  fi
}
work=$(mktemp -d)
port=18000
feature=$(java_feature)
if [ "${feature:-0}" -ge 25 ]; then ext=aot; else ext=jsa; fi

# request METHOD PATH [JSON]: one HTTP/1.0 request with bash alone (the image has no curl) to the
# mode's port; prints "status location".
request() {
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 2
    if [ -n "${4:-}" ]; then
      printf "%s %s HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s" \
        "$2" "$3" "${#4}" "$4" >&3
    else
      printf "%s %s HTTP/1.0\r\nHost: localhost\r\n\r\n" "$2" "$3" >&3
    fi
    IFS=" " read -r _ code _ <&3
    location=""
    while IFS= read -r line <&3; do
      line=${line%$'\''\r'\''}
      [ -z "$line" ] && break
      case "${line,,}" in location:*) location=${line#*: } ;; esac
    done
    cat <&3 >/dev/null
    printf "%s %s\n" "$code" "$location"
  ' _ "$port" "$@" 2>/dev/null || echo "000 "
}

for mode in "$@"; do
  port=$((port + 2))
  out="$APP_HOME/aot/$mode.$ext"
  rm -f "$APP_HOME/aot/$mode.aot" "$APP_HOME/aot/$mode.jsa"
  APP_AOT=false jvm_flags "$mode"
  launch_args "$mode"
  if [ "$ext" = aot ]; then train_flag="-XX:AOTCacheOutput=$out"; else train_flag="-XX:ArchiveClassesAtExit=$out"; fi
  env=(APP_RUN_MODE="${mode^^}" APP_DEBUG=true APP_DATA_DIR="$work/$mode" PORT="$port"
    APP_MANAGEMENT_PORT="$((port + 1))")
  [ "$mode" = task ] && env+=("APP_TASK_LIST=migrate apply; check; config")
  if [ -n "${TRAIN_RABBITMQ_HOST:-}" ] && { [ "$mode" = worker ] || [ "$mode" = beat ]; }; then
    env+=(RABBITMQ_HOST="$TRAIN_RABBITMQ_HOST" RABBITMQ_PORT="${TRAIN_RABBITMQ_PORT:-5672}"
      RABBITMQ_USERNAME="${TRAIN_RABBITMQ_USERNAME:-guest}" RABBITMQ_PASSWORD="$(train_password)")
  fi
  env "${env[@]}" java "${JVM_FLAGS[@]}" "$train_flag" "${LAUNCH[@]}" >"$work/$mode.log" 2>&1 &
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
  seen=""
  if [ -n "$answered" ]; then
    # What a probe, an operator and a client touch first, so their classes and profiles are in.
    for path in /__heartbeat__ /__version__ /; do
      read -r code _ < <(request GET "$path")
      seen+=" GET $path $code;"
    done
    if [ "$mode" = web ]; then
      read -r code location < <(request POST /api/notes '{"title":"training","body":"read me"}')
      seen+=" POST /api/notes $code;"
      for _ in 1 2 3 4 5; do
        read -r code _ < <(request GET "${location:-/api/notes/1}")
        read -r list _ < <(request GET '/api/notes?page=0&size=20')
      done
      seen+=" 5x GET ${location:-/api/notes/1} $code, /api/notes $list;"
    else
      # WORKER consumes and BEAT ticks for a while, so their loops are in the cache too.
      sleep "${TRAIN_SECONDS:-5}"
    fi
    kill -TERM "$pid" 2>/dev/null || true
  fi
  status=0
  wait "$pid" || status=$?
  if [ -s "$out" ]; then
    echo "aot-train: $mode: $out $(du -h "$out" | cut -f1) (JDK $feature, answered ${answered:-never},${seen} exit $status)"
  else
    echo "aot-train: $mode: nothing written to $out (JDK $feature, answered ${answered:-never}, exit $status); the mode starts without it" >&2
    tail -n 20 "$work/$mode.log" >&2
  fi
done
rm -rf "$work"
