"""Carry the request id from an HTTP request into the jobs it creates, and into their logs.

The id travels inside the job's data (so it is in the outbox row and in Redis) under a key no
handler reads; the worker binds it to the log context while the job runs, and jobs that job
enqueues inherit it, so one grep follows a request through every process it touched.
"""

from __future__ import annotations

from typing import Any

import structlog

REQUEST_ID_KEY = "_requestId"


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None


def with_request_id(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload plus the current request id, if there is one and the payload has none yet."""
    request_id = current_request_id()
    if request_id is None or REQUEST_ID_KEY in payload:
        return payload
    return {**payload, REQUEST_ID_KEY: request_id}


def job_request_id(data: Any) -> str | None:
    value = data.get(REQUEST_ID_KEY) if isinstance(data, dict) else None
    return value[:64] if isinstance(value, str) and value else None
