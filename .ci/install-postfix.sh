#!/usr/bin/env bash
# Installs a real Postfix, OpenSSL and swaks for RealPostfixIT (core/src/test/java/io/tlsmon/testing).
# Idempotent: does nothing when postfix is already installed. Never leaves the system-wide Postfix
# instance running: the tests start their own private instance on loopback ports from a temp dir.
set -euo pipefail

if dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q 'install ok installed' \
   && command -v openssl >/dev/null && command -v swaks >/dev/null; then
  echo "install-postfix: postfix, openssl and swaks already installed"
  exit 0
fi

# shellcheck source=.ci/apt-lib.sh
. "$(dirname "$0")/apt-lib.sh"
require_root install-postfix

# "No configuration": the package writes no main.cf, so no system instance listens on port 25.
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections

# Keep maintainer scripts from starting services, unless a policy already does that (containers).
hold_services
trap release_services EXIT

apt-get update -q
apt-get install -y -q --no-install-recommends postfix openssl swaks libnet-ssleay-perl ca-certificates

# Belt and braces: make sure the system-wide instance is not running.
if [ -f /etc/postfix/main.cf ] && postfix status >/dev/null 2>&1; then
  postfix stop || true
fi
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl stop postfix.service >/dev/null 2>&1 || true
  systemctl disable postfix.service >/dev/null 2>&1 || true
fi

postconf -d mail_version
openssl version
echo "install-postfix: done"
