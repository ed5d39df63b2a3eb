#!/usr/bin/env bash
# WEB benchmark (issue 3): time from process start to the first 200 of /__lbheartbeat__ (plain,
# with a JDK 17 class-data-sharing archive, and with the JDK 25 AOT cache when that JDK is present),
# RSS, and requests/s + p99 of /__lbheartbeat__ and of the API's read endpoint with wrk - each
# beside a raw Netty baseline measured in the same run. Embedded defaults, mozlog on (to /dev/null).
# Then the API read with a bearer token and a rate limit on, beside the same read anonymous with
# both off (issue 20's 80% target), alternated in one run. Then, when the local PostgreSQL answers,
# the note read on PostgreSQL beside Flask + gunicorn + psycopg2 and raw Netty + HikariCP (issue 21).
# Start-up is also measured for the bare Micronaut application (bench/baseline/micronaut-hello: what
# `mn create-app` gives, one controller, same parent and JVMs): the framework's own floor here.
#
#   bench/web.sh            # RUNS=5 DURATION=10s CONNECTIONS=50 THREADS=2 by default
#
# Prints a Markdown report and writes it to bench/results/web-<timestamp>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
PORT=${BENCH_PORT:-18080}
JDK25=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

ensure_wrk

./mvnw -B -q -ntp -DskipTests package -pl web-service -am
./mvnw -B -q -ntp -f bench/baseline/micronaut-hello/pom.xml package
HELLO_CP="bench/baseline/micronaut-hello/target/micronaut-hello-0.jar:bench/baseline/micronaut-hello/target/lib/*"
JAR=$(ls web-service/target/web-service-*.jar)
LIB=web-service/target/lib
WORK=$(mktemp -d)
trap 'jobs -p | xargs -r kill 2>/dev/null; rm -rf "$WORK"' EXIT

export APP_DEBUG=true APP_DATA_DIR="$WORK/data" PORT
export APP_MANAGEMENT_PORT=$((PORT + 1))
URL="http://127.0.0.1:$PORT"

javac -nowarn -d "$WORK/baseline" -cp "$LIB/*" bench/baseline/NettyHello.java \
  bench/baseline/NettyJdbc.java


# A training run of the real mode: start, serve the endpoints a probe and a client would, stop.
train() {
  "$@" >/dev/null 2>&1 &
  local pid=$!
  wait_ready
  for path in /__lbheartbeat__ /__heartbeat__ /__version__ / /api/notes; do
    curl -s -o /dev/null "$URL$path" || true
  done
  curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"title":"bench","body":"x"}' \
    "$URL/api/notes" || true
  kill -TERM "$pid"
  wait "$pid" || true
}

# The first start migrates the database; every measured start then finds it migrated.
train java -XX:ArchiveClassesAtExit="$WORK/web.jsa" -jar "$JAR"
train java -XX:ArchiveClassesAtExit="$WORK/hello.jsa" -cp "$HELLO_CP" hello.Application
have25=false
if [ -x "$JDK25/bin/java" ]; then
  have25=true
  train "$JDK25/bin/java" -XX:AOTCacheOutput="$WORK/web.aot" -jar "$JAR"
  train "$JDK25/bin/java" -XX:AOTCacheOutput="$WORK/hello.aot" -cp "$HELLO_CP" hello.Application
fi

ready() { python3 bench/lib/ready.py --url "$URL/__lbheartbeat__" --runs "$RUNS" -- "$@"; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

base_ready=$(ready java -cp "$WORK/baseline:$LIB/*" NettyHello)
hello_plain=$(ready java -cp "$HELLO_CP" hello.Application)
hello_cds=$(ready java -XX:SharedArchiveFile="$WORK/hello.jsa" -Xshare:auto -cp "$HELLO_CP" hello.Application)
web_plain=$(ready java -jar "$JAR")
web_cds=$(ready java -XX:SharedArchiveFile="$WORK/web.jsa" -Xshare:auto -jar "$JAR")
if $have25; then
  web_25=$(ready "$JDK25/bin/java" -jar "$JAR")
  web_aot=$(ready "$JDK25/bin/java" -XX:AOTCache="$WORK/web.aot" -jar "$JAR")
  hello_aot=$(ready "$JDK25/bin/java" -XX:AOTCache="$WORK/hello.aot" -cp "$HELLO_CP" hello.Application)
fi


# The baseline is measured before and after the WEB runs; ratios are against the mean of the two.
baseline_load() {
  java -cp "$WORK/baseline:$LIB/*" NettyHello >/dev/null 2>&1 &
  local pid=$!
  wait_ready
  load "$URL/__lbheartbeat__"
  kill -TERM "$pid"; wait "$pid" || true
}
read -r base_rps base_p99 < <(baseline_load)

java -XX:SharedArchiveFile="$WORK/web.jsa" -jar "$JAR" >/dev/null 2>&1 &
pid=$!
wait_ready
note=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"title":"bench","body":"read me"}' "$URL/api/notes" | awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
read -r lb_rps lb_p99 < <(load "$URL/__lbheartbeat__")
read -r api_rps api_p99 < <(load "$URL${note:-/api/notes/1}")
kill -TERM "$pid"; wait "$pid" || true

# The same probe through Micronaut's route and filters (the handler in the pipeline switched off).
PLINTH_DOCKERFLOW_LBHEARTBEAT_IN_PIPELINE=false \
  java -XX:SharedArchiveFile="$WORK/web.jsa" -jar "$JAR" >/dev/null 2>&1 &
pid=$!
wait_ready
read -r route_rps route_p99 < <(load "$URL/__lbheartbeat__")
kill -TERM "$pid"; wait "$pid" || true

# Authentication and rate limiting (issue 20): the same note read anonymously with both off, and
# with a bearer token against APP_JWT_SECRET (reads need one) and a route group on /api/** whose
# limit is never reached, in memory and (when the local Redis answers) shared through it.
# Alternated off/on AUTH_ROUNDS times (AUTH_DURATION each after AUTH_WARMUP) so that the machine's
# drift hits both alike; the ratio reported is the median of each round's on/off ratio. The warm-up
# is long: with wrk on the same two cores C2 is still compiling the read path 6 s in (the anonymous
# read measured 9-11k req/s after 6 s, 29-31k after 15 s).
AUTH_ROUNDS=${AUTH_ROUNDS:-5}
SECRET=bench-secret-of-at-least-32-characters-long
TOKEN=$(python3 - "$SECRET" <<'PY'
import base64, hashlib, hmac, json, sys, time
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b64(json.dumps({"sub": "bench", "iat": int(time.time()), "exp": int(time.time()) + 86400}).encode())
sig = b64(hmac.new(sys.argv[1].encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
print(f"{head}.{body}.{sig}")
PY
)
auth_load() { # mode (off|memory|redis): prints "rps p99"
  local mode=$1
  local -a env=()
  if [ "$mode" != off ]; then
    env=(APP_JWT_SECRET="$SECRET" PLINTH_WEB_RATELIMITS_API_PATHS='/api/**'
      PLINTH_WEB_RATELIMITS_API_LIMIT=100000000/s)
    [ "$mode" = redis ] && env+=(CACHE_REDIS_HOST=127.0.0.1 CACHE_REDIS_DB=15)
  fi
  env "${env[@]}" java -XX:SharedArchiveFile="$WORK/web.jsa" -jar "$JAR" >/dev/null 2>&1 &
  local pid=$!
  wait_ready
  if [ "$mode" = off ]; then
    DURATION=${AUTH_DURATION:-8s} WARMUP=${AUTH_WARMUP:-15s} load "$URL${note:-/api/notes/1}"
  else
    DURATION=${AUTH_DURATION:-8s} WARMUP=${AUTH_WARMUP:-15s} \
      load "$URL${note:-/api/notes/1}" -H "Authorization: Bearer $TOKEN"
  fi
  kill -TERM "$pid"; wait "$pid" || true
}
auth_modes=(off memory)
if (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then auth_modes+=(redis); fi
declare -A auth_rps auth_p99 auth_ratio
for _ in $(seq 1 "$AUTH_ROUNDS"); do
  for mode in "${auth_modes[@]}"; do
    read -r r p < <(auth_load "$mode")
    [ "$mode" = off ] && round_off=$r
    auth_rps[$mode]="${auth_rps[$mode]:-} $r"
    auth_p99[$mode]="${auth_p99[$mode]:-} $p"
    auth_ratio[$mode]="${auth_ratio[$mode]:-} $(python3 -c "print(f'{$r/$round_off:.2f}')")"
  done
done
# The read path on PostgreSQL (issue 21): the same note read by WEB as it ships (the notes cache
# answers), by WEB with its caches emptied at once (PLINTH_CACHE_MAXIMUM_SIZE=0: a query per read),
# by Flask + gunicorn (2 sync workers) + psycopg2 (Debian's packages), and by raw Netty + HikariCP
# + the same query (bench/baseline/NettyJdbc.java: the physical limit), one after the other.
PG_DB=plinth_bench
pg_rows=()
if psql -h 127.0.0.1 -U postgres -qc 'SELECT 1' >/dev/null 2>&1; then
  { /usr/bin/python3 -c 'import flask, psycopg2' 2>/dev/null && [ -x /usr/bin/gunicorn ]; } ||
    apt-get install -y -q python3-flask gunicorn python3-psycopg2 >/dev/null
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB"
  pg_env=(DATABASE_HOST=127.0.0.1 DATABASE_NAME="$PG_DB")
  pg_load() { # label COMMAND...: starts COMMAND, loads the note, prints "label|rps|p99"
    local label=$1
    shift
    env "${pg_env[@]}" "$@" >/dev/null 2>&1 &
    local pid=$!
    wait_ready
    read -r r p < <(load "$URL$pg_note")
    kill -TERM "$pid"; wait "$pid" || true
    echo "$label|$r|$p"
  }
  env "${pg_env[@]}" java -XX:SharedArchiveFile="$WORK/web.jsa" -jar "$JAR" >/dev/null 2>&1 &
  pid=$!
  wait_ready
  pg_note=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"title":"bench","body":"read me"}' "$URL/api/notes" | awk 'tolower($1)=="location:" {print $2}' | tr -d '\r')
  kill -TERM "$pid"; wait "$pid" || true
  pg_rows+=("$(pg_load "WEB, as it ships (the notes cache answers)" java -XX:SharedArchiveFile="$WORK/web.jsa" -jar "$JAR")")
  pg_rows+=("$(PLINTH_CACHE_MAXIMUM_SIZE=0 pg_load "WEB, caches off (a query per read)" java -XX:SharedArchiveFile="$WORK/web.jsa" -jar "$JAR")")
  pg_rows+=("$(cd bench/baseline && pg_load "Flask + gunicorn -w 2 (sync) + psycopg2" /usr/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" flask_notes:app)")
  pg_rows+=("$(pg_load "raw Netty + HikariCP + the same query" java -cp "$WORK/baseline:$LIB/*" NettyJdbc)")
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
fi
median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1].split()):g}')" "$1"; }

read -r base2_rps base2_p99 < <(baseline_load)
base_mean=$(( (base_rps + base2_rps) / 2 ))

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
mkdir -p bench/results
report="bench/results/web-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "### WEB, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
  echo
  echo "Command: \`RUNS=$RUNS DURATION=$DURATION CONNECTIONS=$CONNECTIONS bench/web.sh\`"
  echo
  echo "| start-up ($RUNS runs) | median first 200 (ms) | runs (ms) | median CPU at ready (ms) | median RSS (MB) |"
  echo "| --- | --- | --- | --- | --- |"
  row() { echo "| $1 | $(field "$2" median_ready_ms) | $(field "$2" ready_ms) | $(field "$2" median_cpu_ms) | $(field "$2" median_rss_mb) |"; }
  row "raw Netty baseline" "$base_ready"
  row "bare Micronaut app, JDK 17 plain" "$hello_plain"
  row "bare Micronaut app, JDK 17 + CDS archive" "$hello_cds"
  $have25 && row "bare Micronaut app, JDK 25 + AOT cache" "$hello_aot"
  row "WEB, JDK 17 plain" "$web_plain"
  row "WEB, JDK 17 + CDS archive" "$web_cds"
  if $have25; then
    row "WEB, JDK 25 plain" "$web_25"
    row "WEB, JDK 25 + AOT cache" "$web_aot"
  fi
  echo
  echo "| wrk -t$THREADS -c$CONNECTIONS -d$DURATION | req/s | p99 (ms) | vs baseline |"
  echo "| --- | --- | --- | --- |"
  echo "| raw Netty baseline \`/__lbheartbeat__\`, before / after | $base_rps / $base2_rps | $base_p99 / $base2_p99 | 1.00 (mean $base_mean) |"
  echo "| WEB \`/__lbheartbeat__\`, in the pipeline (request.summary on) | $lb_rps | $lb_p99 | $(ratio "$lb_rps" "$base_mean") |"
  echo "| WEB \`/__lbheartbeat__\`, through the route (request.summary on) | $route_rps | $route_p99 | $(ratio "$route_rps" "$base_mean") |"
  echo "| WEB \`GET ${note:-/api/notes/1}\` | $api_rps | $api_p99 | $(ratio "$api_rps" "$base_mean") |"
  echo
  echo "| \`GET ${note:-/api/notes/1}\`, $AUTH_ROUNDS alternating rounds | req/s, median (runs) | p99 ms, median (runs) | vs anonymous, median of the rounds (rounds) |"
  echo "| --- | --- | --- | --- |"
  label() { case $1 in off) echo "anonymous, authentication and rate limits off" ;;
    memory) echo "bearer token + rate limit group on \`/api/**\`, buckets in memory" ;;
    redis) echo "bearer token + rate limit group on \`/api/**\`, buckets in the local Redis" ;; esac; }
  for mode in "${auth_modes[@]}"; do
    m=$(median "${auth_rps[$mode]}")
    echo "| $(label "$mode") | $m (${auth_rps[$mode]# }) | $(median "${auth_p99[$mode]}") (${auth_p99[$mode]# }) | $(median "${auth_ratio[$mode]}") (${auth_ratio[$mode]# }) |"
  done
  if [ "${#pg_rows[@]}" -gt 0 ]; then
    echo
    flask_rps=$(cut -d'|' -f2 <<<"${pg_rows[2]}")
    raw_rps=$(cut -d'|' -f2 <<<"${pg_rows[3]}")
    echo "| \`GET ${pg_note:-}\` on PostgreSQL, wrk -t$THREADS -c$CONNECTIONS -d$DURATION | req/s | p99 (ms) | vs Flask | vs raw Netty + HikariCP |"
    echo "| --- | --- | --- | --- | --- |"
    for row in "${pg_rows[@]}"; do
      IFS='|' read -r label r p <<<"$row"
      echo "| $label | $r | $p | $(ratio "$r" "$flask_rps") | $(ratio "$r" "$raw_rps") |"
    done
  fi
} | tee "$report"
