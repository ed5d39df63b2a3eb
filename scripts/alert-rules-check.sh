#!/usr/bin/env bash
# The alert rules of devops/prometheus, checked by Prometheus's own tool: syntax and expressions
# (promtool check rules), then behaviour on synthetic series (promtool test rules). Installs
# Debian's prometheus package for promtool where it is missing and the machine allows it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null
fi
cd devops/prometheus
promtool check rules alerts.yaml
promtool test rules alerts.test.yaml
