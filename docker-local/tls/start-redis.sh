#!/bin/sh
# Redis with TLS only and a password (compose.tls.yaml), as ElastiCache with in-transit encryption
# and AUTH: the key copied for the redis user, then the image's own start.
set -eu
mkdir -p /run/redis-tls
install -o redis -m 600 /tls/server.key /run/redis-tls/server.key
set -- --port 0 --tls-port 6379 --tls-cert-file /tls/server.pem \
  --tls-key-file /run/redis-tls/server.key --tls-auth-clients no --requirepass "$REDIS_PASSWORD"
if command -v docker-entrypoint.sh >/dev/null 2>&1; then
  exec docker-entrypoint.sh redis-server "$@"
fi
exec run-redis "$@"
