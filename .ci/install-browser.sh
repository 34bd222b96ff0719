#!/usr/bin/env bash
# Debian's chromium and chromedriver for DashboardBrowserIT (streams), which drives the dashboard
# page over WebDriver and keeps a screenshot under streams/target/. Idempotent.
set -euo pipefail

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "install-browser: $(chromium --version 2>/dev/null) and chromedriver already installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: must run as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null) and $(chromedriver --version 2>/dev/null | head -1) installed"
