# shellcheck shell=bash
# Sourced by container-{mode}.sh and aot-train.sh: where the image keeps things and the JVM flags
# every mode runs with, in one place.

APP_HOME=${APP_HOME:-/app}

# jvm_flags MODE: fills the array JVM_FLAGS for MODE (web, worker, beat, task).
# - Memory follows the container's cgroup limit (the JVM reads it; 75% of it goes to the heap).
# - JVM warnings go to stderr: stdout carries mozlog JSON only.
# - The AOT cache made at build time for this mode (JDK 25: /app/aot/MODE.aot; on a JDK 17-24
#   runtime the training writes a CDS archive /app/aot/MODE.jsa instead) is used when present and
#   APP_AOT is not false (APP_CDS=false, the older name, is still accepted). Either falls back to a
#   plain start (warning on stderr) if it does not match the JVM or the jars.
# - TASK commands run with C1 only (short-lived processes).
# - JAVA_OPTS comes last, so an operator can override any of the above.
jvm_flags() {
  local mode=$1
  JVM_FLAGS=(
    "-XX:MaxRAMPercentage=${JAVA_MAX_RAM_PERCENTAGE:-75}"
    "-XX:InitialRAMPercentage=${JAVA_INITIAL_RAM_PERCENTAGE:-25}"
    -XX:+ExitOnOutOfMemoryError
    -Xlog:disable
    -Xlog:all=warning:stderr
    -Dfile.encoding=UTF-8
    # Netty loads its native transport with System.loadLibrary: JDK 24+ warns on stderr at each
    # start unless native access is granted (JEP 472). JDK 17 accepts the flag as well.
    --enable-native-access=ALL-UNNAMED
  )
  if [ "${APP_AOT:-true}" != "false" ] && [ "${APP_CDS:-true}" != "false" ]; then
    if [ -r "$APP_HOME/aot/$mode.aot" ]; then
      # AOTMode defaults to auto: a cache that does not match is skipped with a warning.
      JVM_FLAGS+=("-XX:AOTCache=$APP_HOME/aot/$mode.aot")
    elif [ -r "$APP_HOME/aot/$mode.jsa" ]; then
      JVM_FLAGS+=("-XX:SharedArchiveFile=$APP_HOME/aot/$mode.jsa" -Xshare:auto)
    fi
  fi
  # A run-to-completion command is over before C2 pays off: C1 only took `check` from 2.5 s to
  # 1.5 s (docs/performance.md). A long batch command can set JAVA_OPTS=-XX:TieredStopAtLevel=4.
  if [ "$mode" = task ]; then
    JVM_FLAGS+=(-XX:TieredStopAtLevel=1)
  fi
  local extra=()
  # Word-splitting JAVA_OPTS is the point: it holds several flags.
  read -r -a extra <<<"${JAVA_OPTS:-}"
  JVM_FLAGS+=("${extra[@]}")
}

# java_feature: the runtime's feature version (17, 25, ...).
java_feature() {
  java -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# module_of MODE: the image's jar name for MODE.
module_of() {
  case "$1" in
    web) echo web-service ;;
    worker) echo worker-service ;;
    beat) echo beat-scheduler ;;
    task) echo task-runner ;;
    *) return 1 ;;
  esac
}

# launch_args MODE: fills the array LAUNCH with how java starts MODE's program: the thin jar (and
# its lib/) of the Dockerfile image, or the classpath and main-class files of a Jib image.
launch_args() {
  if [ -r "$APP_HOME/jib-classpath-file" ]; then
    LAUNCH=(-cp "@$APP_HOME/jib-classpath-file" "@$APP_HOME/jib-main-class-file")
  else
    LAUNCH=(-jar "$APP_HOME/$(module_of "$1").jar")
  fi
}

# run_mode MODE ARGS...: replaces the shell with the mode's JVM, so SIGTERM reaches it.
run_mode() {
  local mode=$1
  shift
  jvm_flags "$mode"
  launch_args "$mode"
  # The program checks that APP_RUN_MODE names it; the script is what chose the mode.
  export APP_RUN_MODE=${mode^^}
  exec java "${JVM_FLAGS[@]}" "${LAUNCH[@]}" "$@"
}
