# NEGATIVE FIXTURE (deploy/check.sh): must be rejected, final USER is root.
FROM python:3.11-slim
WORKDIR /app
COPY . .
USER root
CMD ["python", "-m", "http.server"]
