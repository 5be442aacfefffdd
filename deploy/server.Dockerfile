# syntax=docker/dockerfile:1
#
# Evo AI Connect back end: one image for the API, the queue workers, the
# scheduler and the migrations. The command picks the role:
#   docker run IMAGE                                  -> evoai api (default)
#   docker run IMAGE worker --queue message-worker    -> one BullMQ queue
#   docker run IMAGE scheduler
#   docker run IMAGE migrate                          -> alembic upgrade head
#
# Build context: server/   (docker build -f deploy/server.Dockerfile server)
# deploy/server.Dockerfile.dockerignore filters the context (BuildKit).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------------------
# builder: resolve and install everything into a self-contained venv
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN python -m venv "$VIRTUAL_ENV"

WORKDIR /src

# Dependencies first, from pyproject.toml alone, so that a code-only change
# reuses this (slow) layer.
COPY pyproject.toml ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"].get("dependencies", [])))' \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt

# Then the package itself (no dependency resolution: they are all in already).
COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && python -m compileall -q "$VIRTUAL_ENV"

# ---------------------------------------------------------------------------
# runtime: slim base + the venv, non-root
# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="evoai-server" \
      org.opencontainers.image.description="Evo AI Connect API, workers, scheduler and migrations"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    NODE_ENV=production \
    PORT=3000 \
    EVOAI_DATA_DIR=/var/lib/evoai

RUN groupadd --system --gid 1001 appuser \
    && useradd --system --uid 1001 --gid appuser --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin appuser \
    && mkdir -p "$EVOAI_DATA_DIR" \
    && chown appuser:appuser "$EVOAI_DATA_DIR"

COPY --from=builder /opt/venv /opt/venv

# `evoai migrate` runs Alembic, which reads alembic.ini and migrations/ from
# the working directory. They stay owned by root: the app only reads them.
WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations

# Numeric, so that Kubernetes runAsNonRoot can verify it.
USER 1001:1001

EXPOSE 3000

# Liveness only (the process answers HTTP); readiness (/health/ready, which
# checks PostgreSQL and Redis) belongs to the orchestrator's probe.
# Worker/scheduler/migrate containers have no HTTP port: compose disables
# this check for them, Kubernetes ignores HEALTHCHECK altogether.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/live' % os.environ.get('PORT', '3000'), timeout=4)"]

ENTRYPOINT ["evoai"]
CMD ["api"]
