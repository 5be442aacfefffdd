# NEGATIVE FIXTURE (deploy/check.sh): must be rejected, apt packages not pinned.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
USER 1001:1001
CMD ["curl", "--version"]
