#!/usr/bin/env bash
# Brings up (or down) what Switchboard needs around it: Kafka and Postgres.
#
#   scripts/infra.sh up       idempotent: uses what already answers, starts what is missing
#   scripts/infra.sh down     stops the Kafka broker this script started (Postgres is left alone)
#   scripts/infra.sh status   prints what answers
#
# Kafka: when nothing answers at KAFKA_BROKERS (default 127.0.0.1:9092), Apache Kafka's jars are
# resolved from Maven Central with scripts/kafka/pom.xml into a cache folder and a single-node KRaft
# broker is started with its storage formatted once and its log in .infra/kafka.log.
# Postgres: DATABASE_URL, else 127.0.0.1:5432; a local Debian cluster that is installed but down is
# started with pg_ctlcluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/scripts/kafka/pom.xml")"
CACHE_DIR="${SWITCHBOARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard}"
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
STATE_DIR="${SWITCHBOARD_STATE:-$ROOT/.infra}"
KAFKA_DATA="$STATE_DIR/kafka-data"
KAFKA_LOG="$STATE_DIR/kafka.log"
KAFKA_PID="$STATE_DIR/kafka.pid"
KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

say() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# host:port answers a TCP connect
answers() {
  local host="${1%:*}" port="${1##*:}"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

first_broker() { printf '%s' "${KAFKA_BROKERS%%,*}"; }

pg_host_port() {
  # postgres://user:pass@host:port/db?x → host:port
  local rest="${DATABASE_URL#*://}"
  rest="${rest#*@}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  [[ "$rest" == *:* ]] || rest="$rest:5432"
  printf '%s' "$rest"
}

ensure_postgres() {
  local hp
  hp="$(pg_host_port)"
  if answers "$hp"; then
    say "postgres answers at $hp"
    return
  fi
  local host="${hp%:*}"
  if [[ "$host" == "127.0.0.1" || "$host" == "localhost" ]] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    say "starting the local PostgreSQL $version cluster"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 60); do
      answers "$hp" && { say "postgres answers at $hp"; return; }
      sleep 0.5
    done
  fi
  die "no PostgreSQL answers at $hp. Install it (apt-get install postgresql), set DATABASE_URL, or run: docker compose up -d kafka postgres"
}

fetch_kafka() {
  if [ -f "$KAFKA_LIBS/.complete" ]; then return; fi
  command -v mvn >/dev/null 2>&1 || die "Maven is needed to fetch Kafka $KAFKA_VERSION from Maven Central: apt-get install maven (or run: docker compose up -d kafka postgres)"
  say "resolving Apache Kafka $KAFKA_VERSION from Maven Central into $KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  mvn -q -B -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS" -DincludeScope=runtime >&2
  touch "$KAFKA_LIBS/.complete"
}

write_kafka_config() {
  local broker host port
  broker="$(first_broker)"
  host="${broker%:*}"
  port="${broker##*:}"
  cat >"$STATE_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$((port + 1))
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$((port + 1))
advertised.listeners=PLAINTEXT://$host:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=${KAFKA_DEFAULT_PARTITIONS:-6}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
log.cleaner.enable=true
EOF
  cat >"$STATE_DIR/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
EOF
}

kafka_java() {
  java -Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$STATE_DIR/log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

ensure_kafka() {
  local broker
  broker="$(first_broker)"
  if answers "$broker"; then
    say "kafka answers at $broker"
    return
  fi
  local host="${broker%:*}"
  if [[ "$host" != "127.0.0.1" && "$host" != "localhost" ]]; then
    die "no Kafka answers at $broker and it is not local, so it cannot be started here. Start it, or run: docker compose up -d kafka postgres"
  fi
  command -v java >/dev/null 2>&1 || die "Java 17+ is needed to run Kafka locally: apt-get install openjdk-17-jre-headless (or run: docker compose up -d kafka postgres)"
  fetch_kafka
  mkdir -p "$STATE_DIR"
  write_kafka_config
  if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
    say "formatting KRaft storage in $KAFKA_DATA"
    mkdir -p "$KAFKA_DATA"
    kafka_java kafka.tools.StorageTool format -t "$(kafka_java kafka.tools.StorageTool random-uuid)" \
      -c "$STATE_DIR/server.properties" --ignore-formatted >>"$KAFKA_LOG" 2>&1
  fi
  say "starting Kafka $KAFKA_VERSION (KRaft) at $broker, log: $KAFKA_LOG"
  nohup setsid bash -c "$(declare -f kafka_java); STATE_DIR='$STATE_DIR' KAFKA_LIBS='$KAFKA_LIBS' kafka_java kafka.Kafka '$STATE_DIR/server.properties'" \
    >>"$KAFKA_LOG" 2>&1 </dev/null &
  echo $! >"$KAFKA_PID"
  for _ in $(seq 1 120); do
    if answers "$broker" && grep -q 'Kafka Server started\|Transitioning from RECOVERY to RUNNING\|\[BrokerServer id=1\] Transition from STARTING to STARTED' "$KAFKA_LOG" 2>/dev/null; then
      say "kafka answers at $broker"
      return
    fi
    kill -0 "$(cat "$KAFKA_PID")" 2>/dev/null || { tail -n 40 "$KAFKA_LOG" >&2; die "Kafka exited during start-up (log above)"; }
    sleep 0.5
  done
  tail -n 40 "$KAFKA_LOG" >&2
  die "Kafka did not answer at $broker within 60 s"
}

stop_kafka() {
  if [ -f "$KAFKA_PID" ] && kill -0 "$(cat "$KAFKA_PID")" 2>/dev/null; then
    say "stopping Kafka (pid $(cat "$KAFKA_PID"))"
    kill -- -"$(cat "$KAFKA_PID")" 2>/dev/null || kill "$(cat "$KAFKA_PID")" || true
    for _ in $(seq 1 60); do kill -0 "$(cat "$KAFKA_PID")" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$KAFKA_PID"
}

case "${1:-up}" in
  up)
    ensure_postgres
    ensure_kafka
    ;;
  down)
    stop_kafka
    ;;
  status)
    hp="$(pg_host_port)"
    if answers "$hp"; then echo "postgres: up ($hp)"; else echo "postgres: down ($hp)"; fi
    if answers "$(first_broker)"; then echo "kafka: up ($(first_broker))"; else echo "kafka: down ($(first_broker))"; fi
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
