#!/usr/bin/env bash
# The run command (README: `npm start`). Does all of its own set-up on a fresh machine: installs node
# modules, brings up Kafka and Postgres (scripts/infra.sh), creates the database, generates local secrets
# once (.infra/dev.env), builds, and starts the four services, each on its own port, logs in .infra/logs.
# Ctrl-C stops them all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/infra.sh up

mkdir -p .infra/logs
if [ ! -f .infra/dev.env ]; then
  # the secrets below (the admin's password, the key of stored channel secrets) belong to one database:
  # a checkout that finds the default database already made by another checkout gets one of its own
  dev_db=switchboard
  if [ -z "${DATABASE_URL:-}" ] && psql "postgres://postgres@127.0.0.1:5432/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'switchboard'" | grep -q 1; then
    dev_db="switchboard_$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  fi
  {
    echo "SWITCHBOARD_DEV_DATABASE=$dev_db"
    echo "JWT_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
    echo "SECRETS_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
    echo "INTERNAL_API_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')"
    echo "ADMIN_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '\n/+=')"
  } >.infra/dev.env
  chmod 600 .infra/dev.env
  echo "[run] generated local secrets in .infra/dev.env (the first admin's password is there; database $dev_db)"
fi
set -a
# shellcheck disable=SC1091
. .infra/dev.env
set +a

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${SWITCHBOARD_DEV_DATABASE:-switchboard}}"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:3000}"
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@switchboard.local}"
export BLOB_DIR="${BLOB_DIR:-$ROOT/data/blobs}"
export INBOX_URL="${INBOX_URL:-http://127.0.0.1:3001}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
# a bot running on this machine (examples/faq-bot) may receive webhooks; deployments keep the default (off)
export BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS="${BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS:-true}"

db="${DATABASE_URL##*/}"
db="${db%%\?*}"
admin_url="${DATABASE_URL%/*}/postgres"
if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  echo "[run] creating database $db"
  psql "$admin_url" -c "CREATE DATABASE \"$db\"" >/dev/null
fi

npx tsc -p tsconfig.build.json

pids=()
start() {
  local name="$1" port="$2"
  PORT="$port" node "dist/apps/$name/src/main.js" >>".infra/logs/$name.log" 2>&1 &
  pids+=("$!")
  echo "[run] $name on :$port (log .infra/logs/$name.log)"
}
stop_all() { kill "${pids[@]}" 2>/dev/null || true; wait || true; }
trap stop_all INT TERM EXIT

start inbox 3001
start gateway 3000
start email-connector 3002
start telegram-connector 3003
echo "[run] Switchboard is up: $PUBLIC_URL (admin: $ADMIN_EMAIL, password in .infra/dev.env)"
wait -n "${pids[@]}" || true
echo "[run] a service exited; see .infra/logs" >&2
