#!/usr/bin/env bash
# Installs Splunk's own HEC client, npm splunk-logging@0.11.1, for HecReceiverIT (siem-it): the test
# runs node with it against tlsmon's HEC receiver and skips, saying why, when node, npm or the package
# is missing. Installed into a cache folder outside the repository (node_modules is never committed):
# ${TLSMON_TOOLS_CACHE:-$HOME/.cache/tlsmon-tools}/npm. Idempotent.
set -euo pipefail

cache="${TLSMON_TOOLS_CACHE:-$HOME/.cache/tlsmon-tools}/npm"
if [ -f "$cache/node_modules/splunk-logging/package.json" ] \
   && grep -q '"version": "0.11.1"' "$cache/node_modules/splunk-logging/package.json"; then
  echo "install-siem-tools: splunk-logging 0.11.1 already in $cache"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-siem-tools: npm not found; HecReceiverIT will skip its splunk-logging test" >&2
  exit 1
fi
mkdir -p "$cache"
npm install --prefix "$cache" --no-audit --no-fund --no-save splunk-logging@0.11.1
echo "install-siem-tools: splunk-logging installed in $cache"
