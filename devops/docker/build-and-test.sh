#!/usr/bin/env bash
# Builds the Plinth image with podman from two local images made from Debian's packages and this
# machine's JDK (no Docker engine and no image registry needed) and runs every mode's container
# against the local services.
# CI runs it after `./mvnw -B verify` (it needs the runnable jars under */target/).
#
#   devops/docker/build-and-test.sh            build the base and JDK images (once, cached) and the image, test it
#   IMAGE=... BASE=... JDK=... JDK_HOME=... devops/docker/build-and-test.sh
#
# Needs root (apt-get, debootstrap, podman), PostgreSQL 127.0.0.1:5432 (user postgres, trust),
# RabbitMQ 127.0.0.1:5672 (guest/guest) and Redis 127.0.0.1:6379. Prints one line per check and
# exits non-zero when one fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/devops/docker/containers.conf}
BASE=${BASE:-localhost/plinth-base:bookworm}
JDK=${JDK:-localhost/plinth-jdk:25}
JDK_HOME=${JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
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

# The runtime base: Debian minbase with ca-certificates, no Java (the image brings its own
# jlinked runtime), imported as an image. Cached: made once per machine (delete it with
# `podman rmi $BASE` to refresh).
ensure_base() {
  if podman image exists "$BASE"; then
    say "base image $BASE exists"
    return
  fi
  local rootfs
  rootfs=$(mktemp -d /tmp/plinth-rootfs.XXXXXX)
  say "debootstrap $SUITE with ca-certificates into $rootfs"
  debootstrap --variant=minbase --include=ca-certificates \
    "$SUITE" "$rootfs" >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; exit 1; }
  # A runtime image needs no package caches, lists, docs or translations.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/usr/share/info/*
  tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  say "base image $BASE imported"
}

# The JDK image, in the official eclipse-temurin images' shape: the base plus this machine's JDK
# (JDK_HOME) at /opt/java/openjdk, and binutils, whose objcopy jlink --strip-debug runs. Debian's
# Temurin package links lib/security/cacerts to /etc/ssl/certs/java/cacerts: that file comes too.
# Cached like the base (`podman rmi $JDK` to refresh).
ensure_jdk() {
  if podman image exists "$JDK"; then
    say "JDK image $JDK exists"
    return
  fi
  [ -x "$JDK_HOME/bin/jlink" ] || { echo "no JDK with jlink at JDK_HOME=$JDK_HOME" >&2; exit 1; }
  local context
  context=$(mktemp -d /tmp/plinth-jdk.XXXXXX)
  cp -a "$JDK_HOME" "$context/openjdk"
  cp -L "$(readlink -f "$JDK_HOME/lib/security/cacerts")" "$context/cacerts"
  podman build --format docker -t "$JDK" -f - "$context" >"$context.log" 2>&1 <<CONTAINERFILE ||
FROM $BASE
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends binutils \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
COPY openjdk/ /opt/java/openjdk/
COPY cacerts /etc/ssl/certs/java/cacerts
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CONTAINERFILE
    { tail -n 30 "$context.log" >&2; exit 1; }
  rm -rf "$context" "$context.log"
  say "JDK image $JDK ($("$JDK_HOME/bin/java" -version 2>&1 | head -n 1)) built"
}

# WORKER and BEAT train on the local RabbitMQ when it answers (the build then needs the host's
# network); else on their embedded defaults. TRAIN_BROKER=false skips it.
train_args=()
if [ "${TRAIN_BROKER:-true}" != false ] && timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672' 2>/dev/null; then
  train_secret=$(mktemp)
  echo guest >"$train_secret"
  train_args=(--network host --build-arg TRAIN_RABBITMQ_HOST=127.0.0.1 --build-arg TRAIN_RABBITMQ_PORT=5672
    --build-arg TRAIN_RABBITMQ_USERNAME=guest --secret "id=train_rabbitmq_password,src=$train_secret")
fi

devops/check-static.sh
ensure_tools
ensure_base
ensure_jdk

say "building $IMAGE on $BASE with $JDK${train_args[*]:+ (WORKER and BEAT train on the broker at 127.0.0.1:5672)}"
podman build --format docker -f devops/docker/Dockerfile \
  --build-arg BASE_IMAGE="$BASE" --build-arg JDK_IMAGE="$JDK" "${train_args[@]}" \
  --build-arg VERSION="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -n 1)" \
  --build-arg COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  --build-arg BUILD="${CI_BUILD_URL:-local-$(date -u +%Y%m%dT%H%M%SZ)}" \
  -t "$IMAGE" . >/tmp/plinth-image-build.log 2>&1 || { tail -n 40 /tmp/plinth-image-build.log >&2; exit 1; }
grep -E '^(aot-train|jlink modules):' /tmp/plinth-image-build.log || true
say "image size $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"

# ---- the checks -------------------------------------------------------------------------------
failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { # check NAME COMMAND...: PASS when the command succeeds
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

RUN_ID=$$
DB="plinth_ci_$RUN_ID"
ENV_FILE=$(mktemp)
CONTAINERS=()
cleanup() {
  for c in "${CONTAINERS[@]}"; do podman rm -f "$c" >/dev/null 2>&1 || true; done
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -f "$ENV_FILE"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $DB" ||
  { echo "PostgreSQL on 127.0.0.1:5432 (user postgres, trust) is needed: start it" >&2; exit 1; }

# Production-like: debug off, a secret key, every integration on the local services.
cat >"$ENV_FILE" <<ENV
APP_DEBUG=false
APP_SECRET_KEY=ci-secret-key-not-for-production
DATABASE_HOST=127.0.0.1
DATABASE_PORT=5432
DATABASE_NAME=$DB
DATABASE_USERNAME=postgres
DATABASE_PASSWORD=postgres
RABBITMQ_HOST=127.0.0.1
RABBITMQ_PORT=5672
RABBITMQ_VHOST=/
RABBITMQ_USERNAME=guest
RABBITMQ_PASSWORD=guest
SESSION_REDIS_HOST=127.0.0.1
SESSION_REDIS_PORT=6379
SESSION_REDIS_DB=14
CACHE_REDIS_HOST=127.0.0.1
CACHE_REDIS_PORT=6379
CACHE_REDIS_DB=15
ENV

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }

wait_for_server() { # wait_for_server CONTAINER URL: until HTTP answers, the container stops, or 240 s
  local deadline=$((SECONDS + 240))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(http_code "$2")" != 000 ] && return 0
    [ "$(podman inspect --format '{{.State.Running}}' "$1")" = true ] || return 1
    sleep 0.5
  done
  return 1
}

# A long-running mode: start it, then check Dockerflow, the user, PID 1, the AOT cache and a
# graceful stop.
long_running() { # long_running MODE PORT [IMAGE [LABEL]]
  local mode=$1 port=$2 image=${3:-$IMAGE} label=${4:-$1}
  local name="plinth-ci-${label,,}-$RUN_ID" lower=${mode,,}
  CONTAINERS+=("$name")
  # --no-healthcheck: podman schedules health checks through systemd, absent here.
  podman run -d --no-healthcheck --name "$name" --network=host --env-file "$ENV_FILE" \
    -e APP_RUN_MODE="$mode" -e PORT="$port" -e APP_MANAGEMENT_PORT=$((port + 1)) "$image" >/dev/null
  if ! wait_for_server "$name" "http://127.0.0.1:$port/__lbheartbeat__"; then
    fail "$label: starts and answers HTTP on \$PORT=$port (last log lines below)"
    podman logs --tail 15 "$name" 2>&1 | sed 's/^/    /'
    return
  fi
  local lb
  lb=$(http_code "http://127.0.0.1:$port/__lbheartbeat__")
  check "$label: /__lbheartbeat__ answers 200 on \$PORT=$port (got $lb)" test "$lb" = 200
  check "$label: the JVM is PID 1 (exec all the way)" \
    test "$(podman exec "$name" cat /proc/1/comm)" = java
  check "$label: PID 1 runs as uid 10001 and gid 10001" \
    test "$(podman exec "$name" awk '/^Uid:|^Gid:/ {print $2}' /proc/1/status | tr '\n' ' ')" = "10001 10001 "
  local who
  who=$(podman exec "$name" id)
  check "$label: podman exec id: $who" \
    grep -qE '^uid=10001(\([^)]*\))? gid=10001(\([^)]*\))?' <<<"$who"
  if [ "$image" = "$IMAGE" ]; then
    # The JVM maps the cache's regions from the file; one that failed validation is unmapped again.
    check "$label: the AOT cache /app/aot/$lower.aot is mapped" \
      podman exec "$name" grep -q "/app/aot/$lower.aot" /proc/1/maps
  fi
  local version expected
  version=$(curl -s --max-time 5 "http://127.0.0.1:$port/__version__" || true)
  expected=$(podman exec "$name" cat /app/version.json)
  check "$label: /__version__ serves /app/version.json" python3 -c '
import json, sys
sys.exit(0 if json.loads(sys.argv[1]) == json.loads(sys.argv[2]) else 1)' "${version:-null}" "$expected"
  echo "INFO $label: /__heartbeat__ answers $(http_code "http://127.0.0.1:$port/__heartbeat__")"
  local started=$SECONDS
  podman stop -t 30 "$name" >/dev/null
  local code
  code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  check "$label: podman stop drains within 30 s, exit $code (0) after $((SECONDS - started)) s" \
    test "$code" = 0
  check "$label: the log ends with the drain's shutdown.complete line" \
    bash -c "podman logs --tail 20 '$name' 2>&1 | grep -q 'shutdown.complete'"
}

long_running WEB 18100
long_running WORKER 18110
long_running BEAT 18120

# Unknown mode: exit 2 and one line.
out=$(podman run --rm --no-healthcheck -e APP_RUN_MODE=NOPE "$IMAGE" 2>&1) && status=0 || status=$?
check "unknown APP_RUN_MODE exits 2 ($status) with one line: $out" \
  test "$status" = 2 -a "$(printf '%s\n' "$out" | wc -l)" = 1

# TASK: APP_TASK_LIST in order, stopping at the first failure with its status.
task() { # task LIST [extra podman args...]: runs the TASK container, prints its stderr
  local list=$1
  shift
  # shellcheck disable=SC2069 # stderr (the script's lines) is captured, stdout (mozlog) dropped
  podman run --rm --no-healthcheck --network=host --env-file "$ENV_FILE" -e APP_RUN_MODE=TASK -e PORT=18130 \
    -e APP_MANAGEMENT_PORT=18131 -e APP_TASK_LIST="$list" "$@" "$IMAGE" 2>&1 >/dev/null
}
out=$(task '--help ; --help') && status=0 || status=$?
check "TASK: APP_TASK_LIST of 2 commands runs both and exits 0 ($status)" \
  test "$status" = 0 -a "$(grep -c '^container-task: command ' <<<"$out")" = 2
# `config` resolves the contract (unlike --help), so without a secret key it fails with status 1.
out=$(task 'config ; --help' -e APP_SECRET_KEY=) && status=0 || status=$?
check "TASK: the first command failing (no APP_SECRET_KEY) stops the list with its status ($status)" \
  test "$status" = 1 -a "$(grep -c '^container-task: command [0-9]*:' <<<"$out")" = 1
# AOTMode=on makes the JVM refuse to start when it cannot use the AOT cache (auto would go on).
out=$(task '--help' -e JAVA_OPTS=-XX:AOTMode=on) && status=0 || status=$?
check "TASK: the JVM starts with -XX:AOTMode=on, so it uses /app/aot/task.aot ($status)" test "$status" = 0
out=$(task ' ; ') && status=0 || status=$?
check "TASK: an empty APP_TASK_LIST exits 2 ($status)" test "$status" = 2
out=$(task '--help ; no-such-command ; --help') && status=0 || status=$?
check "TASK: an unknown command stops the list with the usage status 2 ($status)" \
  test "$status" = 2 -a "$(grep -c '^container-task: command [0-9]*:' <<<"$out")" = 2

# ---- Jib: the per-mode images, built offline on the JDK image (saved as a tar) ----------------
# Jib runs no build steps (no jlink), so its base must bring Java: the JDK image is the one here.
if [ "${JIB:-true}" = true ]; then
  mkdir -p target
  rm -f target/plinth-jdk.tar # podman save does not overwrite a docker-archive
  podman save -q --format docker-archive -o target/plinth-jdk.tar "$JDK"
  say "building the Jib images (jib:buildTar on tar://target/plinth-jdk.tar)"
  ./mvnw -B -q -ntp -DskipTests package jib:buildTar \
    -Djib.base.image="tar://$PWD/target/plinth-jdk.tar" \
    -Dplinth.build.commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)" >/tmp/plinth-jib.log 2>&1 ||
    { tail -n 40 /tmp/plinth-jib.log >&2; fail "Jib: jib:buildTar"; }
  for pair in web-service:WEB worker-service:WORKER beat-scheduler:BEAT task-runner:TASK; do
    module=${pair%%:*} mode=${pair##*:}
    jib_image=localhost/plinth-$module:jib-ci
    if podman load -q -i "$module/target/jib-image.tar" >/dev/null &&
      podman tag "plinth-$module:$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -n 1)" "$jib_image"; then
      config=$(podman image inspect --format '{{.Config.User}} {{range .Config.Env}}{{.}} {{end}}' "$jib_image")
      check "Jib $mode: user 10001:10001 and APP_RUN_MODE=$mode preset" \
        bash -c "[[ '$config' == '10001:10001 '* && ' $config ' == *' APP_RUN_MODE=$mode '* ]]"
    else
      fail "Jib $mode: image $module/target/jib-image.tar loads"
    fi
  done
  long_running WEB 18150 localhost/plinth-web-service:jib-ci JIB-WEB
fi

say "$failures check(s) failed"
[ "$failures" = 0 ]
