"""SEND_MEDIA downloads the file (with CALL_WEBHOOK's address checks), stores it and sends it as a
WhatsApp file; an internal address is refused unless the setting allows it."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlalchemy import select

from evoai.config import Settings
from evoai.db import system_session
from evoai.models import Message
from evoai.storage.factory import get_storage
from evoai.worker.context import JobContext
from tests.flows.helpers import chain, create_flow, executions, node, run
from tests.followups.helpers import open_shop
from tests.whatsapp.wa_helpers import state_of

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
async def files() -> AsyncIterator[str]:
    async def serve(request: web.Request) -> web.Response:
        if request.path == "/big.png":
            return web.Response(body=PNG * 5000, content_type="image/png")
        return web.Response(body=PNG, content_type="image/png")

    app = web.Application()
    app.router.add_get("/{name}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_the_file_is_downloaded_stored_and_sent_and_internal_urls_need_the_setting(
    asgi_app: Any, client: httpx.AsyncClient, settings: Settings, files: str
) -> None:
    shop = await open_shop(asgi_app, client)
    nodes = [
        node("t", "MESSAGE_RECEIVED"),
        node(
            "pic",
            "SEND_MEDIA",
            mediaUrl=f"{files}/catalogo.png",
            mediaType="image",
            caption="Oi {{contact.firstName}}!",
        ),
    ]
    flow = await create_flow(shop, nodes, chain(("t", "pic")))
    await shop.customer_says("Manda o catálogo")
    [refused] = await executions(shop, flow["id"])
    done = await run(shop, refused.id)
    assert done.status == "FAILED"
    assert "rede interna" in (done.error or "")
    state = state_of(asgi_app)
    allowed = JobContext(
        settings.model_copy(update={"FLOW_WEBHOOK_ALLOW_PRIVATE": True}), state.factory, state.relay
    )
    await shop.customer_says("De novo, por favor")
    second = (await executions(shop, flow["id"]))[1]
    done = await run(shop, second.id, ctx=allowed)
    assert done.status == "COMPLETED", done.error
    async with system_session(state.factory) as session:
        [message] = (await session.scalars(select(Message).where(Message.is_bot))).all()
    assert (message.kind, message.text, message.media_mime, message.media_state) == (
        "image",
        "Oi Maria!",
        "image/png",
        "stored",
    )
    assert message.media_file_name == "catalogo.png"
    assert message.media_key is not None
    assert await get_storage(settings).get(message.media_key) == PNG


async def test_a_file_over_the_limit_fails_the_execution_without_sending(
    asgi_app: Any, client: httpx.AsyncClient, settings: Settings, files: str
) -> None:
    shop = await open_shop(asgi_app, client)
    nodes = [
        node("t", "MESSAGE_RECEIVED"),
        node("pic", "SEND_MEDIA", mediaUrl=f"{files}/big.png", mediaType="image"),
    ]
    flow = await create_flow(shop, nodes, chain(("t", "pic")))
    state = state_of(asgi_app)
    small = settings.model_copy(update={"FLOW_WEBHOOK_ALLOW_PRIVATE": True, "MEDIA_MAX_BYTES": 10_000})
    await shop.customer_says("Manda")
    [row] = await executions(shop, flow["id"])
    done = await run(shop, row.id, ctx=JobContext(small, state.factory, state.relay))
    assert done.status == "FAILED"
    assert "MB" in (done.error or "")
    assert await shop.bot_texts() == []
