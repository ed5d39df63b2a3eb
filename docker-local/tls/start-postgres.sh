#!/bin/sh
# PostgreSQL with TLS (compose.tls.yaml): the key copied where only the postgres user reads it, as
# the server requires, then the image's own start (the official image's entrypoint, or the
# stand-in's run-postgres) with ssl on.
set -eu
install -o postgres -g postgres -m 600 /tls/server.key /var/lib/postgresql/server.key
install -o postgres -g postgres -m 644 /tls/server.pem /var/lib/postgresql/server.pem
set -- -c ssl=on -c ssl_cert_file=/var/lib/postgresql/server.pem \
  -c ssl_key_file=/var/lib/postgresql/server.key
if command -v docker-entrypoint.sh >/dev/null 2>&1; then
  exec docker-entrypoint.sh postgres "$@"
fi
exec run-postgres "$@"
