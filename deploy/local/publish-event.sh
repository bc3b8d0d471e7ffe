#!/usr/bin/env bash
# Publishes one change event to the broker that deploy/local/run.sh started (127.0.0.1:9092), on
# the change-events topic, and prints where it went (topic, partition, offset):
#   deploy/local/publish-event.sh '{"id":"evt-1","type":"product.updated","data":{"id":42}}'
# The event may also come on standard input. Extra options: --bootstrap HOST:PORT, --topic NAME.
# Uses the classes run.sh compiled (target/test-classes and target/test-classpath.txt).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

log() { printf '[publish-event.sh] %s\n' "$*" >&2; }

# shellcheck source=deploy/local/select-jdk.sh
source deploy/local/select-jdk.sh
select_jdk

if [[ ! -f target/test-classpath.txt ]]; then
  log "target/test-classpath.txt is missing: run deploy/local/run.sh (or ./mvnw test-compile) first"
  exit 1
fi
exec "$JAVA_HOME/bin/java" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:$(cat target/test-classpath.txt)" \
  dev.tagpurge.testing.LocalEventPublisher "$@"
