#!/usr/bin/env bash
# Data benchmark (issue 5), each pair measured in one run on this machine:
#  1. WEB hello page (GET /, a DB write and a session write per request, one visitor's cookie) and
#     the cached counter read (GET /api/hello): Redis sessions + Redis cache vs the embedded
#     defaults (in-memory sessions, Caffeine); requests/s and p99 with wrk.
# (An appdata throughput part named a program that was never committed: removed, see
# docs/performance.md.)
#
#   bench/data.sh     # DURATION=10s CONNECTIONS=50 THREADS=2 by default
#
# Needs the local Redis (127.0.0.1:6379; uses database 15 and flushes it). Prints a Markdown report
# and writes it to bench/results/data-<timestamp>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
PORT=${BENCH_PORT:-18180}
REDIS_DB=15

ensure_wrk
if ! { command -v redis-cli >/dev/null && redis-cli -n "$REDIS_DB" ping >/dev/null; }; then
  echo "bench/data.sh needs Redis on 127.0.0.1:6379 (redis-server --daemonize yes)" >&2
  exit 1
fi

./mvnw -B -q -ntp -DskipTests package -pl web-service -am
JAR=$(ls web-service/target/web-service-*.jar)
WORK=$(mktemp -d)
trap 'jobs -p | xargs -r kill 2>/dev/null; rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT"



# One configuration: start the jar with extra variables, measure / (with a session) and /api/hello.
measure() {
  local label=$1; shift
  env APP_DEBUG=true APP_DATA_DIR="$WORK/data-$label" PORT="$PORT" APP_MANAGEMENT_PORT=$((PORT + 1)) \
    APP_LOG_LEVEL=WARN "$@" java -jar "$JAR" >/dev/null 2>&1 &
  local pid=$!
  wait_ready
  local cookie
  cookie=$(curl -s -D - -o /dev/null "$URL/" | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {print $2}')
  local hello api
  hello=$(load -H "Cookie: $cookie" "$URL/")
  api=$(load "$URL/api/hello")
  kill -TERM "$pid"; wait "$pid" || true
  echo "$label $hello $api"
}

redis-cli -n "$REDIS_DB" flushdb >/dev/null
embedded=$(measure embedded)
redis=$(measure redis SESSION_REDIS_HOST=127.0.0.1 SESSION_REDIS_DB=$REDIS_DB \
  CACHE_REDIS_HOST=127.0.0.1 CACHE_REDIS_DB=$REDIS_DB)
redis-cli -n "$REDIS_DB" flushdb >/dev/null


report=$(
  echo "### Data: sessions and cache ($(date -u +%Y-%m-%d), $(nproc) CPUs, wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
  echo
  echo "| WEB, embedded H2 | GET / (session + counter write) req/s | p99 ms | GET /api/hello (cached read) req/s | p99 ms |"
  echo "| --- | --- | --- | --- | --- |"
  for line in "$embedded" "$redis"; do
    read -r label hrps hp99 arps ap99 <<<"$line"
    case $label in
      embedded) name="in-memory sessions, Caffeine cache";;
      redis) name="Redis sessions + Redis cache (local Redis)";;
    esac
    echo "| $name | $hrps | $hp99 | $arps | $ap99 |"
  done
)
echo "$report"
mkdir -p bench/results
echo "$report" > "bench/results/data-$(date -u +%Y%m%dT%H%M%S).md"
