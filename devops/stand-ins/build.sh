#!/usr/bin/env bash
# Stand-ins for the registry images of the backing services, built from Debian's packages where no
# image registry is reachable: localhost/plinth-stand-in/{postgres,redis,rabbitmq}:latest. They
# take the variables the official images take (POSTGRES_USER/PASSWORD/DB,
# POSTGRES_HOST_AUTH_METHOD; RABBITMQ_DEFAULT_USER/PASS), carry the same health tools (pg_isready,
# redis-cli, rabbitmq-diagnostics) and listen on the same ports, so Testcontainers (by image-name
# substitution, dev.plinth.platform.testing.StandInImages) and the compose test override can name
# them in place of postgres, redis and rabbitmq.
#
# One Debian rootfs (debootstrap minbase + the three servers, about 3 minutes) is imported once per
# machine (`podman rmi localhost/plinth-stand-in/base` to refresh it); each stand-in is a thin image
# on it with its start script, rebuilt on every run from podman's layer cache. Needs root: apt-get,
# debootstrap, podman.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/../docker/containers.conf}
SUITE=${DEBIAN_SUITE:-bookworm}
BASE=localhost/plinth-stand-in/base:latest
say() { echo "stand-ins: $*"; }

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

if ! podman image exists "$BASE"; then
  rootfs=$(mktemp -d /tmp/plinth-stand-in.XXXXXX)
  say "debootstrap $SUITE with postgresql, redis-server, rabbitmq-server into $rootfs"
  debootstrap --variant=minbase --include=postgresql,redis-server,rabbitmq-server,procps \
    "$SUITE" "$rootfs" >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  # Whatever the packages' scripts left behind (a cluster, a node's database) is not the image's.
  rm -rf "$rootfs"/var/lib/postgresql/* "$rootfs"/var/lib/rabbitmq/mnesia "$rootfs"/etc/postgresql/*
  tar -C "$rootfs" -c . | podman import - "$BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  say "base $BASE imported"
fi

stand_in() { # name port start-script [base file target]: a thin image, from podman's layer cache
  local image=localhost/plinth-stand-in/$1:latest base=${4:-$BASE} context
  context=$(mktemp -d)
  cp "$here/$3" "$context/"
  local extra=
  if [ -n "${5:-}" ]; then
    cp "$5" "$context/extra"
    extra="COPY extra $6"
  fi
  printf 'FROM %s\nCOPY %s /usr/local/bin/%s\n%s\nEXPOSE %s\nCMD ["/usr/local/bin/%s"]\n' \
    "$base" "$3" "$3" "$extra" "$2" "$3" | podman build --format docker -t "$image" -f - "$context" >/dev/null
  rm -rf "$context"
  say "$image built"
}
stand_in postgres 5432 run-postgres
stand_in redis 6379 run-redis
stand_in rabbitmq 5672 run-rabbitmq

# S3 for the compose stack: s3proxy's all-in-one jar (Maven Central, as the tests use it) on the
# JDK image that devops/docker/build-and-test.sh makes (its runtime base has no Java).
JRE_BASE=${JRE_BASE:-localhost/plinth-jdk:25}
if podman image exists "$JRE_BASE"; then
  s3proxy_version=$(sed -n 's|.*<s3proxy.version>\(.*\)</s3proxy.version>.*|\1|p' "$here/../../pom.xml")
  "$here/../../mvnw" -B -q -ntp -f "$here/../../pom.xml" dependency:get \
    -Dartifact="org.gaul:s3proxy:$s3proxy_version:jar:jar-with-dependencies" >/dev/null
  stand_in s3 4566 run-s3 "$JRE_BASE" \
    "$HOME/.m2/repository/org/gaul/s3proxy/$s3proxy_version/s3proxy-$s3proxy_version-jar-with-dependencies.jar" \
    /opt/s3proxy.jar
else
  say "no $JRE_BASE (devops/docker/build-and-test.sh makes it): the s3 stand-in is not built"
fi
