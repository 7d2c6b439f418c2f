# syntax=docker/dockerfile:1.7
# Camunda 7.24 engine host (apps/engine). Build from the repository root:
#   docker build -f docker/engine.Dockerfile -t gov/engine:0.1.0 .

# ---- build: Maven + JDK 17 ---------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY apps/engine/pom.xml pom.xml
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline || true
COPY apps/engine/src src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package \
 && test -f target/engine.jar

# ---- runtime: JRE 17, non-root -----------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 engine \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin engine
WORKDIR /app
COPY --from=build /src/target/engine.jar /app/engine.jar
# Same JVM flags as the stack tool (resident ~380 MiB idle). Override with ENGINE_JAVA_OPTS.
ENV ENGINE_JAVA_OPTS="-Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" \
    ENGINE_PORT=8080
EXPOSE 8080
USER 10001:10001
# Actuator liveness (not behind REST basic authentication, unlike /engine-rest/version outside the local profile).
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["sh", "-c", "exec java $ENGINE_JAVA_OPTS -jar /app/engine.jar \"$@\"", "engine"]
