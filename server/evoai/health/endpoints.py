"""Seed 9.5: /health, /health/ready (PostgreSQL and Redis), /health/live."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from evoai.deps import app_state

router = APIRouter(tags=["health"])
CHECK_TIMEOUT = 2.0


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    return {
        "status": "ok",
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "uptime": round(time.monotonic() - app_state(request).started_at, 3),
        "version": version("evoai"),
    }


@router.get("/health/ready", response_model=None)
async def ready(request: Request) -> dict[str, Any] | JSONResponse:
    state = app_state(request)
    if state.draining:
        return JSONResponse({"status": "not ready", "error": "shutting down"}, status_code=503)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            async with state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:
        return JSONResponse({"status": "not ready", "error": f"postgres: {_reason(exc)}"}, status_code=503)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await state.redis.ping()
    except Exception as exc:
        return JSONResponse({"status": "not ready", "error": f"redis: {_reason(exc)}"}, status_code=503)
    return {"status": "ready"}


@router.get("/health/live")
async def live() -> dict[str, Any]:
    return {"status": "alive", "pid": os.getpid()}


def _reason(exc: BaseException) -> str:
    text_ = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text_[:200]
