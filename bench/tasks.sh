#!/usr/bin/env bash
# Task benchmark (issue 6): no-op task throughput end to end (publish with confirms -> WORKER
# consumes -> ack) with run-state recording on and off, at APP_WORKER_COUNT 1 and 4, beside two
# baselines measured in the same run: the raw RabbitMQ Java client (1 publisher with confirms +
# 1 consumer with manual acks, same queue settings) and Celery (Debian python3-celery, prefork x2,
# acks_late) draining no-op tasks. What the meters and traces cost, in interleaved rounds. Then
# enqueue->start latency p50/p99 at a steady 500 tasks/s (state on, 4 workers) and the worker's RSS.
#
#   bench/tasks.sh          # N=50000 tasks per throughput run, LAT_N=10000 at 500/s
#
# Alike for all three consumers (TaskBench): the same Celery messages, encoded before the clock
# starts; WARMUP (default 50000) of them sent and drained first, untimed; the same prefetch; the
# clock stops when the queue has no ready message left. The warm-up is long because every JVM
# here (the driver, the raw client, the worker) is still compiling its hot path after 5000: the
# rows compare steady states. What a freshly started worker does before that is its own pair of
# rows: FRESH_N (default 20000) tasks on the clock from the worker's first message (the driver
# warmed on a throwaway queue), with the default JIT and with C1 only; beside them, what each JIT
# makes of a CPU-bound task body (bench/baseline/ExportCpu.java, EXPORT_SECONDS each).
#
# Needs the local RabbitMQ (rabbitmqctl) and PostgreSQL; installs Celery with scripts/install-test-deps.sh.
# The no-op handler is the worker tests' `test.flaky` with failTimes=0 (returns a string, no I/O),
# so the worker runs on the test classpath. Prints a Markdown report, also to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50000}
LAT_N=${LAT_N:-10000}
WARMUP=${WARMUP:-50000}
FRESH_N=${FRESH_N:-20000}
EXPORT_SECONDS=${EXPORT_SECONDS:-20}
PY=/usr/bin/python3
WORK=$(mktemp -d)
VHOST="plinth-bench-$$"
DB="plinth_bench_$$"
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

bash scripts/install-test-deps.sh
./mvnw -B -q -ntp -DskipTests package -pl worker-service -am
./mvnw -B -q -ntp -o test-compile -pl worker-service -am
CP="worker-service/target/test-classes:platform-lib/target/test-classes:$(ls worker-service/target/worker-service-*.jar):worker-service/target/lib/*"
javac -nowarn -d "$WORK/bench" -cp "worker-service/target/lib/*" bench/baseline/TaskBench.java \
  bench/baseline/ExportCpu.java
drive() { java -cp "$WORK/bench:worker-service/target/lib/*" TaskBench "$@"; }

rabbitmqctl -q add_vhost "$VHOST" >/dev/null
rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $DB" >/dev/null

run_worker() { # WORKERS RECORD QUEUE [JVM_FLAG...]
  : >"$WORK/worker-$3.log"
  env -i PATH="$PATH" APP_DEBUG=true PORT=0 APP_MANAGEMENT_PORT=0 APP_WORKER_COUNT="$1" \
    RABBITMQ_HOST=127.0.0.1 RABBITMQ_VHOST="$VHOST" DATABASE_HOST=127.0.0.1 DATABASE_NAME="$DB" \
    DATABASE_USERNAME=postgres PLINTH_TASKS_RECORD_STATE="$2" PLINTH_TASKS_QUEUES="$3" \
    PLINTH_METRICS_ENABLED="${METRICS:-true}" OTEL_EXPORTER_OTLP_ENDPOINT="${OTLP:-}" \
    ${SAMPLE:+OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=$SAMPLE} \
    PLINTH_TASKS_DEFAULT_QUEUE="$3" PLINTH_TASKS_PREFETCH="${PREFETCH:-256}" \
    java -Xmx512m "${@:4}" -cp "$CP" dev.plinth.worker.Application >"$WORK/worker-$3.log" 2>&1 &
  WPID=$!
  for _ in $(seq 1 600); do
    grep -q "task worker consuming" "$WORK/worker-$3.log" && return 0
    sleep 0.1
  done
  echo "worker did not start; log:" >&2; tail -20 "$WORK/worker-$3.log" >&2; exit 1
}

# Throughput: publish N while the consumer runs; tasks/s from first publish to drained.
throughput() { drive publish "$VHOST" "$1" "$2" "$N" 0 "$WARMUP"; }
# A fresh worker: FRESH_N tasks from its first message; only the driver warmed up.
fresh() { drive publish "$VHOST" "$1" test.flaky "$FRESH_N" 0 "$WARMUP" driver; }

# The raw client before and after the Plinth runs (other load on a shared machine moves it):
# ratios are taken against the better of the two.
raw=$(drive raw "$VHOST" raw-q "$N" "${PREFETCH:-256}" "$WARMUP")

declare -A plinth rss
for workers in 1 4; do
  for record in false true; do
    q="plinth-$workers-$record"
    run_worker "$workers" "$record" "$q"
    plinth[$workers-$record]=$(throughput "$q" test.flaky)
    rss[$workers-$record]=$(ps -o rss= -p "$WPID" | awk '{printf "%.0f", $1/1024}')
    kill -TERM "$WPID"; wait "$WPID" 2>/dev/null || true
  done
done

# What the meters and traces cost (docs/observability.md): state on, one worker; metrics off,
# metrics on, traces on too (a span per task, exported to a local OTLP/HTTP sink,
# bench/baseline/otlp_sink.py) and traces on with one trace in ten sampled
# (OTEL_TRACES_SAMPLER=parentbased_traceidratio 0.1). OBS_ROUNDS rounds (default 3), the four
# interleaved in each and rotated from round to round, so that the machine's drift falls on all
# four alike; medians reported.
$PY bench/baseline/otlp_sink.py "$WORK/otlp.port" >"$WORK/otlp.log" &
SINK=$!
for _ in $(seq 1 100); do [ -s "$WORK/otlp.port" ] && break; sleep 0.1; done
OTLP_SINK="http://127.0.0.1:$(cat "$WORK/otlp.port")"
declare -A meters
configs=(false true traced sampled)
for round in $(seq 1 "${OBS_ROUNDS:-3}"); do
  # Each round starts one further along: no configuration always runs first (the machine drifts).
  for k in 0 1 2 3; do
    config=${configs[$(( (k + round - 1) % 4 ))]}
    q="plinth-obs-$config-$round"
    case $config in
      traced) OTLP=$OTLP_SINK run_worker 1 true "$q" ;;
      sampled) OTLP=$OTLP_SINK SAMPLE=0.1 run_worker 1 true "$q" ;;
      *) METRICS=$config run_worker 1 true "$q" ;;
    esac
    meters[$config]+="$(throughput "$q" test.flaky) "
    kill -TERM "$WPID"; wait "$WPID" 2>/dev/null || true
  done
done
kill -TERM "$SINK"; wait "$SINK" 2>/dev/null || true
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
for config in false true traced sampled; do
  meters[median-$config]=$(median <<<"${meters[$config]}")
done

declare -A cold cpu
run_worker 1 true plinth-fresh
cold[default]=$(fresh plinth-fresh)
kill -TERM "$WPID"; wait "$WPID" 2>/dev/null || true
run_worker 1 true plinth-fresh-c1 -XX:TieredStopAtLevel=1
cold[c1]=$(fresh plinth-fresh-c1)
kill -TERM "$WPID"; wait "$WPID" 2>/dev/null || true
export_cpu() { java "$@" -cp "$WORK/bench:worker-service/target/lib/*" ExportCpu "$EXPORT_SECONDS"; }
cpu[default]=$(export_cpu)
cpu[c1]=$(export_cpu -XX:TieredStopAtLevel=1)

raw2=$(drive raw "$VHOST" raw-q2 "$N" "${PREFETCH:-256}" "$WARMUP")
rawbest=$(( raw > raw2 ? raw : raw2 ))

# Latency at a steady 500 tasks/s, state on, 4 workers: started_at - enqueued_at from task_run.
psql -q -h 127.0.0.1 -U postgres -d "$DB" -c "TRUNCATE task_run" >/dev/null
run_worker 4 true plinth-latency
drive publish "$VHOST" plinth-latency test.flaky "$LAT_N" 500 >/dev/null
sleep 2
latency=$(psql -At -h 127.0.0.1 -U postgres -d "$DB" -c \
  "SELECT round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY started_at - enqueued_at))*1000, 1) || ' ' ||
          round(extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY started_at - enqueued_at))*1000, 1)
   FROM task_run WHERE status = 'succeeded'")
lat_rss=$(ps -o rss= -p "$WPID" | awk '{printf "%.0f", $1/1024}')
kill -TERM "$WPID"; wait "$WPID" 2>/dev/null || true

# Celery: prefork x2, acks_late, no-op task, same broker and queue settings.
cat >"$WORK/bench_celery.py" <<PYEOF
from celery import Celery
app = Celery("bench", broker="amqp://guest:guest@127.0.0.1:5672/$VHOST")
app.conf.task_acks_late = True
app.conf.worker_prefetch_multiplier = 128
app.conf.task_default_queue = "celery-q"
@app.task(name="test.flaky", ignore_result=True)
def noop(**kwargs):
    return None
PYEOF
# exec: $! is Celery's own pid, so the kill below stops it (not only a subshell around it).
(cd "$WORK" && exec $PY -m celery -A bench_celery worker -Q celery-q -c 2 --without-heartbeat \
  --without-mingle --without-gossip --loglevel=WARNING >"$WORK/celery.log" 2>&1) &
CPID=$!
# Ready when it consumes (rabbitmqctl is polled only here, never while measuring: it costs CPU).
celery_ready() {
  rabbitmqctl -q list_queues -p "$VHOST" name consumers --no-table-headers \
    | awk '$1=="celery-q" && $2>0 {f=1} END {exit !f}'
}
for _ in $(seq 1 120); do
  celery_ready && break
  sleep 1
done
celery_ready || { echo "Celery did not start consuming; log:" >&2; tail -20 "$WORK/celery.log" >&2; exit 1; }
celery=$(throughput celery-q test.flaky)
kill -TERM "$CPID"; wait "$CPID" 2>/dev/null || true

mkdir -p bench/results
out="bench/results/tasks-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "## Tasks: no-op throughput, $N tasks per run after $WARMUP untimed (publish with confirms -> consume -> ack)"
  echo
  echo "| run | tasks/s | vs raw (best) | vs Celery | worker RSS MB |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| raw Java client, 1 publisher + 1 consumer, manual ack, prefetch ${PREFETCH:-256}: first / last | $raw / $raw2 | 1.00 | - | - |"
  for workers in 1 4; do
    for record in false true; do
      v=${plinth[$workers-$record]}
      echo "| Plinth WORKER, APP_WORKER_COUNT=$workers, state recording $record | $v | $(awk -v a="$v" -v b="$rawbest" 'BEGIN {printf "%.2f", a/b}') | $(awk -v a="$v" -v b="$celery" 'BEGIN {printf "%.2f", a/b}') | ${rss[$workers-$record]} |"
    done
  done
  echo "| Celery 5.2.6 prefork x2, acks_late | $celery | $(awk -v a="$celery" -v b="$rawbest" 'BEGIN {printf "%.2f", a/b}') | 1.00 | - |"
  echo
  echo "What the meters and traces cost: APP_WORKER_COUNT=1, state on, ${OBS_ROUNDS:-3} interleaved rounds (OTLP sink: $(cat "$WORK/otlp.log")):"
  echo
  echo "| worker | tasks/s, median | ÷ metrics off | every round |"
  echo "| --- | ---: | ---: | --- |"
  for config in false true traced sampled; do
    case $config in
      false) label="metrics off" ;;
      true) label="metrics on" ;;
      traced) label="metrics and traces on, every task sampled" ;;
      sampled) label="metrics and traces on, one in ten sampled" ;;
    esac
    echo "| $label | ${meters[median-$config]} | $(ratio "${meters[median-$config]}" "${meters[median-false]}") | ${meters[$config]}|"
  done
  echo
  echo "A freshly started worker (APP_WORKER_COUNT=1, state on), its first $FRESH_N tasks, JIT warm-up included:"
  echo
  echo "| JIT | tasks/s | vs Celery | CPU-bound task body, exports/s ($EXPORT_SECONDS s) |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| default (tiered, C2) | ${cold[default]} | $(awk -v a="${cold[default]}" -v b="$celery" 'BEGIN {printf "%.2f", a/b}') | ${cpu[default]} |"
  echo "| C1 only (-XX:TieredStopAtLevel=1) | ${cold[c1]} | $(awk -v a="${cold[c1]}" -v b="$celery" 'BEGIN {printf "%.2f", a/b}') | ${cpu[c1]} |"
  echo
  read -r p50 p99 <<<"$latency"
  echo "Enqueue -> start latency at a steady 500 tasks/s ($LAT_N tasks, 4 workers, state on):"
  echo "p50 $p50 ms, p99 $p99 ms; worker RSS $lat_rss MB."
} | tee "$out"
