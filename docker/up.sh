#!/usr/bin/env bash
# Starts the compose stack (docker/compose.yaml): makes the API token secret when there is none,
# builds the jar that docker/Dockerfile copies when it is missing or stale, then
# `docker compose up -d --build` (extra arguments are passed on, e.g. --no-build to use a loaded
# Jib image). Needs Docker with the compose plugin (or docker-compose), Java 17 and Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

secret="$here/secrets/api-token"
if [ ! -s "$secret" ]; then
  # the folder keeps the token from other users of this host; the file itself must be readable by
  # the container's user (10001), since compose bind-mounts file secrets as they are
  mkdir -p "$here/secrets"
  chmod 700 "$here/secrets"
  (umask 022; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret")
  echo "up: new API token in $secret"
fi

# ./tlsmon builds streams/target/tlsmon.jar when it is missing or older than the sources
if [[ " $* " != *" --no-build "* ]]; then
  "$repo/tlsmon" --version >/dev/null
fi

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose=(docker-compose)
else
  echo "up: neither 'docker compose' nor docker-compose found" >&2
  exit 1
fi
if [[ " $* " == *" --no-build "* ]]; then
  exec "${compose[@]}" -p tlsmon -f "$here/compose.yaml" up -d "$@"
fi
exec "${compose[@]}" -p tlsmon -f "$here/compose.yaml" up -d --build "$@"
