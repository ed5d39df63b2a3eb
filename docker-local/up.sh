#!/usr/bin/env bash
# One command for the local stack: builds the jars and the image, starts PostgreSQL, Redis,
# RabbitMQ, LocalStack and WEB, WORKER, BEAT. WEB: http://localhost:8000, RabbitMQ UI:
# http://localhost:15672. Extra arguments go to `compose up` (e.g. --wait). COMPOSE picks the tool.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
./mvnw -B -q -ntp -DskipTests package
[ -f "$here/.env" ] || cp "$here/.env.sample" "$here/.env"
read -r -a compose <<<"${COMPOSE:-docker compose}"
exec "${compose[@]}" -f "$here/compose.yaml" up --build -d "$@"
