#!/usr/bin/env bash
# docker-compose.yml is checked by a test (`docker compose config`, or Debian's docker-compose when the
# compose plugin is missing). No Docker engine is needed for that; install Debian's docker-compose when
# neither answers. Idempotent.
set -euo pipefail
if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "[setup.d/compose] install docker compose (or Debian's docker-compose) to check docker-compose.yml" >&2
  exit 1
fi
echo "[setup.d/compose] installing Debian's docker-compose (only to validate docker-compose.yml)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; }
