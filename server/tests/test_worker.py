"""Outbox, queues and realtime: a rollback sends nothing, a Redis outage loses nothing,
a job runs end to end, and a worker's event reaches a connected browser."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
import socketio
import uvicorn
from bullmq import Queue

from evoai.config import Settings
from evoai.db import system_session
from evoai.notifications import service as notifications
from evoai.ops.embedded import free_port
from evoai.worker import queues
from evoai.worker.enqueue import committed_outbox_ids, enqueue_job
from evoai.worker.outbox import OutboxRelay
from evoai.worker.run import run_workers
from tests.conftest import Account, Services, register


def _factory(asgi_app: Any) -> Any:
    return asgi_app.other_asgi_app.state.evoai.factory


async def _outbox(services: Services) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(services.admin_url)
    try:
        return list(
            await connection.fetch("SELECT id, attempts, sent_at, last_error FROM outbox ORDER BY id")
        )
    finally:
        await connection.close()


async def test_a_rollback_sends_nothing(asgi_app: Any, settings: Settings, services: Services) -> None:
    factory = _factory(asgi_app)
    with contextlib.suppress(RuntimeError):
        async with system_session(factory) as session:
            await enqueue_job(session, queues.MESSAGE, "notifications.welcome", {"x": 1})
            raise RuntimeError("the business change failed")
    assert await _outbox(services) == []
    relay = OutboxRelay(factory, settings.REDIS_URL)
    assert await relay.relay() == 0
    queue = Queue(queues.MESSAGE, {"connection": settings.REDIS_URL})
    assert (await queue.getJobCounts("waiting"))["waiting"] == 0
    await queue.close()
    await relay.close()


async def test_a_redis_outage_loses_nothing_and_relays_once(
    asgi_app: Any, settings: Settings, services: Services
) -> None:
    factory = _factory(asgi_app)
    async with system_session(factory) as session:
        await enqueue_job(session, queues.FOLLOWUP, "demo", {"n": 1})
        ids = committed_outbox_ids(session)
    down = OutboxRelay(factory, f"redis://127.0.0.1:{free_port()}/0")
    assert await down.relay(ids) == 0
    [row] = await _outbox(services)
    assert row["sent_at"] is None
    assert row["attempts"] == 1
    assert row["last_error"]

    relay = OutboxRelay(factory, settings.REDIS_URL)
    assert await relay.relay() == 1
    # A crash between "added to Redis" and "marked sent" relays the row again: still one job.
    connection = await asyncpg.connect(services.admin_url)
    await connection.execute("UPDATE outbox SET sent_at = NULL")
    await connection.close()
    assert await relay.relay() == 1
    queue = Queue(queues.FOLLOWUP, {"connection": settings.REDIS_URL})
    assert (await queue.getJobCounts("waiting"))["waiting"] == 1
    await queue.close()
    await relay.close()
    await down.close()


@pytest.fixture
async def workers(settings: Settings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, list(queues.ALL_QUEUES), stop=stop, grace_seconds=5))
    await asyncio.sleep(0.3)
    yield
    stop.set()
    await asyncio.wait_for(task, 15)


async def test_register_runs_the_welcome_job_end_to_end(client: httpx.AsyncClient, workers: None) -> None:
    account = await register(client, "Wendy")
    for _ in range(100):
        body = (await client.get("/api/notifications", headers=account.headers)).json()
        if body["data"]:
            break
        await asyncio.sleep(0.1)
    assert body["unreadCount"] == 1
    assert body["data"][0]["type"] == "welcome"
    read = await client.post("/api/notifications/read-all", headers=account.headers)
    assert read.json()["data"] == {"updated": 1}
    assert (await client.get("/api/notifications?unread=true", headers=account.headers)).json()["data"] == []


@pytest.fixture
async def live_server(asgi_app: Any) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(asgi_app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def test_an_event_from_a_worker_reaches_the_browser(
    live_server: str, client: httpx.AsyncClient, asgi_app: Any, settings: Settings
) -> None:
    account: Account = await register(client, "Rita")
    received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    browser = socketio.AsyncClient()
    browser.on("notification", received.put_nowait)
    await browser.connect(live_server, auth={"token": account.access}, transports=["websocket"])
    try:
        # What a job does: write in a transaction, commit, relay (a separate relay = another process).
        relay = OutboxRelay(_factory(asgi_app), settings.REDIS_URL)
        company_id = uuid.UUID(account.company_id)
        async with system_session(_factory(asgi_app), company_id=company_id) as session:
            await notifications.notify(
                session,
                company_id=company_id,
                user_ids=[uuid.UUID(account.user_id)],
                type="hot_lead",
                title="Lead quente",
            )
            ids = committed_outbox_ids(session)
        await relay.relay(ids)
        event = await asyncio.wait_for(received.get(), 10)
        assert event["type"] == "hot_lead"
        assert event["title"] == "Lead quente"
        await relay.close()
    finally:
        await browser.disconnect()


async def test_sockets_need_a_live_session(live_server: str, client: httpx.AsyncClient) -> None:
    account = await register(client, "Sara")
    anonymous = socketio.AsyncClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await anonymous.connect(live_server, auth={}, transports=["websocket"])
    await client.post("/api/auth/logout", headers=account.headers)
    revoked = socketio.AsyncClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await revoked.connect(live_server, auth={"token": account.access}, transports=["websocket"])
