"""Outbox, queues and realtime: a rollback sends nothing, a Redis outage loses nothing,
a job runs end to end, and a worker's event reaches a connected browser."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
import socketio
import uvicorn
from bullmq import Queue

from evoai.app import create_app
from evoai.config import Settings
from evoai.db import system_session
from evoai.models import OutboxEntry
from evoai.notifications import service as notifications
from evoai.ops.embedded import free_port
from evoai.worker import queues
from evoai.worker.enqueue import committed_outbox_ids, enqueue_job
from evoai.worker.outbox import MAX_ATTEMPTS, OutboxRelay
from evoai.worker.registry import HANDLERS
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
    notification_id = body["data"][0]["id"]
    # The PRD's PATCH spellings are served too.
    one = await client.patch(f"/api/notifications/{notification_id}/read", headers=account.headers)
    assert one.json()["data"]["readAt"] is not None
    read = await client.patch("/api/notifications/mark-all-read", headers=account.headers)
    assert read.json()["data"] == {"updated": 0}
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


async def test_shutdown_grace_is_enforced_on_a_hung_job(
    settings: Settings, asgi_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = asyncio.Event()

    async def hangs(ctx: Any, data: dict[str, Any]) -> None:
        started.set()
        await asyncio.sleep(60)

    monkeypatch.setitem(HANDLERS[queues.FLOW], "test.hangs", hangs)
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, [queues.FLOW], stop=stop, grace_seconds=1))
    async with system_session(_factory(asgi_app)) as session:
        await enqueue_job(session, queues.FLOW, "test.hangs", {})
        ids = committed_outbox_ids(session)
    relay = OutboxRelay(_factory(asgi_app), settings.REDIS_URL)
    await relay.relay(ids)
    await asyncio.wait_for(started.wait(), 10)
    began = time.monotonic()
    stop.set()
    await asyncio.wait_for(task, 20)
    assert time.monotonic() - began < 5
    await relay.close()


async def test_a_bad_outbox_row_does_not_block_the_others(
    settings: Settings, asgi_app: Any, services: Services
) -> None:
    factory = _factory(asgi_app)
    async with system_session(factory) as session:
        session.add(OutboxEntry(kind="job", queue="no-such-queue", name="x", payload={}))
        await enqueue_job(session, queues.MESSAGE, "notifications.welcome", {"fine": True})
    relay = OutboxRelay(factory, settings.REDIS_URL)
    assert await relay.relay() == 1
    for _ in range(MAX_ATTEMPTS):
        await relay.relay()
    rows = await _outbox(services)
    assert rows[0]["sent_at"] is None
    assert rows[0]["attempts"] == MAX_ATTEMPTS
    connection = await asyncpg.connect(services.admin_url)
    dead = await connection.fetchval("SELECT dead_at IS NOT NULL FROM outbox WHERE queue = 'no-such-queue'")
    await connection.close()
    assert dead
    assert rows[1]["sent_at"] is not None
    await relay.close()


@pytest.fixture
async def live_app_server(settings: Settings) -> AsyncIterator[str]:
    """A separate app with its lifespan running (the revocation listener lives there)."""
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def test_removing_a_member_drops_their_open_sockets(live_app_server: str) -> None:
    async with httpx.AsyncClient(base_url=live_app_server) as http:
        admin = await register(http, "Olga")
        invited = await http.post(
            "/api/company/invitations", headers=admin.headers, json={"email": "sock@example.com"}
        )
        token = invited.json()["data"]["token"]
        login = await http.post(
            f"/api/invitations/{token}/accept", json={"fullName": "Sock", "password": "sock-password"}
        )
        members = (await http.get("/api/company/members", headers=admin.headers)).json()["data"]
        member_id = next(m["id"] for m in members if m["email"] == "sock@example.com")
        browser = socketio.AsyncClient(reconnection=False)
        disconnected = asyncio.Event()
        browser.on("disconnect", lambda *args: disconnected.set())
        await browser.connect(
            live_app_server, auth={"token": login.json()["data"]["accessToken"]}, transports=["websocket"]
        )
        await http.delete(f"/api/company/members/{member_id}", headers=admin.headers)
        await asyncio.wait_for(disconnected.wait(), 10)
        assert not browser.connected


async def test_a_delayed_job_runs_when_due_on_an_idle_worker(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delay longer than redis-py's default 5 s read timeout: the worker's blocking wait for it
    must not be cut short (it was, and the job then ran 5-10 s late, or later)."""
    ran: list[float] = []

    async def records(ctx: Any, data: dict[str, Any]) -> None:
        ran.append(time.time())

    monkeypatch.setitem(HANDLERS[queues.FLOW], "test.delayed", records)
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, [queues.FLOW], stop=stop, grace_seconds=1))
    queue = Queue(queues.FLOW, {"connection": settings.REDIS_URL})
    try:
        await asyncio.sleep(1.2)  # the worker is idle, blocked in its wait for work
        due = time.time() + 5.5
        await queue.add("test.delayed", {}, {"delay": 5500, "jobId": f"d-{uuid.uuid4()}"})
        while not ran and time.time() < due + 8:
            await asyncio.sleep(0.05)
        assert ran, "a job due in 5.5 s did not run within 8 s of being due"
        assert -0.05 < ran[0] - due < 2.0, ran[0] - due
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
        await queue.close()
