# syntax=docker/dockerfile:1
# Portico's production image (docs/deployment.md#containers): built in one stage with the dev
# dependencies, shipped in another with the compiled dist/, the runtime dependencies and the
# vendored specs only. Runs as the unprivileged `node` user and keeps nothing in the image's
# filesystem, so it runs with a read-only root: DATA_DIR is a volume (the sandbox CA when no
# TLS_CERT_FILE is given, the embedded database when no DATABASE_URL is), /tmp a tmpfs.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# The PKCS#11 binding (KEY_MANAGER=pkcs11) is a native module: built here, where the toolchain is.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && npm rebuild pkcs11js && rm -rf /var/lib/apt/lists/*
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY src ./src
RUN node scripts/build.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/var/lib/portico \
    HOST=0.0.0.0 \
    PORT=8443
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY specs ./specs
COPY docs/core-gateway.openapi.yaml ./docs/core-gateway.openapi.yaml
RUN mkdir -p /var/lib/portico && chown node:node /var/lib/portico
USER node
VOLUME ["/var/lib/portico"]
EXPOSE 8443
# Ready means every dependency answers; an instance that is not is restarted by Docker only after
# the retries, by Kubernetes only on its liveness probe (/health/live), as the Helm chart sets it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "bin/healthcheck.mjs"]
# `node` is PID 1: SIGTERM reaches Portico, which drains requests and jobs before it exits.
ENTRYPOINT ["node", "bin/portico.mjs"]
CMD ["start"]
