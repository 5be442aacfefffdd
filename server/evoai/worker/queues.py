"""The BullMQ queues (ARCHITECTURE.md) and the job options every job gets unless it says otherwise."""

from __future__ import annotations

from typing import Any

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


def concurrency(settings: Settings, queue: str) -> int:
    return {
        MESSAGE: settings.MESSAGE_WORKER_CONCURRENCY,
        FOLLOWUP: settings.FOLLOWUP_WORKER_CONCURRENCY,
        EMBEDDING: settings.EMBEDDING_WORKER_CONCURRENCY,
        FLOW: settings.FLOW_WORKER_CONCURRENCY,
    }[queue]
