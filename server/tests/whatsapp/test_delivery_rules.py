"""Sending that fails at the gateway, a Redis outage during a delivery, and message pagination."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlalchemy import func, select

from evoai.app import create_app
from evoai.config import Settings
from evoai.db import system_session
from evoai.models import OutboxEntry
from evoai.ops.embedded import free_port
from evoai.worker import queues
from evoai.worker.run import run_workers
from tests.conftest import Account, Services, make_settings, register
from tests.whatsapp.providers.support import FakeGateway, Reply
from tests.whatsapp.test_sandbox_flow import PNG
from tests.whatsapp.wa_helpers import fixture, make_instance, state_of, text_upsert


@pytest.fixture
async def workers(settings: Settings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, [queues.MESSAGE], stop=stop, grace_seconds=5))
    await asyncio.sleep(0.3)
    yield
    stop.set()
    await asyncio.wait_for(task, 15)


async def _connected_evolution_instance(
    client: httpx.AsyncClient, account: Account, gateway: FakeGateway
) -> tuple[str, dict[str, str]]:
    """A credential on `gateway`, an instance created through our API and reported open by webhook.
    Returns the gateway's instance name and the webhook headers."""
    gateway.on("GET", "/instance/fetchInstances", Reply(200, []))
    gateway.on("POST", "/instance/create", Reply(201, {"instance": {}, "hash": "TOKEN"}))
    await client.post(
        "/api/whatsapp/provider-credentials",
        headers=account.headers,
        json={"provider": "EVOLUTION", "apiUrl": gateway.url, "apiKey": "key"},
    )
    created = await client.post(
        "/api/whatsapp/instances", headers=account.headers, json={"instanceName": "Loja"}
    )
    url = f"/api/whatsapp/instances/{created.json()['data']['id']}"
    detail = (await client.get(url, headers=account.headers)).json()["data"]
    name, hook = detail["webhook"]["url"].rsplit("/", 1)[-1], {"X-Webhook-Token": detail["webhook"]["secret"]}
    opened = {"event": "connection.update", "instance": name, "data": {"instance": name, "state": "open"}}
    await client.post(f"/api/whatsapp/webhook/{name}", json=opened, headers=hook)
    return name, hook


async def test_a_send_the_gateway_refuses_ends_failed_with_the_reason(
    client: httpx.AsyncClient, alice: Account, workers: None
) -> None:
    gateway = FakeGateway()
    await gateway.start()
    try:
        name, hook = await _connected_evolution_instance(client, alice, gateway)
        refused = {
            "status": 400,
            "error": "Bad Request",
            "response": {"message": [{"jid": "5511987654321@s.whatsapp.net", "exists": False}]},
        }
        gateway.on("POST", f"/message/sendText/{name}", Reply(400, refused))
        customer = fixture("evolution_messages_upsert_text")
        customer["instance"] = name
        await client.post(f"/api/whatsapp/webhook/{name}", json=customer, headers=hook)
        listing = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
        conversation_id = listing["conversations"][0]["id"]
        sent = await client.post(
            "/api/whatsapp/send",
            headers=alice.headers,
            json={"conversationId": conversation_id, "text": "Olá"},
        )
        ours = sent.json()["data"]["id"]
        for _ in range(100):
            page = await client.get(
                f"/api/whatsapp/conversations/{conversation_id}/messages", headers=alice.headers
            )
            [message] = [m for m in page.json()["data"]["messages"] if m["id"] == ours]
            if message["status"] == "FAILED":
                break
            await asyncio.sleep(0.1)
        assert message["status"] == "FAILED"
        assert "not on WhatsApp" in message["error"]
        assert len(gateway.calls("POST", f"/message/sendText/{name}")) == 1  # a refusal is not retried

        # The member fixes the cause and sends it again: FAILED → PENDING → SENT, the same message.
        accepted = {"key": {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": True, "id": "3EB0RETRY"}}
        gateway.on("POST", f"/message/sendText/{name}", Reply(201, {**accepted, "status": "PENDING"}))
        retried = await client.post(f"/api/whatsapp/messages/{ours}/retry", headers=alice.headers)
        assert retried.status_code == 200, retried.text
        assert retried.json()["data"]["status"] == "PENDING"
        for _ in range(100):
            page = await client.get(
                f"/api/whatsapp/conversations/{conversation_id}/messages", headers=alice.headers
            )
            [message] = [m for m in page.json()["data"]["messages"] if m["id"] == ours]
            if message["status"] == "SENT":
                break
            await asyncio.sleep(0.1)
        assert message["status"] == "SENT"
        assert message["messageKeyId"] == "3EB0RETRY"
        again = await client.post(f"/api/whatsapp/messages/{ours}/retry", headers=alice.headers)
        assert again.status_code == 409
        stranger = await register(client, "Sergio", "Outra")
        assert (
            await client.post(f"/api/whatsapp/messages/{ours}/retry", headers=stranger.headers)
        ).status_code == 404
    finally:
        await gateway.stop()


async def test_a_redis_outage_delays_but_loses_nothing(services: Services) -> None:
    settings = make_settings(services, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    app: Any = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        account = await register(client, "Rui", "Redis Down")
        gateway = await make_instance(app, account.company_id)
        response = await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
        assert response.status_code == 200, response.text
        assert response.json()["reason"] == "message_created"
        listing = await client.get("/api/whatsapp/conversations", headers=account.headers)
        assert listing.json()["data"]["pagination"]["total"] == 1
        await asyncio.sleep(0.5)
        async with system_session(state_of(app).factory) as session:
            pending = await session.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None))
            )
        assert (pending or 0) >= 1  # the live event waits in the outbox for Redis to return
    state = state_of(app)
    await state.relay.close()
    await state.redis.aclose()
    await state.engine.dispose()


async def test_messages_page_backwards_with_a_cursor(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    for i in range(5):
        body = text_upsert(gateway, message_id=f"PG{i}", number="5511977776666", text=f"m{i}")
        body["data"]["messageTimestamp"] = 1765377125 + i
        await gateway.post(client, body)
    listing = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
    url = f"/api/whatsapp/conversations/{listing['conversations'][0]['id']}/messages"
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await client.get(url, headers=alice.headers, params=params)).json()["data"]
        seen = [m["messageText"] for m in page["messages"]] + seen
        if not page["hasMore"]:
            break
        params["before"] = page["nextCursor"]
    assert seen == ["m0", "m1", "m2", "m3", "m4"]
    bad = await client.get(url, headers=alice.headers, params={"before": "garbage!"})
    assert bad.status_code == 400


async def test_a_reply_stamped_in_the_second_of_our_message_is_listed_after_it(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    """WhatsApp stamps the customer's messages in whole seconds, ours carry fractions."""
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, text_upsert(gateway, message_id="RS0", number="5511977775555", text="oi"))
    listing = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
    conversation_id = listing["conversations"][0]["id"]
    sent = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": conversation_id, "text": "olá!"}
    )
    assert sent.status_code == 201, sent.text
    ours = datetime.fromisoformat(sent.json()["data"]["sentAt"])
    reply = text_upsert(gateway, message_id="RS1", number="5511977775555", text="quero o plano")
    reply["data"]["messageTimestamp"] = int(ours.timestamp())  # the same second, rounded down
    await gateway.post(client, reply)
    url = f"/api/whatsapp/conversations/{conversation_id}/messages"
    page = (await client.get(url, headers=alice.headers)).json()["data"]
    assert [m["messageText"] for m in page["messages"]] == ["oi", "olá!", "quero o plano"]


async def test_a_new_chat_gets_the_contact_photo(
    client: httpx.AsyncClient, alice: Account, workers: None
) -> None:
    async def serve_photo(_: web.Request) -> web.Response:
        return web.Response(body=PNG, content_type="image/png")

    photo = web.Application()
    photo.router.add_get("/photo.png", serve_photo)
    runner = web.AppRunner(photo)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    gateway = FakeGateway()
    await gateway.start()
    try:
        name, hook = await _connected_evolution_instance(client, alice, gateway)
        gateway.on(
            "POST",
            f"/chat/fetchProfilePictureUrl/{name}",
            Reply(200, {"wuid": "x", "profilePictureUrl": f"http://127.0.0.1:{port}/photo.png"}),
        )
        customer = fixture("evolution_messages_upsert_text")
        customer["instance"] = name
        await client.post(f"/api/whatsapp/webhook/{name}", json=customer, headers=hook)
        for _ in range(100):
            listing = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
            avatar = listing["conversations"][0]["contact"]["avatarUrl"]
            if avatar:
                break
            await asyncio.sleep(0.1)
        assert avatar
        served = await client.get(avatar)
        assert served.status_code == 200
        assert served.content == PNG
    finally:
        await gateway.stop()
        await runner.cleanup()
