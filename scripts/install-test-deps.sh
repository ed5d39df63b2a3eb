#!/usr/bin/env bash
# Installs what the tests need beyond the JDK and the local services: Debian's python3-celery,
# for the Celery interoperability tests (a real Celery client and worker against Plinth).
# Idempotent; CI runs it before the build.
set -euo pipefail
# Debian's interpreter: a python3 earlier on PATH (pyenv, venv) does not see Debian's packages.
if /usr/bin/python3 -c 'import celery' >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends python3-celery >/dev/null
/usr/bin/python3 -c 'import celery; print("celery", celery.__version__)'
