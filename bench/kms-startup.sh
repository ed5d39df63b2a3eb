#!/usr/bin/env bash
# Start-up cost of KMS secret resolution: WEB start-up (process launch -> first HTTP answer) with
# 30 KMS-encrypted variables against a local KMS endpoint (platform-lib's LocalKmsServer, real
# AES-GCM, injected latency per call) vs. the same start with the 30 values in plaintext.
#
#   bench/kms-startup.sh [RUNS] [LATENCY_MS]      (defaults: 5 runs each, 50 ms)
#   ARCHIVE=cds bench/kms-startup.sh ...            every variant with a JDK 17 class-data archive
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ARCHIVE=aot bench/kms-startup.sh ...
#                                                   every variant with a JDK 25 AOT cache
# The archive (or cache) is made by one training run with the 30 ciphertexts against the local
# KMS, so it holds the AWS SDK's classes as well as Micronaut's; all variants then share it.
#
# Variants, interleaved run by run so machine noise hits all alike:
#   plain     30 plaintext values, AWS variables set (resolver finds no ciphertext: no KMS client)
#   kms-0ms   30 ciphertexts, KMS answering at once (AWS SDK cold start + 30 local calls)
#   kms       30 ciphertexts, KMS answering after LATENCY_MS (what the target is about)
#   floor     no Plinth at all: a JVM on the same classpath that builds one KmsClient as the
#             resolver does and decrypts one value, against the same JVM exiting at once
#             (bench/baseline/KmsClientFloor.java): what the AWS SDK alone costs a cold start
#             (always without an archive: it is a different program)
# Prints one line per run (time to first answer, and the process's CPU time until then) and the
# medians. Needs only a JDK and curl; builds with the wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
LATENCY=${2:-50}
COUNT=30
JAVA=${JAVA:-java}
ARCHIVE=${ARCHIVE:-none}
case "$ARCHIVE" in none | cds | aot) ;; *) echo "ARCHIVE must be none, cds or aot" >&2; exit 2 ;; esac

./mvnw -B -ntp -q -o -pl web-service -am package -DskipTests >/dev/null
LIB=web-service/target/lib
JARS=(web-service/target/web-service-*.jar)
JAR=${JARS[0]}
KMS_CP="platform-lib/target/test-classes:platform-lib/target/classes:$LIB/*"

WORK=$(mktemp -d)
javac -nowarn -d "$WORK/floor" -cp "$LIB/*" bench/baseline/KmsClientFloor.java
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_kms() { # latency_ms -> sets KMS_PID KMS_PORT, writes $WORK/cipher-<latency>.env
  KMS_PORT=$(free_port)
  java -cp "$KMS_CP" dev.plinth.platform.secrets.LocalKmsServer "$KMS_PORT" "$1" "$WORK/cipher-$1.env" "$COUNT" >"$WORK/kms-$1.log" 2>&1 &
  KMS_PID=$!
  for _ in $(seq 1 500); do [ -s "$WORK/cipher-$1.env" ] && grep -q "local KMS" "$WORK/kms-$1.log" && return; sleep 0.02; done
  echo "local KMS did not start" >&2; exit 1
}
start_kms 0; KMS0_PID=$KMS_PID; KMS0_PORT=$KMS_PORT
start_kms "$LATENCY"; KMSL_PID=$KMS_PID; KMSL_PORT=$KMS_PORT
trap 'kill $KMS0_PID $KMSL_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for i in $(seq 0 $((COUNT - 1))); do echo "BENCH_SECRET_$i=bench-plaintext-$i"; done >"$WORK/plain.env"

now_ms() { date +%s%3N; }
HZ=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$HZ" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat" 2>/dev/null || echo 0; }
RUN_FLAGS=()
launch() { # log_file env_file kms_port port java_flags... -> sets PID
  local log=$1 envf=$2 kms=$3 port=$4 mport vars
  shift 4
  mport=$(free_port)
  mapfile -t vars <"$envf"
  env -i PATH="$PATH" HOME="$HOME" "${vars[@]}" \
    AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=AKIDPLINTHTEST AWS_SECRET_ACCESS_KEY=plinth-test-secret-access-key \
    AWS_ENDPOINT_URL_KMS="http://127.0.0.1:$kms" \
    APP_SECRET_KEY=bench-secret-key-0123456789 APP_DATA_DIR="$WORK/data-$RANDOM" PORT="$port" APP_MANAGEMENT_PORT="$mport" \
    "$JAVA" "$@" -jar "$JAR" >"$log" 2>&1 &
  PID=$!
}
await_answer() { # pid port -> 0 once the port answers HTTP, 1 if the process ended first
  local code
  for _ in $(seq 1 6000); do
    kill -0 "$1" 2>/dev/null || return 1
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/" || true)
    [ "$code" != "000" ] && return 0
    sleep 0.01
  done
  return 1
}
if [ "$ARCHIVE" != none ]; then
  # Training run: WEB with the 30 ciphertexts (so the SDK's classes are loaded), one request,
  # then SIGTERM; the JVM writes the archive as it exits.
  port=$(free_port)
  if [ "$ARCHIVE" = cds ]; then
    launch "$WORK/train.log" "$WORK/cipher-0.env" "$KMS0_PORT" "$port" -XX:ArchiveClassesAtExit="$WORK/app.jsa"
    RUN_FLAGS=(-XX:SharedArchiveFile="$WORK/app.jsa" -Xshare:auto)
  else
    launch "$WORK/train.log" "$WORK/cipher-0.env" "$KMS0_PORT" "$port" -XX:AOTCacheOutput="$WORK/app.aot"
    RUN_FLAGS=(-XX:AOTCache="$WORK/app.aot")
  fi
  await_answer "$PID" "$port" || { echo "training run did not answer" >&2; tail -20 "$WORK/train.log" >&2; exit 1; }
  curl -s -o /dev/null "http://127.0.0.1:$port/__heartbeat__" || true
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  for f in "$WORK/app.jsa" "$WORK/app.aot"; do
    if [ -s "$f" ]; then echo "archive: $ARCHIVE, $(du -h "$f" | cut -f1), trained with $COUNT ciphertexts"; fi
  done
fi
one_start() { # variant env_file kms_port -> prints "ms-to-first-answer cpu-ms"
  local port t0 t1 cpu
  port=$(free_port)
  t0=$(now_ms)
  launch "$WORK/$1.log" "$2" "$3" "$port" "${RUN_FLAGS[@]}"
  if ! await_answer "$PID" "$port"; then
    echo "$1 did not answer" >&2; tail -5 "$WORK/$1.log" >&2
  fi
  t1=$(now_ms)
  cpu=$(cpu_ms "$PID")
  kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
  if [[ "$1" == kms* ]]; then
    # The resolver's own time (SDK client start + all calls), as it logs it.
    grep -o "$COUNT of $COUNT candidate variables decrypted in [0-9]* ms" "$WORK/$1.log" \
      | grep -o "[0-9]* ms" | grep -o "[0-9]*" >>"$WORK/$1.resolve" \
      || echo "warning: $1 run did not decrypt all $COUNT variables" >&2
  fi
  echo "$((t1 - t0)) $cpu"
}

floor_run() { # none|sdk -> prints "ms cpu" for a whole run of KmsClientFloor (launch to exit)
  local t0 t1 cpu
  t0=$(now_ms)
  cpu=$(env -i PATH="$PATH" HOME="$HOME" AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=AKIDPLINTHTEST \
    AWS_SECRET_ACCESS_KEY=plinth-test-secret-access-key \
    "$JAVA" -cp "$WORK/floor:$LIB/*" KmsClientFloor "$1" \
    "http://127.0.0.1:$KMS0_PORT" "$WORK/cipher-0.env") || echo "warning: KmsClientFloor $1 failed" >&2
  t1=$(now_ms)
  echo "$((t1 - t0)) ${cpu:-0}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
for f in plain kms0 kms fnone fsdk; do : >"$WORK/$f.ms"; : >"$WORK/$f.cpu"; done
: >"$WORK/kms0.resolve"; : >"$WORK/kms.resolve"
echo "java: $("$JAVA" -version 2>&1 | head -1); archive: $ARCHIVE; load: $(cut -d' ' -f1-3 /proc/loadavg)"
one_start warmup "$WORK/plain.env" "$KMS0_PORT" >/dev/null  # page cache, JIT of the shell tools
record() { # name "ms cpu"
  echo "${2% *}" >>"$WORK/$1.ms"; echo "${2#* }" >>"$WORK/$1.cpu"
}
for run in $(seq 1 "$RUNS"); do
  p=$(one_start plain "$WORK/plain.env" "$KMS0_PORT"); record plain "$p"
  z=$(one_start kms0 "$WORK/cipher-0.env" "$KMS0_PORT"); record kms0 "$z"
  k=$(one_start kms "$WORK/cipher-$LATENCY.env" "$KMSL_PORT"); record kms "$k"
  fn=$(floor_run none); record fnone "$fn"
  fs=$(floor_run sdk); record fsdk "$fs"
  echo "run $run (load $(cut -d' ' -f1 /proc/loadavg)): plain ${p% *} ms (cpu ${p#* }), kms-0ms ${z% *} ms (cpu ${z#* }), kms-${LATENCY}ms ${k% *} ms (cpu ${k#* }); SDK floor: none ${fn% *} ms (cpu ${fn#* }), one client + call ${fs% *} ms (cpu ${fs#* })"
done
P=$(median <"$WORK/plain.ms"); Z=$(median <"$WORK/kms0.ms"); K=$(median <"$WORK/kms.ms")
PC=$(median <"$WORK/plain.cpu"); ZC=$(median <"$WORK/kms0.cpu"); KC=$(median <"$WORK/kms.cpu")
echo "median first answer: plain ${P} ms, kms-0ms ${Z} ms, kms-${LATENCY}ms ${K} ms"
echo "median CPU until then: plain ${PC} ms, kms-0ms ${ZC} ms, kms-${LATENCY}ms ${KC} ms"
echo "difference kms-${LATENCY}ms - plain: $((K - P)) ms (target < $((2 * LATENCY)) ms); latency share kms-${LATENCY}ms - kms-0ms: $((K - Z)) ms"
FN=$(median <"$WORK/fnone.ms"); FS=$(median <"$WORK/fsdk.ms")
FNC=$(median <"$WORK/fnone.cpu"); FSC=$(median <"$WORK/fsdk.cpu")
echo "AWS SDK floor (no Plinth): JVM exiting at once ${FN} ms (cpu ${FNC}), one KmsClient + one Decrypt ${FS} ms (cpu ${FSC}): the SDK alone costs $((FS - FN)) ms (cpu $((FSC - FNC)) ms)"
RZ=$(median <"$WORK/kms0.resolve"); RK=$(median <"$WORK/kms.resolve")
echo "median resolver time (logged): kms-0ms ${RZ} ms, kms-${LATENCY}ms ${RK} ms; latency share $((RK - RZ)) ms (one call: ${LATENCY} ms)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
