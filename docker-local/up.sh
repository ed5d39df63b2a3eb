#!/usr/bin/env bash
# One command for the local stack: builds the jars and the image, starts PostgreSQL, Redis,
# RabbitMQ, LocalStack and WEB, WORKER, BEAT. WEB: http://localhost:8000, RabbitMQ UI:
# http://localhost:15672. Extra arguments go to `compose up` (e.g. --wait). COMPOSE picks the tool.
# TLS=1 adds compose.tls.yaml: TLS to every backing service, verified against a local authority.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
./mvnw -B -q -ntp -DskipTests package
[ -f "$here/.env" ] || cp "$here/.env.sample" "$here/.env"
read -r -a compose <<<"${COMPOSE:-docker compose}"
files=(-f "$here/compose.yaml")
if [ "${TLS:-0}" = 1 ]; then
  bash "$here/tls/make-certs.sh"
  files+=(-f "$here/compose.tls.yaml")
fi
exec "${compose[@]}" "${files[@]}" up --build -d "$@"
