#!/usr/bin/env bash
# Micronaut's development mode, as a developer meets it: `./mvnw -pl web-service mn:run` starts
# WEB on its embedded defaults, serves the Dockerflow heartbeat and Swagger UI, and restarts
# when a source file under src/main changes. mn:run on one module takes the modules it depends on
# from ~/.m2, so they are installed first (CI runs this after bin/test: compiled, only packaged).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q install -DskipTests -pl web-service -am

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
source_file=web-service/src/main/java/dev/plinth/web/Application.java
cp "$source_file" "$work/Application.java"
cleanup() {
  # Maven first: restoring the source while it watches would start the application once more.
  if [ -n "${pid:-}" ]; then kill -- -"$pid" 2>/dev/null || true; fi
  # The application mn:run restarted is not in Maven's process group: stop whatever holds the port.
  for app in $(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    kill "$app" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  cp "$work/Application.java" "$source_file"
  rm -rf "$work"
}
trap cleanup EXIT

# Its own process group, so that the forked application goes with Maven.
set -m
APP_DEBUG=true PORT=$port APP_MANAGEMENT_PORT=$((port + 1)) APP_DATA_DIR="$work/data" \
  ./mvnw -B -ntp -q -pl web-service mn:run >"$work/mn.log" 2>&1 &
pid=$!
set +m

wait_for() { # url, seconds: until it answers 200
  for _ in $(seq 1 "$2"); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 1
  done
  echo "mn:run: $1 did not answer 200 within $2 s" >&2
  tail -20 "$work/mn.log" >&2
  return 1
}
started() { grep -c 'plinth.started' "$work/mn.log" || true; }

wait_for "http://127.0.0.1:$port/__lbheartbeat__" 120
wait_for "http://127.0.0.1:$port/swagger-ui/index.html" 5
[ "$(started)" = 1 ]

# A change under src/main: recompiled and restarted.
echo "// mn-run-check" >>"$source_file"
for _ in $(seq 1 90); do
  [ "$(started)" -ge 2 ] && break
  sleep 1
done
if [ "$(started)" -lt 2 ]; then
  echo "mn:run: no restart within 90 s of a source change" >&2
  tail -20 "$work/mn.log" >&2
  exit 1
fi
wait_for "http://127.0.0.1:$port/__lbheartbeat__" 60
echo "mn:run: WEB started, served Swagger UI, restarted on a source change"
