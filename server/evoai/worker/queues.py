"""The BullMQ queues (ARCHITECTURE.md) and the job options every job gets unless it says otherwise."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from evoai.config import Settings

MESSAGE = "message-worker"
FOLLOWUP = "followup-worker"
EMBEDDING = "embedding-worker"
FLOW = "flow-worker"
ALL_QUEUES = (MESSAGE, FOLLOWUP, EMBEDDING, FLOW)

# Retries with exponential backoff (1 s, 2 s, 4 s, …); failed jobs stay in Redis for inspection.
DEFAULT_JOB_OPTIONS: dict[str, Any] = {
    "attempts": 5,
    "backoff": {"type": "exponential", "delay": 1000},
    "removeOnComplete": {"count": 1000},
    "removeOnFail": False,
}


# A worker waits for jobs with BZPOPMIN blocking up to 10 s (bullmq's ceiling). redis-py 8 gives every
# client a 5 s read timeout by default, which cut those waits short; bullmq then retried with backoff
# and a worker noticed a due delayed job many seconds late (measured: 5-10 s, test_worker.py).
WORKER_SOCKET_TIMEOUT_SECONDS = 30


def worker_connection(redis_url: str) -> str:
    """The Redis URL a BullMQ worker connects with: a read timeout longer than its longest block."""
    parts = urlsplit(redis_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "socket_timeout"]
    query.append(("socket_timeout", str(WORKER_SOCKET_TIMEOUT_SECONDS)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def concurrency(settings: Settings, queue: str) -> int:
    return {
        MESSAGE: settings.MESSAGE_WORKER_CONCURRENCY,
        FOLLOWUP: settings.FOLLOWUP_WORKER_CONCURRENCY,
        EMBEDDING: settings.EMBEDDING_WORKER_CONCURRENCY,
        FLOW: settings.FLOW_WORKER_CONCURRENCY,
    }[queue]
