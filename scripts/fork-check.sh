#!/usr/bin/env bash
# The fork guide's promise, checked (docs/forking.md, "Drop the example"): on a copy of this
# checkout, remove the example exactly as the guide says, then the platform's tests must pass and
# every mode must still compile. Run by .ci/run after the main build (it needs its artifacts in
# the local Maven repository only for plugins: everything is built again in the copy).
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy"
cd "$copy"

say() { echo "fork-check: $*" >&2; }

# 1. The example module and every dependency on it.
rm -rf example
sed -i '\#<module>example</module>#d' pom.xml
for pom in web-service/pom.xml worker-service/pom.xml beat-scheduler/pom.xml task-runner/pom.xml; do
  python3 - "$pom" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"\s*<dependency>\s*<!-- The example domain[^>]*-->\s*<groupId>dev.plinth</groupId>\s*"
           r"<artifactId>example</artifactId>\s*</dependency>", "", s)
open(p, "w").write(s)
PY
done
# 2. The modes' example code: WEB's hello, notes and exports controllers, BEAT's example
#    schedules, TASK's notes command (and its line in TaskCommands).
rm -rf web-service/src/main/java/dev/plinth/web/notes web-service/src/main/java/dev/plinth/web/exports
rm -f web-service/src/main/java/dev/plinth/web/pages/HelloController.java \
  beat-scheduler/src/main/java/dev/plinth/beat/ExampleSchedules.java \
  task-runner/src/main/java/dev/plinth/task/NotesCommand.java
sed -i '/NotesCommand.class,/d' task-runner/src/main/java/dev/plinth/task/TaskCommands.java
# 3. The modes' tests exercise the example's endpoints and tasks: a fork writes its own.
rm -rf web-service/src/test worker-service/src/test beat-scheduler/src/test task-runner/src/test

if grep -rln 'dev\.plinth\.example' --include=*.java . >&2; then
  say "code still names dev.plinth.example after the guide's steps"
  exit 1
fi
say "platform-lib's tests, then every mode's compile, without the example"
./mvnw -B -q -ntp -pl platform-lib verify
./mvnw -B -q -ntp -DskipTests package
say "ok: the platform and the four modes build without the example"
