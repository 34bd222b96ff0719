#!/usr/bin/env bash
# Installs Debian's prometheus (with promtool) and prometheus-alertmanager for PrometheusScrapeIT,
# the promtool check and AlertmanagerNotifierIT (streams/src/test/java/io/tlsmon/ops). Idempotent:
# does nothing when both are installed. Starts no service: the tests start their own servers on
# loopback ports with their own configuration in a temp dir.
set -euo pipefail

if command -v prometheus >/dev/null && command -v promtool >/dev/null \
   && { command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null; }; then
  echo "install-prometheus: prometheus, promtool and alertmanager already installed"
  exit 0
fi

# shellcheck source=.ci/apt-lib.sh
. "$(dirname "$0")/apt-lib.sh"
require_root install-prometheus

# Keep maintainer scripts from starting services, unless a policy already does that (containers).
hold_services
trap release_services EXIT

apt-get update -q
apt-get install -y -q --no-install-recommends prometheus prometheus-alertmanager

# Belt and braces: make sure the system-wide instances are not running.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  for s in prometheus.service prometheus-alertmanager.service; do
    systemctl stop "$s" >/dev/null 2>&1 || true
    systemctl disable "$s" >/dev/null 2>&1 || true
  done
fi

prometheus --version 2>&1 | head -1
echo "install-prometheus: done"
