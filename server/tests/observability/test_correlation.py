"""The request id follows a request into the jobs it creates: stored with the job (outbox row, BullMQ
data) and bound to the worker's log lines while the job runs."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import asyncpg
import httpx

from evoai.config import Settings
from evoai.db import system_session
from evoai.logging import configure_logging
from evoai.observability.correlation import REQUEST_ID_KEY
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job
from evoai.worker.run import run_workers
from tests.conftest import Services


async def test_a_request_id_reaches_the_job_and_its_logs(
    client: httpx.AsyncClient, settings: Settings, services: Services
) -> None:
    request_id = "req-correlate-0001"
    response = await client.post(
        "/api/auth/register",
        json={
            "email": "corr@example.com",
            "password": "correct-horse-battery",
            "fullName": "Cora",
            "companyName": "Corr",
        },
        headers={"X-Request-ID": request_id},
    )
    assert response.status_code == 201, response.text
    assert response.headers["X-Request-ID"] == request_id
    connection = await asyncpg.connect(services.admin_url)
    try:
        rows = await connection.fetch("SELECT name, payload FROM outbox WHERE kind = 'job'")
    finally:
        await connection.close()
    [welcome] = [row for row in rows if row["name"] == "notifications.welcome"]
    assert json.loads(welcome["payload"])[REQUEST_ID_KEY] == request_id

    logs = io.StringIO()
    configure_logging("info", json=True, stream=logs)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_workers(settings, [queues.MESSAGE], stop=stop, grace_seconds=5))
    try:
        for _ in range(100):
            if '"job.completed"' in logs.getvalue():
                break
            await asyncio.sleep(0.1)
    finally:
        stop.set()
        await asyncio.wait_for(worker, 15)
        configure_logging(settings.LOG_LEVEL, json=False)
    lines: list[dict[str, Any]] = [json.loads(line) for line in logs.getvalue().splitlines() if line]
    completed = [line for line in lines if line["event"] == "job.completed"]
    assert completed, logs.getvalue()[-2000:]
    assert completed[0]["job"] == "notifications.welcome"
    assert completed[0]["request_id"] == request_id
    # Unbound after the job: the worker's own lines carry no request id.
    stopped = [line for line in lines if line["event"] == "worker.stopped"]
    assert stopped
    assert "request_id" not in stopped[0]


async def test_jobs_outside_a_request_carry_no_id(asgi_app: Any, services: Services) -> None:
    async with system_session(asgi_app.other_asgi_app.state.evoai.factory) as session:
        await enqueue_job(session, queues.FLOW, "demo", {"n": 1})
    connection = await asyncpg.connect(services.admin_url)
    try:
        payload = await connection.fetchval("SELECT payload FROM outbox WHERE name = 'demo'")
    finally:
        await connection.close()
    assert json.loads(payload) == {"n": 1}
