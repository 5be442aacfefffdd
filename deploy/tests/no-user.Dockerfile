# NEGATIVE FIXTURE (deploy/check.sh): must be rejected, no USER (runs as root).
FROM python:3.11-slim AS builder
USER 1001:1001
RUN python --version

FROM python:3.11-slim
CMD ["python", "-m", "http.server"]
