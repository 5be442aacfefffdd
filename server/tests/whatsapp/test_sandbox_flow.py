"""The whole messaging path over real HTTP: our API and workers against the sandbox Evolution gateway.

credential → instance → QR → scan → a customer writes → the agent answers (text, reply, media,
reaction) → the gateway reports delivery and reading → the instance is deleted, history kept.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from evoai.app import create_app
from evoai.ops.embedded import free_port
from evoai.worker import queues
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


@pytest.fixture
async def api(services: Services, sandbox: RunningSandbox) -> AsyncIterator[str]:
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
    yield f"http://127.0.0.1:{port}"
    stop.set()
    await asyncio.wait_for(working, 15)
    server.should_exit = True
    await serving


async def test_customer_and_agent_talk_through_the_sandbox(api: str, sandbox: RunningSandbox) -> None:
    async with (
        httpx.AsyncClient(base_url=api, timeout=20) as client,
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
        headers = {"Authorization": f"Bearer {registered.json()['data']['accessToken']}"}

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
