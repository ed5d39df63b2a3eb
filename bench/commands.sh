#!/usr/bin/env bash
# TASK and BEAT benchmark (issue 7):
#  1. wall time of `config` and `check` on the embedded defaults (H2, no broker), plain JVM and
#     with an application class-data-sharing archive made by a training run, beside `java -version`
#     measured in the same run;
#  2. BEAT's publish delay: one BEAT process on a fresh PostgreSQL database and RabbitMQ, a
#     1-second schedule for BEAT_SECONDS; delay = broker-confirmed publish time - due time, read
#     from beat_runs (p50, p99, max).
#
#   bench/commands.sh        # RUNS=10 BEAT_SECONDS=60 by default
#
# Prints a Markdown report and writes it to bench/results/commands-<timestamp>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
BEAT_SECONDS=${BEAT_SECONDS:-60}

./mvnw -B -q -ntp -DskipTests package -pl task-runner,beat-scheduler -am
TASK_JAR=$(ls task-runner/target/task-runner-*.jar)
BEAT_JAR=$(ls beat-scheduler/target/beat-scheduler-*.jar)
WORK=$(mktemp -d)
DB=plinth_bench_$$
QUEUE=plinth-bench-$$
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  psql -qX -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_queue "$QUEUE" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_queue "$QUEUE.dead" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Median and max of RUNS wall times (ms) of a command line.
time_runs() {
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local t0; t0=$(ms)
    "$@" >/dev/null 2>&1 || true
    times+=($(( $(ms) - t0 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d ms (min %d, max %d)", a[int((NR+1)/2)], a[1], a[NR]}'
}

export APP_DEBUG=true APP_DATA_DIR="$WORK/data"
# Training run for the class-data-sharing archive, as the image's TASK one (devops/docker/aot-train.sh):
# migrate and check start the application context, so its classes are archived; config alone
# starts none. It also leaves the database migrated for every measured run alike.
APP_TASK_LIST="migrate apply; check; config" \
  java -XX:ArchiveClassesAtExit="$WORK/task.jsa" -jar "$TASK_JAR" >/dev/null 2>&1 || true

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
BASE=$(time_runs java -version)
CONFIG=$(time_runs java -jar "$TASK_JAR" config)
CHECK=$(time_runs java -jar "$TASK_JAR" check)
CONFIG_CDS=$(time_runs java -XX:SharedArchiveFile="$WORK/task.jsa" -Xshare:auto -jar "$TASK_JAR" config)
CHECK_CDS=$(time_runs java -XX:SharedArchiveFile="$WORK/task.jsa" -Xshare:auto -jar "$TASK_JAR" check)
CHECK_CDS_C1=$(time_runs java -XX:SharedArchiveFile="$WORK/task.jsa" -XX:TieredStopAtLevel=1 -jar "$TASK_JAR" check)

# BEAT publish delay.
psql -qX -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $DB" >/dev/null
env -i PATH="$PATH" APP_DEBUG=true APP_DATA_DIR="$WORK/beat" PORT=0 APP_MANAGEMENT_PORT=0 \
  DATABASE_HOST=127.0.0.1 DATABASE_NAME="$DB" DATABASE_USERNAME=postgres RABBITMQ_HOST=127.0.0.1 \
  java -Dplinth.beat.schedules.bench.task=bench.tick -Dplinth.beat.schedules.bench.interval=1s \
  -Dplinth.beat.schedules.bench.queue="$QUEUE" -Dplinth.beat.schedules.example-cleanup.enabled=false \
  -jar "$BEAT_JAR" >"$WORK/beat.log" 2>&1 &
sleep "$BEAT_SECONDS"
DELAY=$(psql -qAtX -h 127.0.0.1 -U postgres -d "$DB" -F ' ' -c "
  SELECT count(*),
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 1),
         round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 1),
         round(max(d)::numeric, 1)
  FROM (SELECT extract(epoch FROM published_at - due_at) * 1000 AS d FROM beat_runs
        WHERE schedule_name = 'bench' AND published_at IS NOT NULL) x")
read -r N P50 P99 MAX <<<"$DELAY"
# The same without the first 5 runs, whose publish path is still cold (class loading, JIT, first
# broker channel), and the first run on its own.
WARM=$(psql -qAtX -h 127.0.0.1 -U postgres -d "$DB" -F ' ' -c "
  WITH r AS (SELECT extract(epoch FROM published_at - due_at) * 1000 AS d,
                    row_number() OVER (ORDER BY due_at) AS n
             FROM beat_runs WHERE schedule_name = 'bench' AND published_at IS NOT NULL)
  SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 1),
         round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 1),
         round(max(d)::numeric, 1),
         (SELECT round(d::numeric, 1) FROM r WHERE n = 1)
  FROM r WHERE n > 5")
read -r W50 W99 WMAX FIRST <<<"$WARM"

REPORT=$(cat <<MD
### Run of $(date -u +%Y-%m-%dT%H:%MZ) (load average at start: $LOAD; $(nproc) CPUs)

| measurement | median of $RUNS |
| --- | --- |
| \`java -version\` (baseline) | $BASE |
| \`config\`, plain JVM | $CONFIG |
| \`check\`, plain JVM | $CHECK |
| \`config\`, CDS archive | $CONFIG_CDS |
| \`check\`, CDS archive | $CHECK_CDS |
| \`check\`, CDS archive + C1 only | $CHECK_CDS_C1 |

BEAT publish delay (confirmed publish - due time), one replica, 1-second schedule, $N runs over
${BEAT_SECONDS} s: p50 $P50 ms, p99 $P99 ms, max $MAX ms; without the first 5 runs: p50 $W50 ms,
p99 $W99 ms, max $WMAX ms (the first run alone: $FIRST ms).
MD
)
mkdir -p bench/results
echo "$REPORT" | tee "bench/results/commands-$(date -u +%Y%m%dT%H%M%SZ).md"
