#!/usr/bin/env bash
# Unpacks a real Exim (Debian's exim4-daemon-heavy, built with GnuTLS) into a private root for
# RealEximIT (core/src/test/java/io/tlsmon/testing), without installing the package: Debian's MTAs
# conflict over /usr/sbin/sendmail and Postfix owns it here. Only the shared libraries the binary
# links, the Debian-exim user it looks up at start, and the client tools (gnutls-cli, openssl,
# swaks) are installed system-wide. Idempotent: does nothing when the private root already runs.
set -euo pipefail

ROOT=/opt/tlsmon-mta/exim
EXIM="$ROOT/usr/sbin/exim4"
PACKAGES="exim4-daemon-heavy exim4-base exim4-config"
# The libraries exim4-daemon-heavy links (ldd on the unpacked binary), and the test's clients.
LIBRARIES="libcrypt1 libdb5.3 libgnutls-dane0 libgnutls30 libidn12 libidn2-0 libldap-2.5-0
  libmariadb3 libnsl2 libpam0g libpcre2-8-0 libperl5.36 libpq5 libsasl2-2 libspf2-2 libsqlite3-0"
TOOLS="gnutls-bin openssl swaks libnet-ssleay-perl ca-certificates"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-exim: must run as root" >&2
  exit 1
fi

ready() {
  [ -x "$EXIM" ] && command -v gnutls-cli >/dev/null && command -v openssl >/dev/null \
    && command -v swaks >/dev/null && getent passwd Debian-exim >/dev/null \
    && ! ldd "$EXIM" | grep -q 'not found'
}

if ready; then
  echo "install-exim: $("$EXIM" -C /dev/null -bV 2>/dev/null | grep "^Exim version") already unpacked in $ROOT"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $LIBRARIES $TOOLS

# Exim resolves its compiled-in user (EXIM_USER=ref:Debian-exim) at every start; the package's
# maintainer script would create it, and we run none.
if ! getent passwd Debian-exim >/dev/null; then
  useradd --system --user-group --home-dir /var/spool/exim4 --no-create-home \
    --shell /usr/sbin/nologin Debian-exim
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
# apt-get download writes into the current directory as the _apt user when it can.
chown _apt "$work" 2>/dev/null || true
# shellcheck disable=SC2086
(cd "$work" && apt-get download -q $PACKAGES)
rm -rf "$ROOT.new"
mkdir -p "$ROOT.new"
for deb in "$work"/*.deb; do
  dpkg -x "$deb" "$ROOT.new"
done
rm -rf "$ROOT"
mv "$ROOT.new" "$ROOT"

missing=$(ldd "$EXIM" | grep 'not found' || true)
if [ -n "$missing" ]; then
  echo "install-exim: $EXIM still lacks libraries:" >&2
  echo "$missing" >&2
  exit 1
fi

"$EXIM" -C /dev/null -bV 2>/dev/null | grep "^Exim version"
gnutls-cli --version | head -1
echo "install-exim: done, Exim unpacked in $ROOT"
