"""The AI's answer over real HTTP end to end: a customer writes on the sandbox gateway, our webhook
stores it, the worker's turn asks the scripted model, and the answer reaches the customer's phone
once, even when the first part's safety-net send job fires too."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from evoai.ai import reply
from evoai.app import create_app
from evoai.ops.embedded import free_port
from evoai.worker import queues
from evoai.worker.run import run_workers
from tests.ai.conftest import Model, ai_settings, settle
from tests.conftest import Services
from tests.sandbox.conftest import GLOBAL_KEY, RunningSandbox, start_sandbox, stop_sandbox

CUSTOMER = "5511987650000"


@pytest.fixture
def sandbox(tmp_path: Path) -> Any:
    running, server, thread = start_sandbox(tmp_path / "sandbox")
    yield running
    stop_sandbox(server, thread)


@pytest.fixture
async def api_url(services: Services, model: Model, sandbox: RunningSandbox) -> AsyncIterator[str]:
    port = free_port()
    settings = ai_settings(services, model, API_URL=f"http://127.0.0.1:{port}")
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    serving = asyncio.create_task(server.serve())
    stop = asyncio.Event()
    working = asyncio.create_task(run_workers(settings, [queues.MESSAGE], stop=stop, grace_seconds=3))
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    stop.set()
    await asyncio.wait_for(working, 15)
    server.should_exit = True
    await serving


async def test_the_answer_reaches_the_phone_once(
    api_url: str, sandbox: RunningSandbox, model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reply, "SAFETY_NET_MS", 500)  # the safety net fires during the test
    async with (
        httpx.AsyncClient(base_url=api_url, timeout=20) as client,
        httpx.AsyncClient(base_url=sandbox.url, timeout=20) as phone,
    ):
        registered = await client.post(
            "/api/auth/register",
            json={
                "email": "ai@example.com",
                "password": "correct-horse-battery",
                "fullName": "Ia",
                "companyName": "IA",
            },
        )
        headers = {"Authorization": f"Bearer {registered.json()['data']['accessToken']}"}
        await client.post(
            "/api/whatsapp/provider-credentials",
            headers=headers,
            json={"provider": "EVOLUTION", "apiUrl": sandbox.url, "apiKey": GLOBAL_KEY},
        )
        instance = (
            await client.post("/api/whatsapp/instances", headers=headers, json={"instanceName": "Vendas"})
        ).json()["data"]
        detail = (await client.get(f"/api/whatsapp/instances/{instance['id']}", headers=headers)).json()[
            "data"
        ]
        gateway_name = detail["webhook"]["url"].rsplit("/", 1)[-1]
        await client.post(f"/api/whatsapp/instances/{instance['id']}/connect", headers=headers)
        await phone.post(f"/sandbox/instances/{gateway_name}/scan", json={})
        enabled = await client.patch(
            f"/api/ai/instances/{instance['id']}",
            headers=headers,
            json={"enabled": True, "quietWindowSeconds": 0},
        )
        assert enabled.status_code == 200

        async def connected() -> bool:
            data = (await client.get(f"/api/whatsapp/instances/{instance['id']}", headers=headers)).json()[
                "data"
            ]
            return bool(data["connectionStatus"] == "open")

        await settle(connected)
        model.script({"content": "Olá! Temos pronta entrega, sim."})
        await phone.post(
            f"/sandbox/instances/{gateway_name}/customer-messages",
            json={"from": CUSTOMER, "name": "Cliente", "text": "Tem pronta entrega?"},
        )

        async def answered() -> list[Any] | None:
            chat = (await phone.get(f"/sandbox/instances/{gateway_name}/chats/{CUSTOMER}")).json()
            messages = chat.get("messages", chat) if isinstance(chat, dict) else chat
            found = [m for m in messages if "pronta entrega, sim" in str(m)]
            return found or None

        await settle(answered, within=15)
        await asyncio.sleep(1.5)  # the safety-net job has fired by now
        assert len(await answered() or []) == 1
        conversations = (await client.get("/api/whatsapp/conversations", headers=headers)).json()["data"]
        messages_url = f"/api/whatsapp/conversations/{conversations['conversations'][0]['id']}/messages"
        messages = (await client.get(messages_url, headers=headers)).json()["data"]["messages"]
        ours = [m for m in messages if m.get("aiMetadata")]
        assert len(ours) == 1
        assert ours[0]["status"] in ("SENT", "DELIVERED", "READ")
