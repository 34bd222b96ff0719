#!/usr/bin/env bash
# Installs what docker/smoke.sh needs to build and run the tlsmon image without any image registry:
# debootstrap (the JRE base from Debian packages), umoci and skopeo (packing it as an image without a
# daemon), docker.io (a private dockerd that the smoke test starts and stops itself), and
# docker-compose and yamllint (to validate docker/compose.yaml, which cannot run here: its images
# would have to be pulled), jq (reading the commands' JSON output). Idempotent. Starts no service:
# the package's own dockerd would take the machine's default socket and bridge network, which the
# smoke test must not depend on.
set -euo pipefail

PACKAGES="debootstrap umoci skopeo docker.io docker-compose yamllint jq"

ready() {
  command -v debootstrap >/dev/null && command -v umoci >/dev/null && command -v skopeo >/dev/null \
    && command -v dockerd >/dev/null && command -v docker-compose >/dev/null && command -v yamllint >/dev/null && command -v jq >/dev/null
}

if ready; then
  echo "install-docker: debootstrap, umoci, skopeo, dockerd, docker-compose, yamllint and jq already installed"
  exit 0
fi

# shellcheck source=.ci/apt-lib.sh
. "$(dirname "$0")/apt-lib.sh"
require_root install-docker

# Keep maintainer scripts (docker.io's, containerd's) from starting services, unless a policy already does that.
hold_services
trap release_services EXIT

apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES

# Belt and braces: no system-wide daemon left behind (systemd machines ignore policy-rc.d for sockets).
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  for s in docker.socket docker.service containerd.service; do
    systemctl stop "$s" >/dev/null 2>&1 || true
    systemctl disable "$s" >/dev/null 2>&1 || true
  done
fi

dockerd --version
umoci --version
skopeo --version
docker-compose version --short 2>/dev/null || true
echo "install-docker: done"
