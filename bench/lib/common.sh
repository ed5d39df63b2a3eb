# shellcheck shell=bash
# Shared by the bench/*.sh scripts: readiness polling and one wrk measurement.
# The caller sets URL (http://127.0.0.1:PORT), THREADS, CONNECTIONS and DURATION.

ensure_wrk() {
  command -v wrk >/dev/null && return 0
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
}

# Polls /__lbheartbeat__ until it answers 200 (at most 30 s).
wait_ready() {
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "$URL/__lbheartbeat__" && return 0
    sleep 0.05
  done
  echo "not ready: $URL" >&2
  return 1
}

# wrk: a warm-up (WARMUP, default 10 s: a JVM server that just started is still compiling its hot
# path after 3 s, a bare Netty much less so), then the measured run; prints "rps p99_ms". Extra wrk
# arguments pass through.
load() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-10s}" "$@" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" | awk '
    /Requests\/sec/ {rps=$2}
    $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.2f\n", rps, p99}'
}
