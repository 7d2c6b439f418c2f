# syntax=docker/dockerfile:1.7
# One image recipe for every NestJS service. Build from the repository root:
#   docker build -f docker/node-service.Dockerfile --build-arg APP=intake -t gov/intake:0.1.0 .
# APP is one of: identity, intake, approval, supervision (exchange once apps/exchange exists).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: full dev dependencies, Nx build (swc) into dist/${APP} ----------------------------------------------
FROM ${NODE_IMAGE} AS build
ARG APP
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    NX_SKIP_NX_CACHE=true \
    CI=true
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund
COPY nx.json tsconfig.base.json tsconfig.json .swcrc ./
COPY tools/build tools/build
COPY libs libs
COPY apps/${APP} apps/${APP}
RUN test -n "${APP}" || { echo "--build-arg APP=<service> is required" >&2; exit 2; } \
 && npx nx run "${APP}:build" --outputStyle=stream \
 && test -f "dist/${APP}/apps/${APP}/src/main.js"

# ---- runtime: production dependencies only, non-root ----------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
    APP=${APP} \
    NODE_OPTIONS=--max-old-space-size=384 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm install --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -f package-lock.json
COPY --from=build /src/dist/${APP} dist/${APP}
COPY docker/healthcheck.cjs /app/healthcheck.cjs
# A fixed entry point, because exec-form CMD does not expand ${APP}; node resolves the symlink, so relative
# requires and source maps work from the real path.
RUN ln -s "dist/${APP}/apps/${APP}/src/main.js" /app/main.js
# uid/gid 1000 is the image's "node" user; numeric so Kubernetes can enforce runAsNonRoot.
USER 1000:1000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 CMD ["node", "/app/healthcheck.cjs", "/health/live"]
CMD ["node", "--max-semi-space-size=2", "--expose-gc", "main.js"]
