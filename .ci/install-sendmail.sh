#!/usr/bin/env bash
# Installs a real Sendmail for RealSendmailIT (core/src/test/java/io/tlsmon/testing) into a private
# root, /opt/tlsmon-mta/sendmail. Sendmail is not apt-get installed: Postfix owns /usr/sbin/sendmail
# here, and Debian's MTA packages conflict. So the Debian packages are unpacked with dpkg -x, and
# only the libraries the unpacked binary links are installed system-wide, with the client tools the
# scenarios use and rsyslog (Sendmail logs through syslog(3) only; the harness runs a private
# rsyslogd in its own mount namespace, see RealSendmail).
# Idempotent: does nothing when the private root and the tools are already there.
set -euo pipefail

ROOT=/opt/tlsmon-mta/sendmail
VERSION=8.17.1.9-2+deb12u2

if [ -x "$ROOT/usr/libexec/sendmail/sendmail" ] && [ -f "$ROOT/.version" ] \
   && [ "$(cat "$ROOT/.version")" = "$VERSION" ] \
   && command -v rsyslogd >/dev/null && command -v m4 >/dev/null && command -v openssl >/dev/null \
   && command -v swaks >/dev/null && command -v gnutls-cli >/dev/null && command -v unshare >/dev/null \
   && command -v nsenter >/dev/null && ! ldd "$ROOT/usr/libexec/sendmail/sendmail" | grep -q 'not found'; then
  echo "install-sendmail: $ROOT ($VERSION) and tools already installed"
  exit 0
fi

# shellcheck source=.ci/apt-lib.sh
. "$(dirname "$0")/apt-lib.sh"
require_root install-sendmail

# Keep maintainer scripts (rsyslog's) from starting services, unless a policy already does that.
hold_services
work=$(mktemp -d)
cleanup() {
  release_services
  rm -rf "$work"
}
trap cleanup EXIT

apt-get update -q
# What sendmail-bin's Depends name as libraries (libssl3, libsasl2-2, libdb5.3, libldap-2.5-0,
# libnsl2, libwrap0, liblockfile1), m4 for building the .cf, and the scenarios' tools.
apt-get install -y -q --no-install-recommends \
  libssl3 libsasl2-2 libdb5.3 libldap-2.5-0 libnsl2 libwrap0 liblockfile1 \
  m4 openssl swaks libnet-ssleay-perl gnutls-bin rsyslog util-linux procps ca-certificates

# rsyslog's package must not leave a system-wide daemon behind (the harness runs its own).
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl stop rsyslog.service syslog.socket >/dev/null 2>&1 || true
  systemctl disable rsyslog.service >/dev/null 2>&1 || true
fi

# apt-get download writes into the current directory as the _apt user where it can.
chmod 777 "$work"
(cd "$work" && apt-get download -q "sendmail-bin=$VERSION" "sendmail-base=$VERSION" "sendmail-cf=$VERSION")
rm -rf "$ROOT.new"
mkdir -p "$ROOT.new"
for deb in "$work"/*.deb; do
  dpkg -x "$deb" "$ROOT.new"
done
if ldd "$ROOT.new/usr/libexec/sendmail/sendmail" | grep 'not found'; then
  echo "install-sendmail: the unpacked sendmail misses libraries (above)" >&2
  exit 1
fi
echo "$VERSION" > "$ROOT.new/.version"
rm -rf "$ROOT"
mv "$ROOT.new" "$ROOT"

"$ROOT/usr/libexec/sendmail/sendmail" -d0.1 -bt </dev/null 2>/dev/null | head -1 || true
openssl version
echo "install-sendmail: done"
