"""Dead letters (spec 7.6): a job that uses up its attempts is kept once, with its payload, error and
attempts; admins of its company list, retry (it runs again) or discard it; nobody else sees it."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from evoai.config import Settings
from evoai.db import system_session
from evoai.deadletters import service
from evoai.models import DeadLetter
from evoai.observability import metrics
from evoai.worker import queues
from evoai.worker.enqueue import committed_outbox_ids, enqueue_job
from evoai.worker.outbox import OutboxRelay
from evoai.worker.registry import HANDLERS
from evoai.worker.run import run_workers
from tests.conftest import Account, Services, join, login_headers

QUEUE = queues.FLOW
# Two attempts 50 ms apart: the job is dead within a fraction of a second.
FAST = {"attempts": 2, "backoff": {"type": "fixed", "delay": 50}}


def _factory(asgi_app: Any) -> Any:
    return asgi_app.other_asgi_app.state.evoai.factory


def _dead_count(queue: str = QUEUE) -> float:
    return metrics.REGISTRY.get_sample_value("evoai_dead_letters_total", {"queue": queue}) or 0.0


async def _rows(services: Services) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(services.admin_url)
    try:
        return list(await connection.fetch("SELECT * FROM dead_letters ORDER BY failed_at"))
    finally:
        await connection.close()


async def _wait_rows(services: Services, count: int) -> list[asyncpg.Record]:
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        rows = await _rows(services)
        if len(rows) >= count or asyncio.get_running_loop().time() > deadline:
            return rows
        await asyncio.sleep(0.05)


async def _enqueue(
    asgi_app: Any, settings: Settings, name: str, payload: dict[str, Any], **options: Any
) -> None:
    factory = _factory(asgi_app)
    async with system_session(factory) as session:
        await enqueue_job(session, QUEUE, name, payload, **options)
        ids = committed_outbox_ids(session)
    relay = OutboxRelay(factory, settings.REDIS_URL)
    try:
        assert await relay.relay(ids) == 1
    finally:
        await relay.close()


@pytest.fixture
async def worker(settings: Settings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, [QUEUE], stop=stop, grace_seconds=2))
    await asyncio.sleep(0.3)
    yield
    stop.set()
    await asyncio.wait_for(task, 15)


async def test_a_job_that_always_fails_is_dead_lettered_once(
    asgi_app: Any, settings: Settings, services: Services, worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    async def always_fails(ctx: Any, data: dict[str, Any]) -> None:
        calls.append(data)
        raise ValueError(f"gateway said no ({len(calls)})")

    monkeypatch.setitem(HANDLERS[QUEUE], "test.always_fails", always_fails)
    before = _dead_count()
    await _enqueue(asgi_app, settings, "test.always_fails", {"n": 7}, **FAST)
    [row] = await _wait_rows(services, 1)
    await asyncio.sleep(0.3)  # nothing more arrives
    assert len(await _rows(services)) == 1
    assert len(calls) == 2
    assert row["queue"] == QUEUE
    assert row["job_name"] == "test.always_fails"
    assert row["job_id"].startswith("outbox-")
    assert row["company_id"] is None  # no companyId in the payload: the platform's
    assert row["status"] == "DEAD"
    assert row["attempts"] == 2
    payload, error = json.loads(row["payload"]), json.loads(row["error"])
    assert payload["n"] == 7
    assert error["type"] == "ValueError"
    assert error["message"] == "gateway said no (2)"
    assert "always_fails" in error["stack"]
    assert _dead_count() == before + 1


async def test_a_job_that_fails_once_then_succeeds_is_not_dead_lettered(
    asgi_app: Any, settings: Settings, services: Services, worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = asyncio.Event()
    calls = 0

    async def flaky(ctx: Any, data: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("first time fails")
        done.set()

    monkeypatch.setitem(HANDLERS[QUEUE], "test.flaky", flaky)
    before = _dead_count()
    await _enqueue(asgi_app, settings, "test.flaky", {}, **FAST)
    await asyncio.wait_for(done.wait(), 10)
    await asyncio.sleep(0.2)
    assert await _rows(services) == []
    assert _dead_count() == before


async def test_a_job_without_handler_is_dead_lettered(
    asgi_app: Any, settings: Settings, services: Services, worker: None
) -> None:
    before = _dead_count()
    await _enqueue(asgi_app, settings, "test.nobody_handles_this", {"x": 1}, attempts=1)
    [row] = await _wait_rows(services, 1)
    assert row["attempts"] == 1
    assert '"UnknownJob"' in row["error"]
    assert _dead_count() == before + 1


async def test_retry_runs_the_job_again_and_marks_it_retried(
    asgi_app: Any,
    settings: Settings,
    services: Services,
    worker: None,
    client: httpx.AsyncClient,
    alice: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = True
    succeeded: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def until_fixed(ctx: Any, data: dict[str, Any]) -> None:
        if broken:
            raise ConnectionError("provider down")
        succeeded.put_nowait(data)

    monkeypatch.setitem(HANDLERS[QUEUE], "test.until_fixed", until_fixed)
    await _enqueue(asgi_app, settings, "test.until_fixed", {"companyId": alice.company_id, "n": 1}, **FAST)
    [row] = await _wait_rows(services, 1)
    assert str(row["company_id"]) == alice.company_id

    listed = (await client.get("/api/dead-letters", headers=alice.headers)).json()
    assert listed["pagination"]["total"] == 1
    assert listed["countsByQueue"][QUEUE] == 1
    item = listed["data"][0]
    assert item["jobName"] == "test.until_fixed"
    assert item["errorMessage"] == "provider down"
    assert item["errorType"] == "ConnectionError"
    assert item["attempts"] == 2
    assert "payload" not in item
    letter_id = item["id"]
    one = (await client.get(f"/api/dead-letters/{letter_id}", headers=alice.headers)).json()["data"]
    assert one["payload"]["n"] == 1
    assert one["error"]["type"] == "ConnectionError"

    broken = False
    retried = await client.post(f"/api/dead-letters/{letter_id}/retry", headers=alice.headers)
    assert retried.status_code == 200, retried.text
    data = retried.json()["data"]
    assert data["status"] == "RETRIED"
    assert data["resolvedBy"] == alice.user_id
    assert data["resolvedAt"] is not None
    assert data["retryJobId"] == f"dead-letter-{letter_id}"
    ran = await asyncio.wait_for(succeeded.get(), 10)
    assert ran["n"] == 1
    assert ran["companyId"] == alice.company_id
    assert len(await _rows(services)) == 1  # it succeeded: no new dead letter

    again = await client.post(f"/api/dead-letters/{letter_id}/retry", headers=alice.headers)
    assert again.status_code == 409
    assert again.json()["success"] is False
    discard = await client.post(f"/api/dead-letters/{letter_id}/discard", headers=alice.headers)
    assert discard.status_code == 409
    # Resolved ones leave the default (DEAD) list but stay for audit.
    assert (await client.get("/api/dead-letters", headers=alice.headers)).json()["data"] == []
    retried_list = (await client.get("/api/dead-letters?status=RETRIED", headers=alice.headers)).json()
    assert [d["id"] for d in retried_list["data"]] == [letter_id]


async def _insert(
    asgi_app: Any,
    company_id: str | None,
    *,
    queue: str = QUEUE,
    age: timedelta = timedelta(0),
    status: str = "DEAD",
) -> str:
    async with system_session(_factory(asgi_app)) as session:
        letter = DeadLetter(
            company_id=uuid.UUID(company_id) if company_id else None,
            queue=queue,
            job_id="outbox-x",
            job_name="demo.job",
            payload={"companyId": company_id},
            error={"message": "boom", "type": "RuntimeError", "stack": "..."},
            attempts=5,
            failed_at=datetime.now(UTC) - age,
            status=status,
        )
        session.add(letter)
    return str(letter.id)


async def test_discard_and_conflicts(asgi_app: Any, client: httpx.AsyncClient, alice: Account) -> None:
    letter_id = await _insert(asgi_app, alice.company_id)
    discarded = await client.post(f"/api/dead-letters/{letter_id}/discard", headers=alice.headers)
    assert discarded.status_code == 200, discarded.text
    assert discarded.json()["data"]["status"] == "DISCARDED"
    assert discarded.json()["data"]["resolvedBy"] == alice.user_id
    for action in ("discard", "retry"):
        conflict = await client.post(f"/api/dead-letters/{letter_id}/{action}", headers=alice.headers)
        assert conflict.status_code == 409
        assert conflict.json()["code"] == "conflict"
    kept = await client.get(f"/api/dead-letters/{letter_id}", headers=alice.headers)
    assert kept.json()["data"]["status"] == "DISCARDED"
    listed = (await client.get("/api/dead-letters?status=ALL", headers=alice.headers)).json()
    assert listed["pagination"]["total"] == 1


async def test_filters_and_counts(asgi_app: Any, client: httpx.AsyncClient, alice: Account) -> None:
    await _insert(asgi_app, alice.company_id, queue=queues.MESSAGE)
    await _insert(asgi_app, alice.company_id, queue=queues.MESSAGE)
    await _insert(asgi_app, alice.company_id, queue=queues.EMBEDDING)
    await _insert(asgi_app, alice.company_id, queue=queues.EMBEDDING, status="DISCARDED")
    body = (await client.get(f"/api/dead-letters?queue={queues.MESSAGE}", headers=alice.headers)).json()
    assert body["pagination"]["total"] == 2
    assert {d["queue"] for d in body["data"]} == {queues.MESSAGE}
    assert body["countsByQueue"] == {
        queues.MESSAGE: 2,
        queues.FOLLOWUP: 0,
        queues.EMBEDDING: 1,
        queues.FLOW: 0,
    }
    paged = (await client.get("/api/dead-letters?limit=1&page=2", headers=alice.headers)).json()
    assert len(paged["data"]) == 1
    assert paged["pagination"]["pages"] == 3
    bad = await client.get("/api/dead-letters?queue=nope", headers=alice.headers)
    assert bad.status_code == 400
    assert (await client.get("/api/dead-letters?status=LOST", headers=alice.headers)).status_code == 400


async def test_tenant_isolation_and_platform_rows(
    asgi_app: Any, client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    letter_id = await _insert(asgi_app, alice.company_id)
    platform_id = await _insert(asgi_app, None)
    seen = (await client.get("/api/dead-letters?status=ALL", headers=alice.headers)).json()
    assert [d["id"] for d in seen["data"]] == [letter_id]  # the company-less row is not hers
    assert (await client.get(f"/api/dead-letters/{platform_id}", headers=alice.headers)).status_code == 404
    listed = (await client.get("/api/dead-letters?status=ALL", headers=bob.headers)).json()
    assert listed["data"] == []
    assert listed["pagination"]["total"] == 0
    for method, path in (
        ("GET", f"/api/dead-letters/{letter_id}"),
        ("POST", f"/api/dead-letters/{letter_id}/retry"),
        ("POST", f"/api/dead-letters/{letter_id}/discard"),
        ("GET", f"/api/dead-letters/{uuid.uuid4()}"),
    ):
        response = await client.request(method, path, headers=bob.headers)
        assert response.status_code == 404, (method, path)
    still = (await client.get(f"/api/dead-letters/{letter_id}", headers=alice.headers)).json()["data"]
    assert still["status"] == "DEAD"


async def test_members_are_refused(asgi_app: Any, client: httpx.AsyncClient, alice: Account) -> None:
    letter_id = await _insert(asgi_app, alice.company_id)
    await join(client, alice, "worker-bee@example.com", role="member", password="member-password")
    headers = await login_headers(client, "worker-bee@example.com", "member-password")
    for method, path in (
        ("GET", "/api/dead-letters"),
        ("GET", f"/api/dead-letters/{letter_id}"),
        ("POST", f"/api/dead-letters/{letter_id}/retry"),
        ("POST", f"/api/dead-letters/{letter_id}/discard"),
    ):
        response = await client.request(method, path, headers=headers)
        assert response.status_code == 403, (method, path)
    assert (await client.get("/api/dead-letters")).status_code == 401


async def test_prune_keeps_each_queue_for_its_retention(
    asgi_app: Any, services: Services, alice: Account
) -> None:
    await _insert(asgi_app, alice.company_id, age=timedelta(days=8), status="RETRIED")
    week = await _insert(asgi_app, alice.company_id, age=timedelta(days=6))
    await _insert(asgi_app, None, queue=queues.EMBEDDING, age=timedelta(days=4))
    new_embedding = await _insert(asgi_app, alice.company_id, queue=queues.EMBEDDING, age=timedelta(days=2))
    async with system_session(_factory(asgi_app)) as session:
        assert await service.prune(session) == 2
    left = {str(r["id"]) for r in await _rows(services)}
    assert left == {week, new_embedding}


async def test_a_failure_to_record_is_logged_not_raised(asgi_app: Any, services: Services) -> None:
    before = _dead_count(queues.MESSAGE)
    recorded = await service.record(
        _factory(asgi_app),
        queue=queues.MESSAGE,
        job_id="1",
        job_name="x",
        payload={"text": "\x00 PostgreSQL refuses NUL in jsonb"},
        attempts=5,
        exc=RuntimeError("the original error"),
    )
    assert recorded is None
    assert await _rows(services) == []
    assert _dead_count(queues.MESSAGE) == before + 1


def test_the_queue_filter_names_every_queue() -> None:
    from typing import get_args

    from evoai.deadletters.endpoints import QueueFilter

    assert set(get_args(QueueFilter)) == set(queues.ALL_QUEUES)
