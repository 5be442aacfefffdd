"""CALL_WEBHOOK: our own network is refused (whatever the URL spells), redirects are not followed,
and with FLOW_WEBHOOK_ALLOW_PRIVATE a local service is called with the rendered body and an
Idempotency-Key."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from evoai.config import Settings
from evoai.flows import webhook_call
from evoai.flows.webhook_call import Refused
from evoai.worker.context import JobContext
from tests.flows.helpers import chain, create_flow, executions, node, run
from tests.followups.helpers import open_shop
from tests.whatsapp.wa_helpers import state_of

INTERNAL = [
    "http://127.0.0.1/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/hook",
    "http://localhost:8080/hook",
    "http://2130706433/hook",
    "http://0x7f000001/hook",
    "http://[::ffff:169.254.169.254]/",
]


@pytest.mark.parametrize("url", INTERNAL)
async def test_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(Refused):
        await webhook_call.resolve(url, allow_private=False)


async def test_with_private_allowed_loopback_passes_but_metadata_never() -> None:
    assert await webhook_call.resolve("http://127.0.0.1:9/x", allow_private=True) == "127.0.0.1"
    with pytest.raises(Refused):
        await webhook_call.resolve("http://169.254.169.254/", allow_private=True)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append({"headers": dict(request.headers), "body": await request.json(), "path": request.path})
        if request.path == "/redirect":
            raise web.HTTPFound("http://example.com/")
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


def flow_nodes(url: str, *, error_branch: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        node("t", "MESSAGE_RECEIVED"),
        node(
            "hook",
            "CALL_WEBHOOK",
            url=url,
            method="POST",
            headers={"X-Token": "abc"},
            body={"name": "{{contact.name}}", "said": "{{message.text}}"},
            timeoutSeconds=5,
        ),
        node("ok", "SEND_MESSAGE", message="Cadastro feito"),
    ]
    links: list[tuple[str, str] | tuple[str, str, str]] = [("t", "hook"), ("hook", "ok")]
    if error_branch:
        nodes.append(node("bad", "SEND_MESSAGE", message="Falhou"))
        links.append(("hook", "bad", "error"))
    return nodes, chain(*links)


async def test_the_call_is_refused_by_default_and_allowed_with_the_setting(
    asgi_app: Any,
    client: httpx.AsyncClient,
    settings: Settings,
    receiver: tuple[str, list[dict[str, Any]]],
) -> None:
    base, seen = receiver
    shop = await open_shop(asgi_app, client)
    nodes, links = flow_nodes(f"{base}/hook", error_branch=True)
    flow = await create_flow(shop, nodes, links)
    await shop.customer_says("Olá")
    [refused] = await executions(shop, flow["id"])
    done = await run(shop, refused.id)
    assert done.status == "COMPLETED"
    assert [(s["nodeId"], s["result"], s["handle"]) for s in done.path][1:] == [
        ("hook", "failed", "error"),
        ("bad", "success", "output"),
    ]
    assert "rede interna" in done.path[1]["detail"]["error"]
    assert seen == []

    state = state_of(asgi_app)
    allowed = JobContext(
        settings.model_copy(update={"FLOW_WEBHOOK_ALLOW_PRIVATE": True}), state.factory, state.relay
    )
    await shop.customer_says("Quero me cadastrar")
    second = (await executions(shop, flow["id"]))[1]
    done = await run(shop, second.id, ctx=allowed)
    assert done.status == "COMPLETED"
    assert done.path[1]["detail"] == {"status": 200}
    assert done.path[-1]["nodeId"] == "ok"
    [call] = seen
    assert call["body"] == {"name": "Maria Souza", "said": "Quero me cadastrar"}
    assert call["headers"]["X-Token"] == "abc"
    assert call["headers"]["Idempotency-Key"] == f"{second.id}-{second.step}"
    assert done.variables["webhook"] == {"status": 200, "body": {"ok": True}}


async def test_no_redirects_and_no_error_branch_means_failed(
    asgi_app: Any,
    client: httpx.AsyncClient,
    settings: Settings,
    receiver: tuple[str, list[dict[str, Any]]],
) -> None:
    base, seen = receiver
    shop = await open_shop(asgi_app, client)
    nodes, links = flow_nodes(f"{base}/redirect", error_branch=False)
    flow = await create_flow(shop, nodes, links)
    state = state_of(asgi_app)
    allowed = JobContext(
        settings.model_copy(update={"FLOW_WEBHOOK_ALLOW_PRIVATE": True}), state.factory, state.relay
    )
    await shop.customer_says("Olá")
    [row] = await executions(shop, flow["id"])
    with pytest.raises(RuntimeError, match="HTTP 302"):  # the last attempt: failed, and to the dead letters
        await run(shop, row.id, ctx=allowed)
    [failed] = await executions(shop, flow["id"])
    assert failed.status == "FAILED"
    assert failed.error == "O webhook respondeu HTTP 302"
    assert len(seen) == 1  # example.com was not followed to
    assert await shop.bot_texts() == []
    assert json.dumps(failed.path)
