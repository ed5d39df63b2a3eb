#!/usr/bin/env bash
# Brings the compose stack up for real with podman-compose and the stand-in images
# (compose.ci.yaml), checks it as a developer would, and tears it down: the four modes become
# healthy, WEB serves the example, an export enqueued over HTTP is run by the WORKER, BEAT
# publishes a schedule, a TASK command runs. CI runs it after devops/docker/build-and-test.sh
# (whose image and JRE base it uses). Host ports are free ones, so local servers may keep theirs.
# TLS=1 brings it up in production's shape instead (compose.tls.yaml: TLS to every backing service,
# verified against a local authority) and checks that the modes' connections are the TLS ones.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/devops/docker/containers.conf}
command -v podman-compose >/dev/null || {
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman-compose >/dev/null
}
bash devops/stand-ins/build.sh

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
DEV_PORT_POSTGRES=$(free_port) DEV_PORT_REDIS=$(free_port) DEV_PORT_RABBITMQ=$(free_port)
DEV_PORT_RABBITMQ_UI=$(free_port) DEV_PORT_LOCALSTACK=$(free_port) DEV_PORT_WEB=$(free_port)
DEV_PORT_RABBITMQ_TLS=$(free_port)
export DEV_PORT_POSTGRES DEV_PORT_REDIS DEV_PORT_RABBITMQ DEV_PORT_RABBITMQ_UI DEV_PORT_LOCALSTACK DEV_PORT_WEB
export DEV_PORT_RABBITMQ_TLS

# The stack's environment: the sample as a developer gets it, and a schedule every 5 s so that
# BEAT has something to publish within the test.
[ -f "$here/.env" ] && cp "$here/.env" "$here/.env.before-ci-test"
cp "$here/.env.sample" "$here/.env"
printf 'PLINTH_BEAT_SCHEDULES_CI_TASK=example.export_notes\nPLINTH_BEAT_SCHEDULES_CI_INTERVAL=5s\n' >>"$here/.env"

project=plinth-ci
files=(-f "$here/compose.yaml" -f "$here/compose.ci.yaml")
if [ "${TLS:-0}" = 1 ]; then
  bash "$here/tls/make-certs.sh"
  project=plinth-ci-tls
  files+=(-f "$here/compose.tls.yaml")
fi
compose=(podman-compose -p "$project" "${files[@]}")
log=$(mktemp)
cleanup() {
  "${compose[@]}" down -v >>"$log" 2>&1 || true
  rm -f "$here/.env"
  if [ -f "$here/.env.before-ci-test" ]; then mv "$here/.env.before-ci-test" "$here/.env"; fi
}
trap cleanup EXIT

failures=0
pass() { echo "PASS compose: $*"; }
fail() { echo "FAIL compose: $*"; failures=$((failures + 1)); }
until_true() { # seconds command...: until the command succeeds
  local seconds=$1
  shift
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}
web() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$DEV_PORT_WEB$1"; }
probe() { podman exec "${project}_$1_1" /app/bin/http-probe.sh "$2" >/dev/null 2>&1; }
sql() { PGPASSWORD=plinth psql -h 127.0.0.1 -p "$DEV_PORT_POSTGRES" -U plinth plinth -tAc "$1"; }
if [ "${TLS:-0}" = 1 ]; then
  # From the host too, PostgreSQL is reached as the modes reach it: verified against the local CA.
  sql() {
    PGPASSWORD=plinth PGSSLMODE=verify-full PGSSLROOTCERT="$here/tls/certs/ca.pem" \
      psql -h localhost -p "$DEV_PORT_POSTGRES" -U plinth plinth -tAc "$1"
  }
fi

# podman-compose starts in order but waits for no health; the modes' retries cover the rest.
"${compose[@]}" up -d --no-build postgres redis rabbitmq localstack web worker beat >"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; exit 1; }

for mode in web worker beat; do
  if until_true 180 probe "$mode" /__heartbeat__; then
    pass "$mode is healthy (/__heartbeat__ 200 inside its container)"
  else
    fail "$mode is not healthy within 180 s"
    podman logs --tail 20 "${project}_${mode}_1" >&2 || true
  fi
done

if [ "$(web /)" = 200 ] && [ "$(web /api/notes)" = 200 ]; then
  pass "WEB serves the example (/ and /api/notes on 127.0.0.1:$DEV_PORT_WEB)"
else
  fail "WEB does not serve the example: / $(web /), /api/notes $(web /api/notes)"
fi

accepted=$(curl -s -X POST "http://127.0.0.1:$DEV_PORT_WEB/api/exports" -H 'Content-Type: application/json' -d '{}')
id=$(printf '%s' "$accepted" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("id", ""))' 2>/dev/null || true)
task_done() { curl -s "http://127.0.0.1:$DEV_PORT_WEB/api/tasks/$id" | grep -q '"status":"succeeded"'; }
if [ -n "$id" ] && until_true 60 task_done; then
  pass "an export enqueued over HTTP ($id) was run by the WORKER"
else
  fail "the export enqueued over HTTP did not succeed: $accepted / $(curl -s "http://127.0.0.1:$DEV_PORT_WEB/api/tasks/$id")"
fi

beat_published() { [ "$(sql "SELECT count(*) FROM beat_runs WHERE schedule_name = 'ci' AND published_at IS NOT NULL")" -gt 0 ]; }
if until_true 60 beat_published; then
  pass "BEAT published its schedule (beat_runs: $(sql "SELECT count(*) FROM beat_runs WHERE schedule_name = 'ci' AND published_at IS NOT NULL") run(s))"
else
  fail "BEAT published nothing within 60 s"
  podman logs --tail 20 "${project}_beat_1" >&2 || true
fi

if out=$("${compose[@]}" run --rm task run check 2>&1) && grep -q 'database' <<<"$out"; then
  pass "a TASK command runs (check)"
else
  fail "the TASK command failed: $(tail -n 5 <<<"$out")"
fi

if [ "${TLS:-0}" = 1 ]; then
  jdbc_tls=$(sql "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
    WHERE a.application_name = 'PostgreSQL JDBC Driver' AND s.ssl")
  jdbc_plain=$(sql "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
    WHERE a.application_name = 'PostgreSQL JDBC Driver' AND NOT s.ssl")
  if [ "$jdbc_tls" -gt 0 ] && [ "$jdbc_plain" -eq 0 ]; then
    pass "the modes' PostgreSQL connections are TLS ($jdbc_tls, verify-full)"
  else
    fail "PostgreSQL connections: $jdbc_tls over TLS, $jdbc_plain plain"
  fi
  amqp=$(podman exec "${project}_rabbitmq_1" rabbitmqctl list_connections -q ssl port 2>/dev/null || true)
  if grep -q '^true' <<<"$amqp" && ! grep -q '^false' <<<"$amqp"; then
    pass "the modes' RabbitMQ connections are AMQPS ($(grep -c '^true' <<<"$amqp") on 5671)"
  else
    fail "RabbitMQ connections are not all TLS: $amqp"
  fi
  if [ "$(redis-cli -h 127.0.0.1 -p "$DEV_PORT_REDIS" ping 2>&1)" != PONG ] &&
    [ "$(redis-cli --tls --cacert "$here/tls/certs/ca.pem" -h localhost -p "$DEV_PORT_REDIS" \
      --no-auth-warning -a plinth-redis ping 2>&1)" = PONG ]; then
    pass "Redis answers over verified TLS with its password only (sessions and caches: heartbeat ok)"
  else
    fail "Redis is not TLS-only with a password"
  fi
fi

echo "compose: $failures check(s) failed"
[ "$failures" -eq 0 ]
