"""The whole messaging path over real HTTP: our API and workers against the sandbox Evolution gateway.

credential → instance → QR → scan → a customer writes → the agent answers (text, reply, media,
reaction) → the gateway reports delivery and reading → the instance is deleted, history kept.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import socketio
import uvicorn

from evoai.app import create_app
from evoai.db import system_session
from evoai.ops.embedded import free_port
from evoai.whatsapp.tasks import schedule_reconciliation
from evoai.worker import queues
from evoai.worker.enqueue import committed_outbox_ids
from evoai.worker.run import run_workers
from tests.conftest import Services, make_settings
from tests.sandbox.conftest import GLOBAL_KEY, RunningSandbox, start_sandbox, stop_sandbox

T = TypeVar("T")
CUSTOMER = "5511987654321"
# The smallest valid PNG (1x1, transparent).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


async def eventually(check: Callable[[], Awaitable[T | None]], within: float = 15.0) -> T:
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)


@pytest.fixture
def sandbox(tmp_path: Path) -> Any:
    running, server, thread = start_sandbox(tmp_path / "sandbox")
    yield running
    stop_sandbox(server, thread)


@dataclass
class Api:
    url: str
    app: Any


@pytest.fixture
async def api(services: Services, sandbox: RunningSandbox) -> AsyncIterator[Api]:
    """Our API on a real port (the sandbox posts webhooks to it) plus every worker."""
    port = free_port()
    settings = make_settings(services, API_URL=f"http://127.0.0.1:{port}")
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    stop = asyncio.Event()
    working = asyncio.create_task(run_workers(settings, list(queues.ALL_QUEUES), stop=stop, grace_seconds=5))
    while not server.started:
        await asyncio.sleep(0.02)
    yield Api(f"http://127.0.0.1:{port}", app)
    stop.set()
    await asyncio.wait_for(working, 15)
    server.should_exit = True
    await serving


async def test_customer_and_agent_talk_through_the_sandbox(api: Api, sandbox: RunningSandbox) -> None:
    async with (
        httpx.AsyncClient(base_url=api.url, timeout=20) as client,
        httpx.AsyncClient(base_url=sandbox.url, timeout=20) as phone,
    ):
        registered = await client.post(
            "/api/auth/register",
            json={
                "email": "flow@example.com",
                "password": "correct-horse-battery",
                "fullName": "Flávia",
                "companyName": "Loja Flow",
            },
        )
        access = registered.json()["data"]["accessToken"]
        headers = {"Authorization": f"Bearer {access}"}
        # A browser of the company, listening to the live events.
        events: list[tuple[str, dict[str, Any]]] = []
        browser = socketio.AsyncClient()
        for name in (
            "new-message",
            "message-sent",
            "message-status",
            "conversation-updated",
            "instance-status",
        ):
            browser.on(name, lambda data, name=name: events.append((name, data)))
        await browser.connect(api.url, auth={"token": access}, transports=["websocket"])

        # Credentials are checked against the gateway when created.
        wrong_key = await client.post(
            "/api/whatsapp/provider-credentials",
            headers=headers,
            json={"provider": "EVOLUTION", "apiUrl": sandbox.url, "apiKey": "wrong"},
        )
        assert wrong_key.status_code == 422
        assert "chave" in wrong_key.json()["error"].lower()
        unreachable = await client.post(
            "/api/whatsapp/provider-credentials",
            headers=headers,
            json={"provider": "EVOLUTION", "apiUrl": f"http://127.0.0.1:{free_port()}", "apiKey": GLOBAL_KEY},
        )
        assert unreachable.status_code == 422
        assert "acessar" in unreachable.json()["error"]
        credential = await client.post(
            "/api/whatsapp/provider-credentials",
            headers=headers,
            json={"provider": "EVOLUTION", "apiUrl": sandbox.url, "apiKey": GLOBAL_KEY},
        )
        assert credential.status_code == 201, credential.text
        assert "apiKey" not in credential.json()["data"]

        created = await client.post(
            "/api/whatsapp/instances", headers=headers, json={"instanceName": "Vendas"}
        )
        assert created.status_code == 201, created.text
        instance = created.json()["data"]
        over_limit = await client.post(
            "/api/whatsapp/instances", headers=headers, json={"instanceName": "Outra"}
        )
        assert over_limit.status_code == 422
        assert "Free" in over_limit.json()["error"]

        detail = (await client.get(f"/api/whatsapp/instances/{instance['id']}", headers=headers)).json()[
            "data"
        ]
        gateway_name = detail["webhook"]["url"].rsplit("/", 1)[-1]
        connect = await client.post(f"/api/whatsapp/instances/{instance['id']}/connect", headers=headers)
        assert connect.status_code == 200, connect.text
        assert connect.json()["data"]["qrcode"].startswith("data:image/png;base64,")

        assert (await phone.post(f"/sandbox/instances/{gateway_name}/scan", json={})).status_code == 200

        async def connected() -> dict[str, Any] | None:
            data = (await client.get(f"/api/whatsapp/instances/{instance['id']}", headers=headers)).json()[
                "data"
            ]
            return data if data["connectionStatus"] == "open" else None

        opened = await eventually(connected)
        assert opened["phoneNumber"]

        # A customer writes on the sandbox phone.
        written = await phone.post(
            f"/sandbox/instances/{gateway_name}/customer-messages",
            json={"from": CUSTOMER, "name": "Cliente Sandbox", "text": "Oi, tem pronta entrega?"},
        )
        assert written.status_code == 201, written.text

        async def conversation() -> dict[str, Any] | None:
            listing = (await client.get("/api/whatsapp/conversations", headers=headers)).json()["data"]
            return listing["conversations"][0] if listing["conversations"] else None

        chat = await eventually(conversation)
        assert chat["contactName"] == "Cliente Sandbox"
        messages_url = f"/api/whatsapp/conversations/{chat['id']}/messages"
        [received] = (await client.get(messages_url, headers=headers)).json()["data"]["messages"]

        # The agent answers, quoting the customer.
        sent = await client.post(
            "/api/whatsapp/send",
            headers=headers,
            json={"conversationId": chat["id"], "text": "Temos sim!", "replyToMessageId": received["id"]},
        )
        assert sent.status_code == 201, sent.text
        assert sent.json()["data"]["status"] == "PENDING"
        ours = sent.json()["data"]["id"]

        async def status_of(message_id: str, wanted: set[str]) -> dict[str, Any] | None:
            for message in (await client.get(messages_url, headers=headers)).json()["data"]["messages"]:
                if message["id"] == message_id and message["status"] in wanted:
                    return dict(message)
            return None

        delivered = await eventually(lambda: status_of(ours, {"DELIVERED", "READ"}))
        assert delivered["messageKeyId"]
        assert delivered["replyTo"]["messageKeyId"] == received["messageKeyId"]

        async def on_phone() -> list[dict[str, Any]] | None:
            chat_view = (await phone.get(f"/sandbox/instances/{gateway_name}/chats/{CUSTOMER}")).json()
            agent = [m for m in chat_view["messages"] if m["author"] == "agent"]
            return agent or None

        [agent_message] = await eventually(on_phone)
        assert agent_message["text"] == "Temos sim!"
        assert agent_message["quoted"]["id"] == received["messageKeyId"]

        # The customer reads it: blue ticks come back as READ.
        await phone.post(f"/sandbox/instances/{gateway_name}/chats/{CUSTOMER}/read")
        await eventually(lambda: status_of(ours, {"READ"}))

        # Media and a reaction go out through the same worker.
        media = await client.post(
            "/api/whatsapp/send-media",
            headers=headers,
            data={"conversationId": chat["id"], "caption": "Foto"},
            files={"file": ("foto.png", PNG, "image/png")},
        )
        assert media.status_code == 201, media.text
        await eventually(lambda: status_of(media.json()["data"]["id"], {"SENT", "DELIVERED", "READ"}))
        reaction = await client.post(
            "/api/whatsapp/send-reaction",
            headers=headers,
            json={"messageId": received["id"], "reaction": "👍"},
        )
        assert reaction.status_code == 200, reaction.text

        async def reacted() -> bool | None:
            chat_view = (await phone.get(f"/sandbox/instances/{gateway_name}/chats/{CUSTOMER}")).json()
            return any(m["reactions"].get("agent") == "👍" for m in chat_view["messages"]) or None

        await eventually(reacted)

        # Deleting the instance removes it at the gateway and keeps the conversation.
        deleted = await client.delete(f"/api/whatsapp/instances/{instance['id']}", headers=headers)
        assert deleted.json()["data"] == {"deleted": True, "gatewayCleanup": True}
        remaining = (await phone.get("/sandbox/instances")).json()["instances"]
        assert gateway_name not in [i["name"] for i in remaining]
        history = (await client.get(messages_url, headers=headers)).json()["data"]["messages"]
        assert len(history) >= 3

        seen = {name for name, _ in events}
        assert {
            "new-message",
            "message-sent",
            "message-status",
            "conversation-updated",
            "instance-status",
        } <= seen
        live = next(data for name, data in events if name == "new-message")
        assert live["message"]["messageText"] == "Oi, tem pronta entrega?"
        assert live["conversation"]["unreadCount"] == 1
        assert any(
            name == "instance-status" and d["instance"]["connectionStatus"] == "open" for name, d in events
        )
        await browser.disconnect()


async def _connected_instance(
    client: httpx.AsyncClient, phone: httpx.AsyncClient, sandbox: RunningSandbox
) -> tuple[dict[str, str], str]:
    registered = await client.post(
        "/api/auth/register",
        json={
            "email": f"rec-{time.time_ns()}@example.com",
            "password": "correct-horse-battery",
            "fullName": "Rebeca",
            "companyName": "Loja Rec",
        },
    )
    headers = {"Authorization": f"Bearer {registered.json()['data']['accessToken']}"}
    await client.post(
        "/api/whatsapp/provider-credentials",
        headers=headers,
        json={"provider": "EVOLUTION", "apiUrl": sandbox.url, "apiKey": GLOBAL_KEY},
    )
    instance = (
        await client.post("/api/whatsapp/instances", headers=headers, json={"instanceName": "Rec"})
    ).json()
    instance_id = instance["data"]["id"]
    detail = (await client.get(f"/api/whatsapp/instances/{instance_id}", headers=headers)).json()["data"]
    gateway_name = detail["webhook"]["url"].rsplit("/", 1)[-1]
    await client.post(f"/api/whatsapp/instances/{instance_id}/connect", headers=headers)
    await phone.post(f"/sandbox/instances/{gateway_name}/scan", json={})

    async def connected() -> bool | None:
        data = (await client.get(f"/api/whatsapp/instances/{instance_id}", headers=headers)).json()["data"]
        return data["connectionStatus"] == "open" or None

    await eventually(connected)
    return headers, gateway_name


async def test_reconciliation_backfills_what_no_webhook_delivered(api: Api, sandbox: RunningSandbox) -> None:
    async with (
        httpx.AsyncClient(base_url=api.url, timeout=20) as client,
        httpx.AsyncClient(base_url=sandbox.url, timeout=20, headers={"apikey": GLOBAL_KEY}) as phone,
    ):
        headers, gateway_name = await _connected_instance(client, phone, sandbox)
        # The gateway loses its way to us: deliveries now go nowhere.
        lost = await phone.post(
            f"/webhook/set/{gateway_name}",
            json={"webhook": {"enabled": True, "url": f"http://127.0.0.1:{free_port()}/gone", "events": []}},
        )
        assert lost.status_code == 201, lost.text
        for body in (
            {"from": CUSTOMER, "name": "Cliente Perdido", "text": "Alguém aí?"},
            {
                "from": CUSTOMER,
                "name": "Cliente Perdido",
                "text": "Foto",
                "media": {"base64": base64.b64encode(PNG).decode(), "mimetype": "image/png"},
            },
        ):
            assert (
                await phone.post(f"/sandbox/instances/{gateway_name}/customer-messages", json=body)
            ).status_code == 201
        listing = (await client.get("/api/whatsapp/conversations", headers=headers)).json()["data"]
        assert listing["conversations"] == []

        # What the scheduler does every WHATSAPP_RECONCILE_SECONDS: one job per connected instance.
        state = api.app.other_asgi_app.state.evoai
        async with system_session(state.factory) as session:
            assert await schedule_reconciliation(session) >= 1
            ids = committed_outbox_ids(session)
        await state.relay.relay(ids)

        async def backfilled() -> list[dict[str, Any]] | None:
            data = (await client.get("/api/whatsapp/conversations", headers=headers)).json()["data"]
            if not data["conversations"]:
                return None
            url = f"/api/whatsapp/conversations/{data['conversations'][0]['id']}/messages"
            messages: list[dict[str, Any]] = (await client.get(url, headers=headers)).json()["data"][
                "messages"
            ]
            stored = [m for m in messages if m["kind"] == "image" and m["media"]["state"] == "stored"]
            return messages if len(messages) == 2 and stored else None

        messages = await eventually(backfilled)
        # Both written in the same second: WhatsApp's timestamps cannot order them, so only check both.
        assert sorted(m["messageText"] for m in messages) == ["Alguém aí?", "Foto"]
        [photo] = [m for m in messages if m["kind"] == "image"]
        image = await client.get(photo["media"]["url"])
        assert image.status_code == 200
        assert image.content == PNG
