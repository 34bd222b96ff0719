# Shared by the .ci/install-*.sh scripts that install Debian packages: sourced, not run.

# require_root NAME: apt-get needs root; say so, naming the script, and stop.
require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1: must run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
}

# hold_services: packages' maintainer scripts must not start their services here (a test starts its
# own instance), so a policy-rc.d says no, unless one is already there (containers); release_services
# removes only the one made here.
hold_services() {
  held_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    held_policy=yes
  fi
}

release_services() {
  if [ -n "${held_policy:-}" ]; then
    rm -f /usr/sbin/policy-rc.d
  fi
}
