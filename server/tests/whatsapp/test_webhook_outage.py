"""PostgreSQL stopped during a delivery: 503 (the gateway retries), and the retry stores the message once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from evoai.app import create_app
from evoai.ops import migrate
from evoai.ops.embedded import EmbeddedStack, free_port
from tests.conftest import Services, make_settings, register
from tests.whatsapp.wa_helpers import make_instance


@pytest.fixture
async def own_stack(tmp_path: Path) -> AsyncIterator[EmbeddedStack]:
    stack = EmbeddedStack.in_dir(tmp_path)
    stack.postgres.port, stack.redis.port = free_port(), free_port()
    await asyncio.to_thread(stack.start)
    await asyncio.to_thread(migrate.upgrade, stack.postgres.admin_url)
    yield stack
    await asyncio.to_thread(stack.stop)


async def test_database_outage_answers_503_and_the_retry_stores_once(
    own_stack: EmbeddedStack, services: Services
) -> None:
    settings = make_settings(services, DATABASE_URL=own_stack.postgres.app_url, REDIS_URL=own_stack.redis.url)
    app: Any = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        account = await register(client, "Olga", "Outage Co")
        gateway = await make_instance(app, account.company_id)
        body = gateway.evolution("evolution_messages_upsert_text")

        await asyncio.to_thread(own_stack.postgres.stop)
        down = await gateway.post(client, body)
        assert down.status_code == 503, down.text
        assert down.headers["retry-after"] == "5"

        await asyncio.to_thread(own_stack.postgres.start)
        statuses = []
        for _ in range(20):  # the first attempts may meet connections the restart killed
            retry = await gateway.post(client, body)
            statuses.append(retry.status_code)
            if retry.status_code == 200:
                break
            await asyncio.sleep(0.2)
        assert retry.status_code == 200, statuses
        assert retry.json()["reason"] == "message_created"
        assert (await gateway.post(client, body)).json()["reason"] == "duplicate"
        listing = await client.get("/api/whatsapp/conversations", headers=account.headers)
        [conversation] = listing.json()["data"]["conversations"]
        messages = await client.get(
            f"/api/whatsapp/conversations/{conversation['id']}/messages", headers=account.headers
        )
        assert len(messages.json()["data"]["messages"]) == 1
    state = app.other_asgi_app.state.evoai
    await state.relay.close()
    await state.redis.aclose()
    await state.engine.dispose()
