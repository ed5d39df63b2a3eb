#!/usr/bin/env bash
# A local certificate authority and one server certificate for the stack's backing services
# (postgres, redis, rabbitmq by their compose names, and localhost), for compose.tls.yaml: the
# production shape (TLS everywhere, verified) on a laptop. Written once into docker-local/tls/certs
# (not committed); remove that directory to make new ones. Needs openssl.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/certs"
[ -s "$dir/server.pem" ] && exit 0
mkdir -p "$dir"
cd "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 825 -subj "/CN=Plinth local CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req "${ec[@]}" -keyout server.key -out server.csr -subj "/CN=plinth-local" 2>/dev/null
printf 'subjectAltName=DNS:postgres,DNS:redis,DNS:rabbitmq,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
# Readable by the servers' own users inside the containers; start-*.sh copy the key for them.
chmod 644 ca.pem server.pem server.key
chmod 600 ca.key
echo "docker-local/tls: certificates in $dir"
