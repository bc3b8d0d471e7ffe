#!/usr/bin/env bash
# Runs Tagpurge locally on embedded defaults, with no cloud account and no Docker: a single-node
# Kafka broker on 127.0.0.1:9092, a private redis-server on 127.0.0.1:6380 and a Keycloak (OIDC
# issuer with the dev realm of deploy/local/keycloak/, dev credentials only) on 127.0.0.1:8180, all
# started here and stopped (by the PIDs recorded here) when this script exits, then `quarkus:dev`
# in the foreground. Extra arguments are passed to Maven, e.g. -Dquarkus.http.port=8081.
# Needs: a JDK >= 21 (found automatically) and redis-server (apt-get install -y redis-server).
# Keycloak's distribution comes from Maven (unpacked into target/keycloak/ by the build).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

readonly KAFKA_PORT=9092
readonly REDIS_PORT=6380
readonly KEYCLOAK_PORT=8180
readonly STARTUP_SECONDS=90
# Keycloak creates its schema and imports the realms on every start: minutes on a busy machine.
readonly KEYCLOAK_STARTUP_SECONDS=600
readonly KEYCLOAK_ISSUER="http://127.0.0.1:$KEYCLOAK_PORT/realms/tagpurge"

log() { printf '[run.sh] %s\n' "$*" >&2; }

# shellcheck source=deploy/local/select-jdk.sh
source deploy/local/select-jdk.sh

require_redis_server() {
  if ! command -v redis-server >/dev/null 2>&1; then
    log "redis-server is not installed; install it first: sudo apt-get install -y redis-server"
    exit 1
  fi
}

broker_pid=""
redis_pid=""
keycloak_pid=""

# Stops what this script started, by the PIDs it recorded, and waits for each to exit.
stop_services() {
  if [[ -n "$broker_pid" ]] && kill -0 "$broker_pid" 2>/dev/null; then
    log "stopping Kafka broker (launcher PID $broker_pid)"
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  if [[ -n "$redis_pid" ]] && kill -0 "$redis_pid" 2>/dev/null; then
    log "stopping redis-server (PID $redis_pid)"
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  if [[ -n "$keycloak_pid" ]] && kill -0 "$keycloak_pid" 2>/dev/null; then
    # kc.sh forwards SIGTERM to the java it forked; its children are stopped too, by PID.
    local children
    children=$(pgrep -P "$keycloak_pid" || true)
    log "stopping Keycloak (kc.sh PID $keycloak_pid, java PID ${children:-$keycloak_pid})"
    kill "$keycloak_pid" 2>/dev/null || true
    wait "$keycloak_pid" 2>/dev/null || true
    local child
    for child in $children; do
      kill "$child" 2>/dev/null || true
      while kill -0 "$child" 2>/dev/null; do sleep 0.2; done
    done
  fi
}
trap stop_services EXIT

start_kafka() {
  local out=target/local-kafka.out
  log "starting Kafka broker on 127.0.0.1:$KAFKA_PORT (log: target/kafka-$KAFKA_PORT/broker.log)"
  "$JAVA_HOME/bin/java" -cp "target/test-classes:$(cat target/test-classpath.txt)" \
    dev.tagpurge.testing.LocalKafkaBroker --port "$KAFKA_PORT" >"$out" 2>&1 &
  broker_pid=$!
  # The launcher prints KAFKA_BOOTSTRAP_SERVERS=… once an admin client reached the broker.
  local waited=0
  until grep -q '^KAFKA_BOOTSTRAP_SERVERS=' "$out" 2>/dev/null; do
    if ! kill -0 "$broker_pid" 2>/dev/null || ((waited >= STARTUP_SECONDS * 2)); then
      log "Kafka broker did not start:"
      cat "$out" >&2
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

# Starts Keycloak in the background; await_keycloak waits for its realm's discovery document.
start_keycloak() {
  local home
  home=$(find target/keycloak -mindepth 1 -maxdepth 1 -type d -name 'keycloak-*' | sort | tail -n 1)
  if [[ -z "$home" || ! -x "$home/bin/kc.sh" ]]; then
    log "no Keycloak distribution in target/keycloak/ (./mvnw -B process-test-classes unpacks it)"
    exit 1
  fi
  mkdir -p "$home/data/import"
  rm -f "$home"/data/import/*.json
  cp deploy/local/keycloak/*-realm.json "$home/data/import/"
  log "starting Keycloak on 127.0.0.1:$KEYCLOAK_PORT (log: target/local-keycloak.log)"
  env -u JAVA_OPTS JAVA_HOME="$JAVA_HOME" "$home/bin/kc.sh" start-dev \
    --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --hostname="http://127.0.0.1:$KEYCLOAK_PORT" --db=dev-mem --import-realm \
    >target/local-keycloak.log 2>&1 &
  keycloak_pid=$!
}

await_keycloak() {
  local began=$SECONDS
  until curl -sf -o /dev/null --max-time 5 "$KEYCLOAK_ISSUER/.well-known/openid-configuration"; do
    if ! kill -0 "$keycloak_pid" 2>/dev/null || ((SECONDS - began >= KEYCLOAK_STARTUP_SECONDS)); then
      log "Keycloak did not start (is port $KEYCLOAK_PORT taken?):"
      tail -n 30 target/local-keycloak.log >&2 || true
      exit 1
    fi
    sleep 1
  done
  log "Keycloak is up after $((SECONDS - began)) s: issuer $KEYCLOAK_ISSUER (dev users: deploy/local/keycloak/README.md)"
  log "a token for the dev user 'operator':"
  log "  curl -s -d grant_type=password -d client_id=tagpurge-cli -d username=operator -d password=operator \\"
  log "    $KEYCLOAK_ISSUER/protocol/openid-connect/token | jq -r .access_token"
}

redis_answers_ping() {
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ "$reply" == +PONG* ]]
}

start_redis() {
  local dir=target/local-redis
  mkdir -p "$dir"
  log "starting redis-server on 127.0.0.1:$REDIS_PORT (log: $dir/redis.log)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --pidfile "$PWD/target/local-redis-$REDIS_PORT.pid" --dir "$PWD/$dir" --logfile "$PWD/$dir/redis.log" &
  redis_pid=$!
  local waited=0
  until redis_answers_ping; do
    if ! kill -0 "$redis_pid" 2>/dev/null || ((waited >= STARTUP_SECONDS * 2)); then
      log "redis-server did not start (is port $REDIS_PORT taken?):"
      tail -n 20 "$dir/redis.log" >&2 || true
      exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

select_jdk
require_redis_server
log "compiling (this also writes target/test-classpath.txt and unpacks Keycloak once)"
./mvnw -B -q process-test-classes
start_kafka
start_redis
# After the broker: on a busy machine Keycloak's start-up would starve the broker's readiness wait.
start_keycloak
await_keycloak
log "Kafka 127.0.0.1:$KAFKA_PORT, Redis 127.0.0.1:$REDIS_PORT and Keycloak 127.0.0.1:$KEYCLOAK_PORT are up; starting Tagpurge in dev mode"
./mvnw quarkus:dev \
  -Dkafka.bootstrap.servers="127.0.0.1:$KAFKA_PORT" \
  -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" \
  -Dquarkus.oidc.tenant-enabled=true \
  -Dquarkus.oidc.auth-server-url="$KEYCLOAK_ISSUER" \
  -Dquarkus.oidc.client-id=tagpurge \
  -Dquarkus.oidc.token.audience=tagpurge \
  "$@"
