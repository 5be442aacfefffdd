"""Regressions from the review of the messaging code: races, claims, unstorable values, late receipts."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import select

from evoai.db import system_session
from evoai.models import Message, PendingReceipt
from tests.conftest import Account
from tests.whatsapp.wa_helpers import make_instance, state_of, text_upsert


async def _messages(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    listing = (await client.get("/api/whatsapp/conversations", headers=account.headers)).json()["data"]
    url = f"/api/whatsapp/conversations/{listing['conversations'][0]['id']}/messages"
    messages: list[dict[str, Any]] = (await client.get(url, headers=account.headers)).json()["data"][
        "messages"
    ]
    return messages


async def test_a_receipt_racing_its_message_is_never_lost(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, text_upsert(gateway, message_id="IN0", number="5511987654321", text="oi"))
    for i in range(25):
        echo = text_upsert(
            gateway, message_id=f"RACE{i}", number="5511987654321", text=f"typed {i}", fromMe=True
        )
        echo["data"]["status"] = "SERVER_ACK"
        read = gateway.evolution("evolution_messages_update_read")
        read["data"]["keyId"] = f"RACE{i}"
        first, second = await asyncio.gather(gateway.post(client, echo), gateway.post(client, read))
        assert (first.status_code, second.status_code) == (200, 200)
    async with system_session(state_of(asgi_app).factory) as session:
        statuses = (
            await session.scalars(select(Message.status).where(Message.gateway_message_id.like("RACE%")))
        ).all()
        parked = (await session.scalars(select(PendingReceipt.gateway_message_id))).all()
    assert statuses == ["READ"] * 25
    assert parked == []


async def test_a_message_typed_on_the_phone_is_not_taken_for_our_pending_send(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, text_upsert(gateway, message_id="IN1", number="5511987654321", text="oi"))
    conversation_id = (await _messages(client, alice))[0]["conversationId"]
    ours = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": conversation_id, "text": "ok"}
    )
    typed = text_upsert(gateway, message_id="PHONE1", number="5511987654321", text="ok", fromMe=True)
    response = await gateway.post(client, typed)
    assert response.json()["reason"] == "message_created"
    by_id = {m["id"]: m for m in await _messages(client, alice)}
    assert by_id[ours.json()["data"]["id"]]["status"] == "PENDING"  # still ours to send
    assert by_id[ours.json()["data"]["id"]]["messageKeyId"] is None
    conversation = (
        await client.get(f"/api/whatsapp/conversations/{conversation_id}", headers=alice.headers)
    ).json()
    assert conversation["data"]["isPaused"] is True  # a person took over


async def test_values_too_long_or_without_identity_never_fail_a_delivery(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    long_name = text_upsert(gateway, message_id="LONG1", number="5511955550000", text="oi")
    long_name["data"]["pushName"] = "N" * 400
    stored = await gateway.post(client, long_name)
    assert stored.json()["reason"] == "message_created"
    document = gateway.evolution("evolution_messages_upsert_document")
    document["data"]["message"]["documentMessage"]["fileName"] = "f" * 400 + ".pdf"
    assert (await gateway.post(client, document)).status_code == 200
    bot = text_upsert(gateway, message_id="BOT1", number="0", text="oi")
    bot["data"]["key"].update(remoteJid="867051314767696@bot", remoteJidAlt="")
    answer = await gateway.post(client, bot)
    assert answer.status_code == 200
    assert answer.json()["processed"] is False


async def test_a_late_server_ack_does_not_revive_a_failed_message(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, gateway.evolution("evolution_send_message"))
    failed = gateway.evolution("evolution_messages_update_read")
    failed["data"]["status"] = "ERROR"
    await gateway.post(client, failed)
    late = gateway.evolution("evolution_messages_update_read")
    late["data"]["status"] = "SERVER_ACK"
    await gateway.post(client, late)
    [message] = await _messages(client, alice)
    assert message["status"] == "FAILED"
    read = gateway.evolution("evolution_messages_update_read")
    await gateway.post(client, read)
    [message] = await _messages(client, alice)
    assert message["status"] == "READ"  # a read receipt proves it went out after all


async def test_contact_syncs_refresh_known_contacts_and_create_none(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    stranger = gateway.evolution("evolution_contacts_upsert")
    assert (await gateway.post(client, stranger)).json()["reason"] == "contact_unknown"
    assert (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"][
        "conversations"
    ] == []
    first = text_upsert(gateway, message_id="SYNC1", number="5511987654321", text="oi", remoteJidAlt="")
    first["data"]["pushName"] = None
    await gateway.post(client, first)
    assert (await gateway.post(client, stranger)).json()["reason"] == "contact_refreshed"
    listing = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
    assert listing["conversations"][0]["contact"]["name"] == "Mariana Costa"
