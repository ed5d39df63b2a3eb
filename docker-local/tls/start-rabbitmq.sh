#!/bin/sh
# RabbitMQ with an AMQPS listener on 5671 (compose.tls.yaml), as Amazon MQ: the key copied for
# the rabbitmq user, a conf.d file for the listener, then the image's own start.
set -eu
mkdir -p /etc/rabbitmq/conf.d /etc/rabbitmq/tls
install -o rabbitmq -m 600 /tls/server.key /etc/rabbitmq/tls/server.key
cat >/etc/rabbitmq/conf.d/90-plinth-tls.conf <<CONF
listeners.ssl.default = 5671
ssl_options.cacertfile = /tls/ca.pem
ssl_options.certfile = /tls/server.pem
ssl_options.keyfile = /etc/rabbitmq/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
CONF
if command -v docker-entrypoint.sh >/dev/null 2>&1; then
  exec docker-entrypoint.sh rabbitmq-server
fi
exec run-rabbitmq
