#!/usr/bin/env bash
# Builds the Plinth image with podman on a JRE base made from Debian's packages (no Docker engine
# and no image registry needed) and runs every mode's container against the local services.
# CI runs it after `./mvnw -B verify` (it needs the runnable jars under */target/).
#
#   devops/docker/build-and-test.sh            build the base (once, cached) and the image, test it
#   IMAGE=... BASE=... devops/docker/build-and-test.sh
#
# Needs root (apt-get, debootstrap, podman), PostgreSQL 127.0.0.1:5432 (user postgres, trust),
# RabbitMQ 127.0.0.1:5672 (guest/guest) and Redis 127.0.0.1:6379. Prints one line per check and
# exits non-zero when one fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/devops/docker/containers.conf}
BASE=${BASE:-localhost/plinth-base-jre:17}
IMAGE=${IMAGE:-localhost/plinth:ci}
SUITE=${DEBIAN_SUITE:-bookworm}

say() { echo "build-and-test: $*"; }

ensure_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v psql >/dev/null || missing+=(postgresql-client)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
}

# The base image: Debian minbase + the distribution's Java 17 runtime, imported as an image.
# Cached: made once per machine (delete it with `podman rmi $BASE` to refresh).
ensure_base() {
  if podman image exists "$BASE"; then
    say "base image $BASE exists"
    return
  fi
  local rootfs
  rootfs=$(mktemp -d /tmp/plinth-rootfs.XXXXXX)
  say "debootstrap $SUITE with openjdk-17-jre-headless into $rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    "$SUITE" "$rootfs" >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; exit 1; }
  # A runtime image needs no package caches, lists, docs or translations.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/usr/share/info/*
  tar -C "$rootfs" -c . | podman import \
    --change 'CMD ["/bin/bash"]' --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
    - "$BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  say "base image $BASE imported"
}

ensure_tools
ensure_base
