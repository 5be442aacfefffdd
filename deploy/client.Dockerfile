# syntax=docker/dockerfile:1
#
# Evo AI Connect web client: Vite build served as static files by nginx.
#
# Build context: client/, plus the named context `deploy` = deploy/ for the
# nginx config (BuildKit):
#   docker build -f deploy/client.Dockerfile --build-context deploy=deploy client
# (compose: build.additional_contexts; build-push-action: build-contexts).
# deploy/client.Dockerfile.dockerignore filters the client/ context.
# Vite inlines VITE_* at build time, so each environment gets its own image
# build (pass --build-arg VITE_API_URL=... etc.).

# Placeholder for the named build context `deploy`: `--build-context
# deploy=deploy` replaces this empty stage with the deploy/ directory. Without
# it, the COPY of nginx.conf below fails with "/nginx.conf: not found".
FROM scratch AS deploy

# ---------------------------------------------------------------------------
# builder: npm ci + vite build
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS builder

WORKDIR /app

# Lockfile first: `npm ci` is cached until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .

ARG VITE_API_URL=http://localhost:3000
ARG VITE_WS_URL=ws://localhost:3000
ARG VITE_STORAGE_URL=http://localhost:3000
ENV VITE_API_URL=${VITE_API_URL} \
    VITE_WS_URL=${VITE_WS_URL} \
    VITE_STORAGE_URL=${VITE_STORAGE_URL}

RUN npm run build

# ---------------------------------------------------------------------------
# runtime: nginx, non-root (uid 101), port 8080
# ---------------------------------------------------------------------------
# nginx-unprivileged already runs as the unprivileged `nginx` user (uid 101)
# with its pid file and temp paths under /tmp, listening on 8080. The stock
# nginx image would need a rewritten nginx.conf and chowned cache dirs to run
# as another uid, for no gain.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime

LABEL org.opencontainers.image.title="evoai-web" \
      org.opencontainers.image.description="Evo AI Connect web client (static SPA)"

# Replaces the image's default server block (conf.d is included in http {}).
COPY --from=deploy --chown=root:root nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=builder --chown=root:root /app/dist /usr/share/nginx/html

# Numeric, so that Kubernetes runAsNonRoot can verify it.
USER 101:101

EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]

CMD ["nginx", "-g", "daemon off;"]
