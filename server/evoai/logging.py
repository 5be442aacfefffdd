"""Structured JSON logs (console in development) with secrets redacted before anything is written."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

SECRET_KEYS = re.compile(
    r"(pass(word)?|secret|token|authorization|api[_-]?key|cookie|encryption[_-]?key|signature|hash)", re.I
)
# Bearer tokens, JWTs and URL passwords that may slip into free text.
SECRET_TEXT = [
    (re.compile(r"(?i)bearer\s+[a-z0-9._~+/=-]+"), "Bearer [REDACTED]"),
    (re.compile(r"eyJ[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+"), "[REDACTED_JWT]"),
    (re.compile(r"(?P<scheme>[a-z+]+://[^:/@\s]*):[^@\s]+@"), r"\g<scheme>:[REDACTED]@"),
    # Invitation links carry their credential in the path (/invite/<token>, /api/invitations/<token>).
    (re.compile(r"(/invit(?:e|ations)/)[^/?\s\"']+"), r"\1[REDACTED]"),
    # bcrypt hashes, e.g. inside SQL parameters of a database error.
    (re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"), "[REDACTED_HASH]"),
]
LEVELS = {
    "fatal": logging.CRITICAL,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}


def redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "[REDACTED]" if SECRET_KEYS.search(str(k)) else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        for pattern, replacement in SECRET_TEXT:
            value = pattern.sub(replacement, value)
    return value


def _redact_processor(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    return {
        k: ("[REDACTED]" if SECRET_KEYS.search(k) and k != "event" else redact(v))
        for k, v in event_dict.items()
    }


def configure_logging(level: str = "info", *, json: bool = True, stream: TextIO | None = None) -> None:
    numeric = LEVELS.get(level, logging.INFO)
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            # Exceptions become text first, so their messages are redacted like everything else.
            structlog.processors.format_exc_info,
            _redact_processor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=stream or sys.stdout),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=max(numeric, logging.WARNING), stream=sys.stdout, format="%(message)s")
