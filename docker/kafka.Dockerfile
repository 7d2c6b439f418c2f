# syntax=docker/dockerfile:1.7
# Single-node KRaft Kafka broker, the same pinned version as the stack tool (tools/kafka/pom.xml: kafka_2.13 from
# Maven Central, no Kafka tarball). Build from the repository root:
#   docker build -f docker/kafka.Dockerfile -t gov/kafka:4.4.0 .

# ---- fetch jars --------------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS jars
WORKDIR /src
COPY tools/kafka/pom.xml pom.xml
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -f pom.xml dependency:copy-dependencies -DoutputDirectory=/opt/kafka/libs \
 && ls /opt/kafka/libs/kafka_2.13-*.jar

# ---- runtime: JRE 17, non-root -----------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre AS runtime
RUN groupadd --system --gid 10001 kafka \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/kafka --shell /usr/sbin/nologin kafka \
 && mkdir -p /var/lib/kafka/data \
 && chown -R 10001:10001 /var/lib/kafka
COPY --from=jars /opt/kafka/libs /opt/kafka/libs
COPY tools/kafka/server.properties.template tools/kafka/log4j2.properties /opt/kafka/config/
COPY --chmod=0755 docker/kafka-entrypoint.sh /opt/kafka/kafka-entrypoint.sh
ENV KAFKA_HOME=/opt/kafka \
    KAFKA_DATA_DIR=/var/lib/kafka/data/kraft \
    KAFKA_PORT=9092 \
    KAFKA_CONTROLLER_PORT=9093 \
    KAFKA_HEAP_OPTS="-Xms256m -Xmx512m"
VOLUME ["/var/lib/kafka/data"]
EXPOSE 9092
USER 10001:10001
# The client listener accepts connections (bash's /dev/tcp; no JVM start per probe).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${KAFKA_PORT}"]
ENTRYPOINT ["/opt/kafka/kafka-entrypoint.sh"]
