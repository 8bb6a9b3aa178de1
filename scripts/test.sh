#!/usr/bin/env bash
# The test command (README: `npm test`). Does all of its own set-up on a fresh machine:
# installs node modules, brings up Kafka and Postgres (scripts/infra.sh), then runs lint,
# the type check, and jest's unit and integration projects. Extra arguments go to jest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] installing node modules (npm ci)" >&2
  npm ci --no-audit --no-fund
fi

for setup in scripts/setup.d/*.sh; do
  [ -e "$setup" ] && bash "$setup"
done

bash scripts/infra.sh up

if [ "$#" -eq 0 ]; then
  npx eslint . --max-warnings=0
  npx tsc -p tsconfig.json --noEmit
fi
exec npx jest --maxWorkers=2 "$@"
