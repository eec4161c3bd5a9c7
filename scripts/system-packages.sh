#!/usr/bin/env bash
# Install the sandbox's isolation tools where we can (root with apt); otherwise explain and go on.
# `system-packages.sh up` also installs nginx, the reverse proxy of `make up`, which cannot run without it.
set -u
if [ "${1:-}" = up ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing nginx for make up..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light) >/dev/null \
      || { echo "ERROR: could not install nginx; make up needs it."; exit 1; }
  else
    echo "ERROR: make up needs nginx (Debian: apt-get install nginx-light)."
    exit 1
  fi
fi
if command -v bwrap >/dev/null 2>&1 && [ -x /usr/bin/node ] && /usr/bin/python3 -c "import seccomp" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing bubblewrap and python3-seccomp for the code sandbox..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap python3-seccomp nodejs) >/dev/null \
    || echo "WARNING: could not install bubblewrap/python3-seccomp; the code sandbox runs degraded."
else
  echo "WARNING: bubblewrap/python3-seccomp missing and not installable here (needs root and apt);"
  echo "         the code sandbox runs in degraded mode (see README, 'Code sandbox')."
fi
exit 0
