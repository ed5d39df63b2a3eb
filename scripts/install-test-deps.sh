#!/usr/bin/env bash
# Installs what the tests need beyond the JDK and the local services: Debian's python3-celery,
# for the Celery interoperability tests (a real Celery client and worker against Plinth), and
# pouchdb-server from npm, a server of CouchDB's HTTP API for the CouchDB tests (Debian has no
# CouchDB). Idempotent; CI runs it before the build.
set -euo pipefail
POUCHDB_VERSION=4.2.0
POUCHDB_DIR="${PLINTH_POUCHDB_DIR:-$HOME/.cache/plinth/pouchdb-server-$POUCHDB_VERSION}"

if [ ! -x "$POUCHDB_DIR/node_modules/.bin/pouchdb-server" ]; then
  mkdir -p "$POUCHDB_DIR"
  # In memory (--in-memory) it needs none of its native storage modules: their scripts stay off.
  npm install --prefix "$POUCHDB_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "pouchdb-server@$POUCHDB_VERSION" >/dev/null
fi
echo "pouchdb-server $POUCHDB_VERSION in $POUCHDB_DIR"

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
