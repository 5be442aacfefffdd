"""`/metrics`: who may read it, HTTP series by route template, queue and database gauges read at
scrape time from the real Redis and PostgreSQL, and the webhook and message counters."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from bullmq import Queue, Worker
from starlette.requests import Request

from evoai.config import Settings
from evoai.observability.endpoints import may_scrape
from evoai.worker import queues
from tests.conftest import Account, Services
from tests.observability.obs_helpers import sample, scrape
from tests.whatsapp.wa_helpers import make_instance, text_upsert


@pytest.fixture(autouse=True)
def fresh_reader(asgi_app: Any) -> None:
    """The database gauges are cached for 15 s per app; each test reads them anew."""
    asgi_app.other_asgi_app.state.metrics_reader = None


def _request(client: str, headers: dict[str, str] | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request(
        {"type": "http", "method": "GET", "path": "/metrics", "headers": raw, "client": (client, 1)}
    )


def test_who_may_scrape() -> None:
    assert may_scrape(_request("127.0.0.1"), "")
    assert may_scrape(_request("10.2.3.4"), "")
    assert may_scrape(_request("192.168.1.9"), "")
    assert may_scrape(_request("::1"), "")
    assert not may_scrape(_request("8.8.8.8"), "")
    # Came through a proxy or an ingress: from outside, whatever the proxy's own address.
    assert not may_scrape(_request("10.2.3.4", {"X-Forwarded-For": "8.8.8.8"}), "")
    assert not may_scrape(_request("127.0.0.1", {"X-Real-IP": "10.0.0.1"}), "")
    # With a token only the token counts, from anywhere.
    token = "s3cret-metrics-token"
    assert not may_scrape(_request("127.0.0.1"), token)
    assert not may_scrape(_request("10.0.0.1", {"Authorization": "Bearer wrong"}), token)
    assert may_scrape(_request("8.8.8.8", {"Authorization": f"Bearer {token}"}), token)


async def test_a_public_client_is_refused(asgi_app: Any) -> None:
    transport = httpx.ASGITransport(app=asgi_app, client=("8.8.8.8", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as outsider:
        response = await outsider.get("/metrics")
    assert response.status_code == 403
    assert response.json()["success"] is False


async def test_http_series_use_the_route_template(client: httpx.AsyncClient, alice: Account) -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    before = await scrape(client)
    labels = {"route": "/api/contacts/{contact_id}", "method": "GET"}
    for contact_id in ids:
        assert (await client.get(f"/api/contacts/{contact_id}", headers=alice.headers)).status_code == 404
    too_big = await client.post("/api/auth/login", content=b"x" * 2_000_000)
    assert too_big.status_code == 413
    after = await scrape(client)
    assert (
        sample(after, "evoai_http_requests_total", status="404", **labels)
        - sample(before, "evoai_http_requests_total", status="404", **labels)
        == 3
    )
    count = "evoai_http_request_duration_seconds_count"
    assert sample(after, count, **labels) - sample(before, count, **labels) == 3
    # Answered before routing (413), still labelled with its route.
    login = {"route": "/api/auth/login", "method": "POST", "status": "413"}
    assert (
        sample(after, "evoai_http_requests_total", **login)
        == sample(before, "evoai_http_requests_total", **login) + 1
    )
    assert not any(contact_id in after for contact_id in ids)
    assert 'route="/metrics"' in after
    assert "process_resident_memory_bytes" in after


async def test_queue_gauges_come_from_redis(client: httpx.AsyncClient, settings: Settings) -> None:
    message = Queue(queues.MESSAGE, {"connection": settings.REDIS_URL})
    flow = Queue(queues.FLOW, {"connection": settings.REDIS_URL})
    await message.add("metrics.a", {})
    await message.add("metrics.b", {})
    await message.add("metrics.later", {}, {"delay": 60_000})

    async def fails(job: Any, token: str) -> None:
        raise RuntimeError("boom")

    failed = asyncio.Event()
    worker = Worker(queues.FLOW, fails, {"connection": settings.REDIS_URL, "drainDelay": 1})
    worker.on("failed", lambda *args: failed.set())
    await flow.add("metrics.fails", {}, {"attempts": 1, "removeOnFail": False})
    await asyncio.wait_for(failed.wait(), 10)
    await worker.close()

    text = await scrape(client)
    assert sample(text, "evoai_queue_waiting", queue=queues.MESSAGE) == 2
    assert sample(text, "evoai_queue_delayed", queue=queues.MESSAGE) == 1
    assert sample(text, "evoai_queue_active", queue=queues.MESSAGE) == 0
    assert sample(text, "evoai_queue_failed", queue=queues.FLOW) == 1
    assert sample(text, "evoai_queue_failed", queue=queues.MESSAGE) == 0
    await message.close()
    await flow.close()


@pytest.fixture
async def admin_db(services: Services) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(services.admin_url)
    yield connection
    await connection.close()


async def test_database_gauges(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, admin_db: asyncpg.Connection
) -> None:
    await make_instance(asgi_app, alice.company_id, status="open")
    await make_instance(asgi_app, alice.company_id, status="open")
    await make_instance(asgi_app, alice.company_id, status="qrcode")
    await admin_db.execute(
        "INSERT INTO outbox (kind, queue, name, payload, options, attempts, dead_at) VALUES "
        "('job', $1, 'x', '{}', '{}', 5, now()), ('job', 'gone-queue', 'y', '{}', '{}', 5, now()), "
        "('job', $1, 'z', '{}', '{}', 1, NULL)",
        queues.FOLLOWUP,
    )
    text = await scrape(client)
    assert sample(text, "evoai_whatsapp_instances", state="open") == 2
    assert sample(text, "evoai_whatsapp_instances", state="qrcode") == 1
    assert sample(text, "evoai_whatsapp_instances", state="close") == 0
    assert sample(text, "evoai_queue_dead_lettered_total", queue=queues.FOLLOWUP) == 1
    assert sample(text, "evoai_queue_dead_lettered_total", queue="other") == 1
    assert sample(text, "evoai_queue_dead_lettered_total", queue=queues.MESSAGE) == 0


async def test_webhook_and_message_counters(client: httpx.AsyncClient, alice: Account, asgi_app: Any) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    labels = {"provider": "EVOLUTION", "event": "message"}
    before = await scrape(client)
    body = text_upsert(gateway, message_id="METRICS0001", number="5511911112222", text="Olá")
    assert (await gateway.post(client, body)).json()["reason"] == "message_created"
    assert (await gateway.post(client, body)).json()["reason"] == "duplicate"
    after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta("evoai_webhook_events_total", outcome="message_created", **labels) == 1
    assert delta("evoai_webhook_events_total", outcome="duplicate", **labels) == 1
    assert delta("evoai_messages_total", direction="received") == 1
    # Defined for the modules that feed them: present from the start. Backups are not an API
    # process's business: their metrics go to the backup job's text file, not to /metrics.
    assert "evoai_ai_errors_total 0.0" in after
    assert "# TYPE evoai_followups_total counter" in after
    assert "evoai_backup" not in after
