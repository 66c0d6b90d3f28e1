# syntax=docker/dockerfile:1
# scripts/check-image-steps.sh performs these same steps in a clean folder (CI has no Docker engine):
# keep the two in step.

# Build stage: compile TypeScript with the dev toolchain.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY types ./types
COPY src ./src
COPY workers ./workers
RUN npm run build

# Runtime stage: production dependencies and the compiled output only.
FROM node:20-bookworm-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="wiresift" \
      org.opencontainers.image.description="Queue-driven news aggregation and near-duplicate clustering of wire stories (BullMQ, MinHash + LSH in Redis)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/wiresift/wiresift"
# tini as PID 1: forwards SIGTERM to node and reaps zombies (or run with `docker run --init`).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the "prepare" build needs the dev toolchain; dist/ comes from the build stage.
# TypeScript comes along as an optional peer of valibot (via bull-board) and nothing needs it at run time.
RUN npm ci --omit=dev --ignore-scripts && rm -rf node_modules/typescript node_modules/@typescript \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
# A numeric non-root user (the image's "node" user), so Kubernetes runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
ENV PORT=3000 LOG_FORMAT=json WIRESIFT_SHUTDOWN_GRACE_MS=8000
# No curl in the image: the CLI itself GETs the local /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "bin/wiresift.js", "health"]
# SIGTERM: stop taking jobs, finish or hand back active ones within WIRESIFT_SHUTDOWN_GRACE_MS
# (below docker's 10 s default grace period), close Redis, exit 0.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/wiresift.js"]
CMD ["run"]
