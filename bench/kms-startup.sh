#!/usr/bin/env bash
# Start-up cost of KMS secret resolution: WEB start-up (process launch -> first HTTP answer) with
# 30 KMS-encrypted variables against a local KMS endpoint (platform-lib's LocalKmsServer, real
# AES-GCM, injected latency per call) vs. the same start with the 30 values in plaintext.
#
#   bench/kms-startup.sh [RUNS] [LATENCY_MS]      (defaults: 5 runs each, 50 ms)
#
# Variants, interleaved run by run so machine noise hits all alike:
#   plain     30 plaintext values, AWS variables set (resolver finds no ciphertext: no KMS client)
#   kms-0ms   30 ciphertexts, KMS answering at once (AWS SDK cold start + 30 local calls)
#   kms       30 ciphertexts, KMS answering after LATENCY_MS (what the target is about)
# Prints one line per run and the medians. Needs only a JDK and curl; builds with the wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
LATENCY=${2:-50}
COUNT=30

./mvnw -B -ntp -q -o -pl web-service -am package -DskipTests >/dev/null
LIB=web-service/target/lib
JARS=(web-service/target/web-service-*.jar)
JAR=${JARS[0]}
KMS_CP="platform-lib/target/test-classes:platform-lib/target/classes:$LIB/*"

WORK=$(mktemp -d)
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
one_start() { # variant env_file kms_port -> prints ms to first HTTP answer
  local port mport data pid t0 t1 code
  port=$(free_port); mport=$(free_port); data="$WORK/data-$RANDOM"
  t0=$(now_ms)
  local vars
  mapfile -t vars <"$2"
  env -i PATH="$PATH" HOME="$HOME" "${vars[@]}" \
    AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=AKIDPLINTHTEST AWS_SECRET_ACCESS_KEY=plinth-test-secret-access-key \
    AWS_ENDPOINT_URL_KMS="http://127.0.0.1:$3" \
    APP_SECRET_KEY=bench-secret-key-0123456789 APP_DATA_DIR="$data" PORT="$port" APP_MANAGEMENT_PORT="$mport" \
    java -jar "$JAR" >"$WORK/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    [ "$code" != "000" ] && break
    sleep 0.01
  done
  t1=$(now_ms)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [[ "$1" == kms* ]]; then
    # The resolver's own time (SDK client start + all calls), as it logs it.
    grep -o "$COUNT of $COUNT candidate variables decrypted in [0-9]* ms" "$WORK/$1.log" \
      | grep -o "[0-9]* ms" | grep -o "[0-9]*" >>"$WORK/$1.resolve" \
      || echo "warning: $1 run did not decrypt all $COUNT variables" >&2
  fi
  echo $((t1 - t0))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
: >"$WORK/plain.ms"; : >"$WORK/kms0.ms"; : >"$WORK/kms.ms"; : >"$WORK/kms0.resolve"; : >"$WORK/kms.resolve"
one_start warmup "$WORK/plain.env" "$KMS0_PORT" >/dev/null  # page cache, JIT of the shell tools
for run in $(seq 1 "$RUNS"); do
  p=$(one_start plain "$WORK/plain.env" "$KMS0_PORT"); echo "$p" >>"$WORK/plain.ms"
  z=$(one_start kms0 "$WORK/cipher-0.env" "$KMS0_PORT"); echo "$z" >>"$WORK/kms0.ms"
  k=$(one_start kms "$WORK/cipher-$LATENCY.env" "$KMSL_PORT"); echo "$k" >>"$WORK/kms.ms"
  echo "run $run: plain ${p} ms, kms-0ms ${z} ms, kms-${LATENCY}ms ${k} ms"
done
P=$(median <"$WORK/plain.ms"); Z=$(median <"$WORK/kms0.ms"); K=$(median <"$WORK/kms.ms")
echo "median first answer: plain ${P} ms, kms-0ms ${Z} ms, kms-${LATENCY}ms ${K} ms"
echo "difference kms-${LATENCY}ms - plain: $((K - P)) ms (target < $((2 * LATENCY)) ms); latency share kms-${LATENCY}ms - kms-0ms: $((K - Z)) ms"
RZ=$(median <"$WORK/kms0.resolve"); RK=$(median <"$WORK/kms.resolve")
echo "median resolver time (logged): kms-0ms ${RZ} ms, kms-${LATENCY}ms ${RK} ms; latency share $((RK - RZ)) ms (one call: ${LATENCY} ms)"
