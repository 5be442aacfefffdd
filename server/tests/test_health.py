from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from evoai.app import create_app
from evoai.ops.embedded import EmbeddedStack, free_port
from tests.conftest import Services, make_settings


async def test_health_and_liveness(client: httpx.AsyncClient) -> None:
    health = (await client.get("/health")).json()
    assert health["status"] == "ok"
    assert health["version"] == "0.1.0"
    assert health["uptime"] >= 0
    assert health["timestamp"].endswith("Z")
    assert (await client.get("/health/live")).json() == {"status": "alive", "pid": os.getpid()}
    assert (await client.get("/health/ready")).json() == {"status": "ready"}


@pytest.fixture
async def own_stack(tmp_path: Path) -> AsyncIterator[EmbeddedStack]:
    """A PostgreSQL and a Redis of this test's own, since it stops and starts them."""
    stack = EmbeddedStack.in_dir(tmp_path)
    stack.postgres.port, stack.redis.port = free_port(), free_port()
    await asyncio.to_thread(stack.start)
    yield stack
    await asyncio.to_thread(stack.stop)


async def _ready(client: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
    response = await client.get("/health/ready")
    return response.status_code, response.json()


async def _ready_soon(client: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
    """Readiness after a dependency came back: the first probe may still hit a stale connection,
    which is discarded; a probe a moment later must pass (orchestrators probe repeatedly)."""
    for _ in range(20):
        result = await _ready(client)
        if result[0] == 200:
            return result
        await asyncio.sleep(0.1)
    return await _ready(client)


async def test_readiness_follows_real_postgres_and_redis_outages(
    own_stack: EmbeddedStack, services: Services
) -> None:
    settings = make_settings(services, DATABASE_URL=own_stack.postgres.app_url, REDIS_URL=own_stack.redis.url)
    app: Any = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert await _ready(client) == (200, {"status": "ready"})

        await asyncio.to_thread(own_stack.postgres.stop)
        status, body = await _ready(client)
        assert status == 503
        assert body["status"] == "not ready"
        assert body["error"].startswith("postgres")
        assert (await client.get("/health/live")).status_code == 200
        await asyncio.to_thread(own_stack.postgres.start)
        assert await _ready_soon(client) == (200, {"status": "ready"})

        await asyncio.to_thread(own_stack.redis.stop)
        status, body = await _ready(client)
        assert status == 503
        assert body["error"].startswith("redis")
        await asyncio.to_thread(own_stack.redis.start)
        assert await _ready_soon(client) == (200, {"status": "ready"})
    state = app.other_asgi_app.state.evoai
    await state.redis.aclose()
    await state.engine.dispose()
