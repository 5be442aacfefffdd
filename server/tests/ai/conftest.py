"""The scripted OpenAI-compatible model on a real port, an API configured to use it, and workers."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from evoai.ai import llm
from evoai.app import create_app
from evoai.config import Settings
from evoai.db import system_session
from evoai.models import Message, Tag, WhatsAppInstance
from evoai.ops.embedded import free_port
from evoai.sandbox.model import create_model_app
from evoai.worker import queues
from evoai.worker.run import run_workers
from tests.conftest import Services, make_settings
from tests.whatsapp.wa_helpers import Gateway, make_instance, state_of, text_upsert


@dataclass
class Model:
    url: str
    app: Any

    @property
    def state(self) -> Any:
        return self.app.state.model

    def script(self, *steps: dict[str, Any]) -> None:
        self.state.script.extend(steps)

    def chats(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.state.requests if r["path"] == "chat"]


@pytest.fixture(scope="session")
def model_server() -> Iterator[Model]:
    app = create_model_app()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the model server did not start"
        assert thread.is_alive()
        time.sleep(0.02)
    yield Model(f"http://127.0.0.1:{port}", app)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def model(model_server: Model) -> Iterator[Model]:
    model_server.state.script.clear()
    model_server.state.requests.clear()
    llm.reset_breakers()
    yield model_server
    llm.reset_breakers()


def ai_settings(services: Services, model: Model, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "OPENAI_BASE_URL": model.url,
        "OPENAI_API_KEY": "sk-test-platform",
        "AI_TIMEOUT_SECONDS": 2.0,
        "AI_MAX_RETRIES": 0,
        "AI_TYPING_MS_PER_CHAR": 0,
    }
    values.update(overrides)
    return make_settings(services, **values)


@asynccontextmanager
async def ai_api(settings: Settings) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=20) as client:
            yield app, client
    finally:
        state = app.other_asgi_app.state.evoai
        await state.relay.close()
        await state.redis.aclose()
        await state.engine.dispose()


@asynccontextmanager
async def workers(settings: Settings) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_workers(settings, [queues.MESSAGE], stop=stop, grace_seconds=3))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


async def ai_instance(
    app: Any, company_id: str, *, level: int = 0, quiet: int = 0, fallback: str | None = None
) -> Gateway:
    gateway = await make_instance(app, company_id)
    async with system_session(state_of(app).factory) as session:
        instance = await session.get(WhatsAppInstance, gateway.instance_id)
        assert instance is not None
        instance.ai_enabled, instance.ai_autonomy, instance.ai_quiet_seconds = True, level, quiet
        instance.ai_fallback_reply = fallback
    return gateway


async def customer_says(
    client: httpx.AsyncClient,
    gateway: Gateway,
    text: str,
    number: str = "5511988887777",
    *,
    at: int | None = None,
) -> str:
    message_id = f"CUST{uuid.uuid4().hex[:16].upper()}"
    body = text_upsert(gateway, message_id=message_id, number=number, text=text)
    # WhatsApp's stamp: whole seconds (the fixture's is from its capture).
    body["data"]["messageTimestamp"] = int(time.time()) if at is None else at
    response = await gateway.post(client, body)
    assert response.status_code == 200, response.text
    return message_id


async def bot_messages(app: Any, company_id: str) -> list[Message]:
    from sqlalchemy import select

    async with system_session(state_of(app).factory, company_id=uuid.UUID(company_id)) as session:
        rows = await session.scalars(
            select(Message).where(Message.is_bot, Message.direction == "SENT").order_by(Message.public_id)
        )
        return list(rows.all())


async def ai_tag(app: Any, company_id: str, name: str, *, ai_managed: bool = True) -> uuid.UUID:
    tag_id = uuid.uuid4()
    async with system_session(state_of(app).factory) as session:
        session.add(Tag(id=tag_id, company_id=uuid.UUID(company_id), name=name, is_ai_managed=ai_managed))
    return tag_id


async def settle(check: Any, within: float = 10.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.1)
