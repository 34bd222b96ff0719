#!/usr/bin/env bash
# Builds tlsmon's JRE base image from Debian packages, without pulling any image and without a
# Docker daemon: debootstrap (minbase + openjdk-17-jre-headless) into a folder, umoci to turn that
# folder into an OCI image layer with its config, skopeo to write it as a docker-archive, which is
# what Jib's tar:// base accepts (an OCI archive lacks the manifest.json Jib looks for).
#
# Usage: docker/build-base.sh [OUT]   (default OUT: target/docker/base-docker.tar at the repo root)
# Cached under ${TLSMON_TOOLS_CACHE:-$HOME/.cache/tlsmon-tools}/docker-base, keyed on this script,
# the suite and the mirror, so a second run takes a second; TLSMON_BASE_REBUILD=1 forces a rebuild.
# Needs root (debootstrap chroots and chowns), debootstrap, umoci and skopeo (.ci/install-docker.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="${1:-$repo/target/docker/base-docker.tar}"

SUITE=bookworm
IMAGE_NAME=tlsmon-base
IMAGE_TAG=17-$SUITE
PACKAGES=openjdk-17-jre-headless,ca-certificates
# Numeric, fixed ids: Kubernetes' runAsNonRoot can only verify a numeric user, and files on the
# state volume keep their owner across image rebuilds.
APP_UID=10001
APP_GID=10001
STATE_DIR=/var/lib/tlsmon

log() { echo "build-base: $*" >&2; }

# The Debian mirror this machine already uses (deb822 .sources or one-line .list), not a guess:
# the only registries reachable are the ones apt is set up for.
debian_mirror() {
  if [ -n "${TLSMON_DEBIAN_MIRROR:-}" ]; then
    echo "$TLSMON_DEBIAN_MIRROR"
    return
  fi
  local f url
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # one-line form: deb [opts] URL bookworm main
    url=$(awk -v s="$SUITE" '$1=="deb" { for (i=2;i<=NF;i++) if ($i ~ /^https?:\/\//) { if ($(i+1)==s) { print $i; exit } } }' "$f")
    if [ -z "$url" ]; then
      # deb822 form: a stanza with URIs: and Suites: naming the suite itself (not -security, -updates)
      url=$(awk -v s="$SUITE" '
        /^[[:space:]]*$/ { if (u != "" && ok) { print u; exit } u=""; ok=0; next }
        /^URIs:/ { u=$2 }
        /^Suites:/ { for (i=2;i<=NF;i++) if ($i==s) ok=1 }
        END { if (u != "" && ok) print u }' "$f" | head -1)
    fi
    if [ -n "$url" ]; then
      echo "$url"
      return
    fi
  done
  return 1
}

for tool in debootstrap umoci skopeo; do
  if ! command -v "$tool" >/dev/null; then
    log "$tool not found (bash .ci/install-docker.sh installs it)"
    exit 3
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (debootstrap)"
  exit 3
fi

mirror=$(debian_mirror) || { log "no Debian $SUITE mirror found in /etc/apt/sources.list*; set TLSMON_DEBIAN_MIRROR"; exit 3; }
cache="${TLSMON_TOOLS_CACHE:-$HOME/.cache/tlsmon-tools}/docker-base"
key=$( { sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1; echo "$SUITE $PACKAGES $mirror $(dpkg --print-architecture)"; } | sha256sum | cut -c1-16)
cached="$cache/base-$key.docker.tar"

if [ "${TLSMON_BASE_REBUILD:-0}" != "1" ] && [ -s "$cached" ]; then
  log "cached base $cached (key $key)"
else
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  started=$(date +%s)
  log "debootstrap $SUITE from $mirror (minbase + $PACKAGES) ..."
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; log "debootstrap failed"; exit 1; }
  log "debootstrap done in $(( $(date +%s) - started )) s"

  # The application's user and its one state folder, owned by it so that a fresh named volume
  # mounted there (Docker copies the image's folder owner into it) is writable without root.
  echo "tlsmon:x:$APP_UID:$APP_GID:tlsmon:$STATE_DIR:/usr/sbin/nologin" >>"$rootfs/etc/passwd"
  echo "tlsmon:x:$APP_GID:" >>"$rootfs/etc/group"
  echo "tlsmon:!:19000::::::" >>"$rootfs/etc/shadow"
  mkdir -p "$rootfs$STATE_DIR"
  chown "$APP_UID:$APP_GID" "$rootfs$STATE_DIR"
  chmod 750 "$rootfs$STATE_DIR"

  # What a runtime image never uses: package caches and lists, documentation, man pages, locales
  # other than the C one, debootstrap's own logs. Saves about a fifth of the size.
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
         "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
         "$rootfs"/usr/share/locale/* "$rootfs"/debootstrap "$rootfs"/tmp/* "$rootfs"/var/tmp/*
  # Device nodes that debootstrap made: a container runtime provides /dev, and a layer holding
  # nodes cannot be unpacked by rootless tools.
  find "$rootfs/dev" -mindepth 1 -delete 2>/dev/null || true

  java_home=$(dirname "$(dirname "$(readlink -f "$rootfs/usr/bin/java")")")
  java_home=${java_home#"$rootfs"}
  [ -x "$rootfs$java_home/bin/java" ] || { log "no java in the base ($java_home)"; exit 1; }

  layout="$work/oci"
  umoci init --layout "$layout"
  umoci new --image "$layout:$IMAGE_TAG"
  # umoci's unpack/repack pair turns a folder into a layer; unpack gives an empty rootfs to fill.
  umoci unpack --image "$layout:$IMAGE_TAG" "$work/bundle" >/dev/null
  rm -rf "$work/bundle/rootfs"
  mv "$rootfs" "$work/bundle/rootfs"
  umoci repack --image "$layout:$IMAGE_TAG" "$work/bundle"
  umoci config --image "$layout:$IMAGE_TAG" \
    --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.env "JAVA_HOME=$java_home" \
    --config.env "LANG=C.UTF-8" \
    --config.user "$APP_UID:$APP_GID" \
    --config.workingdir "$STATE_DIR" \
    --config.volume "$STATE_DIR" \
    --config.cmd /bin/bash \
    --config.label "org.opencontainers.image.title=tlsmon JRE base" \
    --config.label "org.opencontainers.image.description=Debian $SUITE minbase with $PACKAGES, built by docker/build-base.sh" \
    --history.created_by "docker/build-base.sh: debootstrap --variant=minbase --include=$PACKAGES $SUITE"
  umoci gc --layout "$layout"
  rm -f "$work/base.tar"
  skopeo copy --quiet "oci:$layout:$IMAGE_TAG" "docker-archive:$work/base.tar:$IMAGE_NAME:$IMAGE_TAG"
  mv "$work/base.tar" "$cached"
  # older keys are older scripts or mirrors: keep only the current one
  find "$cache" -maxdepth 1 -name 'base-*.docker.tar' ! -name "base-$key.docker.tar" -delete
  log "built $cached in $(( $(date +%s) - started )) s"
fi

mkdir -p "$(dirname "$out")"
# a hard link costs nothing when cache and target share a file system; a copy otherwise
ln -f "$cached" "$out" 2>/dev/null || cp -f "$cached" "$out"
log "$out: $IMAGE_NAME:$IMAGE_TAG, $(du -m "$out" | cut -f1) MB"
echo "$out"
