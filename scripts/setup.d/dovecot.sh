#!/usr/bin/env bash
# Dovecot (IMAP with IDLE + LMTP) from Debian for the email connector's integration tests and
# benchmark. Idempotent: installs only when the binary is missing. The system service is NOT
# started (and is stopped/disabled if the package's post-install started it): every test run starts
# its own private instance from libs/testing/src/fakes/mail (own config, base_dir, ports, users).
set -euo pipefail

have_dovecot() {
  command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]
}
have_lmtp() {
  [ -x /usr/lib/dovecot/lmtp ]
}

if have_dovecot && have_lmtp; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "[setup.d/dovecot] dovecot is missing and we are not root: install dovecot-imapd dovecot-lmtpd" >&2
    exit 1
  fi
else
  SUDO=""
fi
run() { if [ -n "$SUDO" ]; then $SUDO env DEBIAN_FRONTEND=noninteractive "$@"; else "$@"; fi; }

echo "[setup.d/dovecot] installing dovecot-imapd dovecot-lmtpd" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d keeps the package scripts from starting the system service (no container init anyway).
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | run tee "$POLICY" >/dev/null
  run chmod +x "$POLICY"
  CREATED_POLICY=1
fi
cleanup() { if [ "$CREATED_POLICY" = 1 ]; then run rm -f "$POLICY"; fi; }
trap cleanup EXIT

run apt-get update -qq
run apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  dovecot-core dovecot-imapd dovecot-lmtpd >/dev/null

# Never leave the global service running (tests start private instances).
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  run systemctl disable --now dovecot >/dev/null 2>&1 || true
fi

have_dovecot && have_lmtp || { echo "[setup.d/dovecot] install failed" >&2; exit 1; }
echo "[setup.d/dovecot] $(dovecot --version 2>/dev/null || /usr/sbin/dovecot --version)" >&2
