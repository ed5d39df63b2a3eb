#!/usr/bin/env bash
# The Testcontainers path, so that it cannot rot: a slice of the suite with the local services'
# ports hidden (PLINTH_TEST_LOCAL_SERVICES=hidden), so that TestServices starts PostgreSQL, Redis
# and RabbitMQ in containers — podman's Docker-compatible API, the stand-ins built from Debian's
# packages (devops/stand-ins/build.sh) substituted for the registry images. Run after bin/test.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/devops/docker/containers.conf}
bash devops/stand-ins/build.sh

socket=$(mktemp -u /tmp/plinth-podman.XXXXXX.sock)
podman system service --time=0 "unix://$socket" &
service=$!
trap 'kill "$service" 2>/dev/null || true; rm -f "$socket"' EXIT
for _ in $(seq 1 50); do [ -S "$socket" ] && break; sleep 0.1; done

# The slice: every service through the test helpers, in the platform and in two modes.
export DOCKER_HOST=unix://$socket
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_CHECKS_DISABLE=true
export TESTCONTAINERS_IMAGE_SUBSTITUTOR=dev.plinth.platform.testing.StandInImages
export PLINTH_TEST_LOCAL_SERVICES=hidden
./mvnw -B -ntp verify -pl platform-lib,example,worker-service,web-service \
  -Dtest="${SLICE:-TestServicesTest,DatabaseChecksPostgresTest,EnqueueOutboxTest,WorkerBrokerTest,DataInRedisTest}" \
  -Dsurefire.failIfNoSpecifiedTests=false
