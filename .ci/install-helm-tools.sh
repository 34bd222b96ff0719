#!/usr/bin/env bash
# Tools of the chart's checks (helm/, HelmChartTest): Debian's yamllint for the chart's own YAML, and
# npm kubernetes-models@5.1.0 with js-yaml for helm/validate-manifests.mjs, which checks the rendered
# manifests against the Kubernetes OpenAPI schemas. The test skips each check, saying why, when its tool
# is missing. The npm packages go to a cache folder outside the repository (node_modules is never
# committed), beside but apart from install-siem-tools.sh's, so neither install prunes the other's:
# ${TLSMON_TOOLS_CACHE:-$HOME/.cache/tlsmon-tools}/npm-k8s. Idempotent.
set -euo pipefail

status=0

if command -v yamllint >/dev/null; then
  echo "install-helm-tools: $(yamllint --version) already installed"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install-helm-tools: yamllint missing and not root: cannot apt-get it" >&2
  status=1
else
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends yamllint >/dev/null
  echo "install-helm-tools: $(yamllint --version) installed"
fi

cache="${TLSMON_TOOLS_CACHE:-$HOME/.cache/tlsmon-tools}/npm-k8s"
if [ -f "$cache/node_modules/kubernetes-models/package.json" ] \
   && grep -q '"version": "5.1.0"' "$cache/node_modules/kubernetes-models/package.json" \
   && [ -f "$cache/node_modules/js-yaml/package.json" ]; then
  echo "install-helm-tools: kubernetes-models 5.1.0 already in $cache"
elif ! command -v npm >/dev/null; then
  echo "install-helm-tools: npm not found; the schema check of the rendered manifests will skip" >&2
  status=1
else
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save kubernetes-models@5.1.0 js-yaml@4.1.0
  echo "install-helm-tools: kubernetes-models 5.1.0 installed in $cache"
fi
exit "$status"
