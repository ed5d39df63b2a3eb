#!/usr/bin/env bash
# Container start-up: time from `podman run` to the first 200 of /__lbheartbeat__ for the WEB
# mode of the image built by devops/docker/build-and-test.sh, with the build-time AOT cache (the
# default) and without it (APP_AOT=false), plus the image size.
#
#   bench/container.sh          # RUNS=5 IMAGE=localhost/plinth:ci
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/devops/docker/containers.conf}
RUNS=${RUNS:-5}
IMAGE=${IMAGE:-localhost/plinth:ci}
PORT=${BENCH_PORT:-18200}
podman image exists "$IMAGE" || { echo "no $IMAGE: run devops/docker/build-and-test.sh first" >&2; exit 1; }

ready() { # ready APP_AOT: JSON from bench/lib/ready.py
  python3 bench/lib/ready.py --url "http://127.0.0.1:$PORT/__lbheartbeat__" --runs "$RUNS" -- \
    podman run --rm --no-healthcheck --network=host -e APP_DEBUG=true -e PORT="$PORT" \
    -e APP_MANAGEMENT_PORT=$((PORT + 1)) -e APP_AOT="$1" "$IMAGE"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

with_aot=$(ready true)
without_aot=$(ready false)
size=$(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f", $1/1e6}')
mkdir -p bench/results
report="bench/results/container-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "### WEB container, $(date -u +%Y-%m-%d), $(nproc) cores, podman $(podman version --format '{{.Client.Version}}')"
  echo
  echo "Command: \`RUNS=$RUNS bench/container.sh\`; image \`$IMAGE\`, $size MB uncompressed."
  echo
  echo "| WEB container ($RUNS runs) | median first 200 (ms) | runs (ms) |"
  echo "| --- | --- | --- |"
  echo "| with the AOT cache (default) | $(field "$with_aot" median_ready_ms) | $(field "$with_aot" ready_ms) |"
  echo "| without it (APP_AOT=false) | $(field "$without_aot" median_ready_ms) | $(field "$without_aot" ready_ms) |"
} | tee "$report"
