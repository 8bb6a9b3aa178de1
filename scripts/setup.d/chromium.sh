#!/usr/bin/env bash
# Debian's Chromium for the web chat widget's browser test (driven by playwright-core with
# executablePath /usr/bin/chromium). Idempotent: installs only when the binary is missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "[setup.d/chromium] chromium is missing and we are not root: install Debian's chromium package" >&2
    exit 1
  fi
else
  SUDO=""
fi
run() { if [ -n "$SUDO" ]; then $SUDO env DEBIAN_FRONTEND=noninteractive "$@"; else "$@"; fi; }

echo "[setup.d/chromium] installing chromium" >&2
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

[ -x /usr/bin/chromium ] || { echo "[setup.d/chromium] install failed" >&2; exit 1; }
echo "[setup.d/chromium] $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)" >&2
