"""Every trigger starts an execution (once per occurrence): NEW_CONTACT, MESSAGE_RECEIVED, KEYWORD,
TAG_ADDED, STAGE_CHANGED, SCHEDULE, WEBHOOK."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from evoai.db import system_session
from evoai.flows import alarms
from evoai.flows.triggers import keyword_matches
from tests.flows.helpers import chain, create_flow, executions, node, run
from tests.followups.helpers import Clock, open_shop
from tests.whatsapp.wa_helpers import state_of

SAY = node("say", "SEND_MESSAGE", message="Olá {{contact.firstName}} ({{trigger.order}})")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


async def test_new_contact_from_whatsapp_and_by_hand(asgi_app: Any, client: httpx.AsyncClient) -> None:
    shop = await open_shop(asgi_app, client)
    flow = await create_flow(shop, [node("t", "NEW_CONTACT"), SAY], chain(("t", "say")))
    await shop.customer_says("Olá")
    await shop.customer_says("Tudo bem?")  # the same contact: not new any more
    [first] = await executions(shop, flow["id"])
    assert first.contact_id == (await shop.contact()).id
    assert first.variables["trigger"]["source"] == "whatsapp"
    created = await client.post(
        "/api/contacts", headers=shop.headers, json={"phoneNumber": "5511955554444", "name": "João"}
    )
    assert created.status_code == 201, created.text
    rows = await executions(shop, flow["id"])
    assert len(rows) == 2
    assert rows[1].variables["trigger"]["source"] == "manual"


async def test_message_received_and_keyword(asgi_app: Any, client: httpx.AsyncClient) -> None:
    shop = await open_shop(asgi_app, client)
    anything = await create_flow(shop, [node("t", "MESSAGE_RECEIVED")], [])
    keyword = await create_flow(
        shop,
        [node("t", "KEYWORD", keywords=["preço", "quanto custa"], match="contains"), SAY],
        chain(("t", "say")),
    )
    exact = await create_flow(shop, [node("t", "KEYWORD", keywords=["menu"], match="exact")], [])
    await shop.customer_says("Oi")
    await shop.customer_says("Qual o PREÇO do plano?")
    await shop.customer_says("menu")
    # A trigger node alone: the execution completes at once.
    assert [r.status for r in await executions(shop, anything["id"])] == ["COMPLETED"] * 3
    [priced] = await executions(shop, keyword["id"])
    assert priced.variables["trigger"]["keyword"] == "preço"
    assert priced.variables["message"]["text"] == "Qual o PREÇO do plano?"
    assert len(await executions(shop, exact["id"])) == 1
    await run(shop, priced.id)
    assert await shop.bot_texts() == ["Olá Maria ()"]


async def test_tag_added_and_stage_changed(asgi_app: Any, client: httpx.AsyncClient) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.customer_says("Olá")
    contact = await shop.contact()
    tags = [
        (await client.post("/api/contacts/tags", headers=shop.headers, json={"name": n})).json()["data"]
        for n in ("Quente", "Frio")
    ]
    stages = (await client.get("/api/funnels", headers=shop.headers)).json()["data"][0]["stages"]
    on_tag = await create_flow(shop, [node("t", "TAG_ADDED", tagId=tags[0]["id"])], [])
    on_stage = await create_flow(shop, [node("t", "STAGE_CHANGED", stageId=stages[1]["id"])], [])
    for tag in tags:
        response = await client.post(f"/api/contacts/{contact.id}/tags/{tag['id']}", headers=shop.headers)
        assert response.status_code in (200, 201), response.text
    [tagged] = await executions(shop, on_tag["id"])
    assert tagged.variables["trigger"]["tagId"] == tags[0]["id"]
    for stage in (stages[0], stages[1]):
        moved = await client.post(
            "/api/funnels/move-to-stage",
            headers=shop.headers,
            json={"contactId": str(contact.id), "stageId": stage["id"]},
        )
        assert moved.status_code == 200, moved.text
    [staged] = await executions(shop, on_stage["id"])
    assert staged.variables["trigger"]["toStageId"] == stages[1]["id"]


async def test_schedule_runs_once_per_matching_minute_for_the_filtered_contacts(
    asgi_app: Any, client: httpx.AsyncClient, clock: Clock
) -> None:
    shop = await open_shop(asgi_app, client)
    zone = ZoneInfo("America/Sao_Paulo")
    clock.set(datetime(2026, 12, 1, 8, 59, 10, tzinfo=zone))
    await shop.customer_says("Olá")
    contact = await shop.contact()
    await client.post("/api/contacts", headers=shop.headers, json={"phoneNumber": "5511955554444"})
    tag = (await client.post("/api/contacts/tags", headers=shop.headers, json={"name": "VIP"})).json()["data"]
    await client.post(f"/api/contacts/{contact.id}/tags/{tag['id']}", headers=shop.headers)
    flow = await create_flow(
        shop,
        [
            node(
                "t",
                "SCHEDULE",
                schedule="0 9 * * *",
                timezone="America/Sao_Paulo",
                filter={"tagIds": [tag["id"]]},
            )
        ],
        [],
    )
    factory = state_of(asgi_app).factory

    async def tick() -> int:
        async with system_session(factory) as session:
            return await alarms.run_schedules(session)

    assert await tick() == 0  # 08:59
    clock.set(datetime(2026, 12, 1, 9, 0, 20, tzinfo=zone))
    assert await tick() == 1
    clock.advance(seconds=30)
    assert await tick() == 0  # the same minute runs once
    [row] = await executions(shop, flow["id"])
    assert row.contact_id == contact.id
    assert row.variables["trigger"]["scheduledFor"].startswith("2026-12-01T09:00:00")
    assert alarms.latest_run(
        "*/15 * * * *", "UTC", datetime(2026, 12, 1, 9, 16, 59, tzinfo=ZoneInfo("UTC"))
    ) == (datetime(2026, 12, 1, 9, 15, tzinfo=ZoneInfo("UTC")))


async def test_webhook_trigger(asgi_app: Any, client: httpx.AsyncClient) -> None:
    shop = await open_shop(asgi_app, client)
    await shop.customer_says("Olá")
    contact = await shop.contact()
    flow = await create_flow(shop, [node("t", "WEBHOOK"), SAY], chain(("t", "say")))
    url = flow["webhookUrl"]
    assert url.startswith(f"/api/flows/webhook/{flow['id']}/")
    wrong = await client.post(f"/api/flows/webhook/{flow['id']}/not-the-secret", json={"phone": "x"})
    assert wrong.status_code == 404
    assert (
        await client.post(f"/api/flows/webhook/nonsense/{url.rsplit('/', 1)[1]}", json={})
    ).status_code == 404
    nobody = await client.post(url, json={"phone": "+55 11 90000-0000"})
    assert nobody.status_code == 422
    huge = await client.post(url, content=b'{"a": "' + b"x" * 70_000 + b'"}')
    assert huge.status_code == 413
    started = await client.post(url, json={"phone": "+55 (11) 97777-6666", "order": 123})
    assert started.status_code == 202, started.text
    [row] = await executions(shop, flow["id"])
    assert started.json()["data"]["executionId"] == str(row.id)
    assert row.contact_id == contact.id
    await run(shop, row.id)
    assert await shop.bot_texts() == ["Olá Maria (123)"]
    by_id = await client.post(url, json={"contactId": str(contact.id)}, headers={"Idempotency-Key": "k1"})
    assert by_id.status_code == 202
    again = await client.post(url, json={"contactId": str(contact.id)}, headers={"Idempotency-Key": "k1"})
    assert again.status_code == 409
    await client.post(f"/api/flows/{flow['id']}/toggle", headers=shop.headers, json={"isActive": False})
    assert (await client.post(url, json={"contactId": str(contact.id)})).status_code == 404


def test_keywords_ignore_case_accents_and_spacing() -> None:
    contains = {"keywords": ["catálogo"], "match": "contains"}
    assert keyword_matches(contains, "me manda o CATALOGO?") == "catálogo"
    assert keyword_matches({"keywords": ["catalogo"]}, "o catálogo, por favor") == "catalogo"
    exact = {"keywords": ["quanto custa"], "match": "exact"}
    assert keyword_matches(exact, "  Quanto   CUSTA ") == "quanto custa"
    assert keyword_matches({"keywords": ["menu"], "match": "exact"}, "menu principal") is None
    assert keyword_matches(contains, "catalogar") is None
