#!/usr/bin/env bash
# Starts the single-node KRaft broker: renders tools/kafka/server.properties.template, formats the storage on the
# first start (no meta.properties yet), then execs kafka.Kafka in the foreground (PID 1, so SIGTERM triggers the
# broker's controlled shutdown).
#
# Environment (defaults in brackets):
#   KAFKA_HOME [/opt/kafka]            libs/ (jars) and config/ (template, log4j2.properties)
#   KAFKA_DATA_DIR [/var/lib/kafka/data/kraft]  KRaft metadata + logs: a subdirectory of the volume mounted at
#                                      /var/lib/kafka/data (a filesystem root may hold lost+found, which Kafka refuses)
#   KAFKA_PORT [9092]                  client listener, bound on 0.0.0.0
#   KAFKA_CONTROLLER_PORT [9093]       controller listener, bound on 127.0.0.1 (single node: only the broker itself uses it)
#   KAFKA_ADVERTISED_HOST [hostname]   host name clients are told to use (compose: kafka; Kubernetes: the Service name)
#   KAFKA_CLUSTER_ID [random]          cluster id used when formatting; kept in meta.properties afterwards
#   KAFKA_CONFIG_DIR [/tmp/kafka]      where the rendered server.properties goes (writable; /tmp is an emptyDir in k8s)
#   KAFKA_HEAP_OPTS [-Xms256m -Xmx512m], KAFKA_JVM_OPTS [G1 + exit on OOM]
set -euo pipefail

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-/var/lib/kafka/data/kraft}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_ADVERTISED_HOST="${KAFKA_ADVERTISED_HOST:-$(hostname -f 2>/dev/null || hostname)}"
KAFKA_CONFIG_DIR="${KAFKA_CONFIG_DIR:-/tmp/kafka}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError}"

template="${KAFKA_HOME}/config/server.properties.template"
config="${KAFKA_CONFIG_DIR}/server.properties"
classpath="${KAFKA_HOME}/libs/*"
log4j="-Dlog4j2.configurationFile=${KAFKA_HOME}/config/log4j2.properties -Dlog4j2.shutdownHookEnabled=false"

mkdir -p "${KAFKA_CONFIG_DIR}" "${KAFKA_DATA_DIR}"

# The template uses one ${HOST} everywhere (127.0.0.1 on the developers' machines). In a container the client
# listener binds all interfaces and advertises KAFKA_ADVERTISED_HOST; the controller stays on loopback.
sed -e "s|\${HOST}|127.0.0.1|g" \
    -e "s|\${KAFKA_PORT}|${KAFKA_PORT}|g" \
    -e "s|\${KAFKA_CONTROLLER_PORT}|${KAFKA_CONTROLLER_PORT}|g" \
    -e "s|\${LOG_DIRS}|${KAFKA_DATA_DIR}|g" \
    -e "s|^listeners=.*|listeners=PLAINTEXT://0.0.0.0:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}|" \
    -e "s|^advertised.listeners=.*|advertised.listeners=PLAINTEXT://${KAFKA_ADVERTISED_HOST}:${KAFKA_PORT}|" \
    "${template}" > "${config}"
if grep -v '^[[:space:]]*#' "${config}" | grep -n '\${' >&2; then
  echo "kafka-entrypoint: unrendered placeholders in ${config}" >&2
  exit 1
fi

if [ ! -f "${KAFKA_DATA_DIR}/meta.properties" ]; then
  # 16 random bytes, base64url without padding: the format `kafka-storage random-uuid` prints.
  cluster_id="${KAFKA_CLUSTER_ID:-$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')}"
  echo "kafka-entrypoint: formatting ${KAFKA_DATA_DIR} (cluster id ${cluster_id})"
  # shellcheck disable=SC2086
  java ${KAFKA_HEAP_OPTS} ${log4j} -cp "${classpath}" kafka.tools.StorageTool format -t "${cluster_id}" -c "${config}"
fi

echo "kafka-entrypoint: starting broker, advertised as ${KAFKA_ADVERTISED_HOST}:${KAFKA_PORT}"
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS} ${KAFKA_JVM_OPTS} ${log4j} -cp "${classpath}" kafka.Kafka "${config}"
