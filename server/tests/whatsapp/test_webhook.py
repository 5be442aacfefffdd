"""The webhook through the real API and PostgreSQL: authentication, idempotency, order, identity."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from typing import Any

import httpx

from tests.conftest import Account
from tests.whatsapp.wa_helpers import make_instance, text_upsert


async def _conversations(client: httpx.AsyncClient, account: Account, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/whatsapp/conversations", headers=account.headers, params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def _messages(
    client: httpx.AsyncClient, account: Account, conversation_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/api/whatsapp/conversations/{conversation_id}/messages", headers=account.headers
    )
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["data"]["messages"]
    return messages


async def test_text_message_is_stored_once_and_listed(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    body = gateway.evolution("evolution_messages_upsert_text")
    first = await gateway.post(client, body)
    assert first.status_code == 200, first.text
    assert first.json() == {"success": True, "processed": True, "reason": "message_created"}
    again = await gateway.post(client, body)
    assert again.json()["reason"] == "duplicate"

    data = await _conversations(client, alice)
    [conversation] = data["conversations"]
    assert conversation["contactNumber"] == "5511987654321"
    assert conversation["contactName"] == "Mariana Costa"
    assert conversation["unreadCount"] == 1
    assert data["unreadTotal"] == 1
    assert conversation["lastMessage"]["messageText"] == "Oi! Vocês ainda têm o modelo azul em estoque?"
    [message] = await _messages(client, alice, conversation["id"])
    assert message["messageType"] == "RECEIVED"
    assert message["messageKeyId"] == "4E9B61138C7160307450FAB1EE85B0C6"
    assert message["status"] == "RECEIVED"


async def test_authentication_is_required(client: httpx.AsyncClient, alice: Account, asgi_app: Any) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    body = gateway.evolution("evolution_messages_upsert_text")
    raw = json.dumps(body).encode()
    assert (await client.post(gateway.url, json=body)).status_code == 401
    wrong = await client.post(gateway.url, json=body, headers={"X-Webhook-Token": "nope"})
    assert wrong.status_code == 401
    bad_signature = await client.post(
        gateway.url,
        content=raw,
        headers={"X-Webhook-Signature": "sha256=00", "Content-Type": "application/json"},
    )
    assert bad_signature.status_code == 401
    assert (await _conversations(client, alice))["conversations"] == []

    secret = asgi_app.other_asgi_app.state.evoai.settings.WEBHOOK_SECRET
    signature = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    signed = await client.post(
        gateway.url,
        content=raw,
        headers={"X-Webhook-Signature": f"sha256={signature}", "Content-Type": "application/json"},
    )
    assert signed.status_code == 200, signed.text
    by_query = await client.post(f"{gateway.url}?token={gateway.secret}", json=body)
    assert by_query.json()["reason"] == "duplicate"
    unknown = await client.post("/api/whatsapp/webhook/nobody", json=body, headers={"X-Webhook-Token": "x"})
    assert unknown.status_code == 404


async def test_malformed_and_unknown_bodies(client: httpx.AsyncClient, alice: Account, asgi_app: Any) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    not_json = await client.post(
        gateway.url,
        content=b"{oops",
        headers={"X-Webhook-Token": gateway.secret, "Content-Type": "application/json"},
    )
    assert not_json.status_code == 400
    body = gateway.evolution("evolution_messages_upsert_text")
    del body["data"]["key"]["id"]
    missing = await gateway.post(client, body)
    assert missing.status_code == 400
    assert "id" in missing.json()["error"]
    unknown = await gateway.post(client, {"event": "labels.edit", "instance": gateway.name, "data": {}})
    assert unknown.status_code == 200
    assert unknown.json()["processed"] is False


async def test_by_events_suffix_is_accepted(client: httpx.AsyncClient, alice: Account, asgi_app: Any) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    body = gateway.evolution("evolution_messages_upsert_text")
    response = await client.post(
        f"{gateway.url}/messages-upsert", json=body, headers={"X-Webhook-Token": gateway.secret}
    )
    assert response.json()["reason"] == "message_created"


async def test_receipts_never_go_backwards_and_may_come_first(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    read = gateway.evolution("evolution_messages_update_read")
    # READ arrives before the message it is about: parked, then applied.
    assert (await gateway.post(client, read)).status_code == 200
    sent = gateway.evolution("evolution_send_message")
    assert (await gateway.post(client, sent)).json()["reason"] == "message_created"
    [conversation] = (await _conversations(client, alice))["conversations"]
    [message] = await _messages(client, alice, conversation["id"])
    assert message["status"] == "READ"
    delivered = gateway.evolution("evolution_messages_update_read")
    delivered["data"]["status"] = "DELIVERY_ACK"
    await gateway.post(client, delivered)
    [message] = await _messages(client, alice, conversation["id"])
    assert message["status"] == "READ"
    assert message["replyTo"]["messageKeyId"] == "2FC21A05E3056F7FBDA03AFED8E63B43"


async def test_message_typed_on_the_phone_pauses_the_ai(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
    [before] = (await _conversations(client, alice))["conversations"]
    assert before["isPaused"] is False
    response = await gateway.post(client, gateway.evolution("evolution_messages_upsert_fromme"))
    assert response.json()["reason"] == "message_created"
    [after] = (await _conversations(client, alice))["conversations"]
    assert after["isPaused"] is True
    assert after["unreadCount"] == 1  # our own message does not count as unread


async def test_ninth_digit_variants_are_one_person(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    without_nine = text_upsert(gateway, message_id="A1", number="553188776655", text="oi", remoteJidAlt="")
    with_nine = text_upsert(
        gateway, message_id="A2", number="5531988776655", text="oi de novo", remoteJidAlt=""
    )
    assert (await gateway.post(client, without_nine)).json()["reason"] == "message_created"
    assert (await gateway.post(client, with_nine)).json()["reason"] == "message_created"
    data = await _conversations(client, alice)
    assert len(data["conversations"]) == 1
    assert data["conversations"][0]["unreadCount"] == 2


async def test_concurrent_first_messages_make_one_contact(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    bodies = [
        text_upsert(gateway, message_id=f"BURST{i:03}", number="5511955554444", text=f"m{i}")
        for i in range(100)
    ]
    responses = await asyncio.gather(*(gateway.post(client, body) for body in bodies))
    assert [r.status_code for r in responses] == [200] * 100
    data = await _conversations(client, alice)
    assert len(data["conversations"]) == 1
    assert data["conversations"][0]["unreadCount"] == 100
    usage = (await client.get("/api/company/usage", headers=alice.headers)).json()["data"]
    assert usage["usage"]["contacts"] == 1
    assert usage["usage"]["messagesThisMonth"] == 100


async def test_other_companies_cannot_see_the_conversation(
    client: httpx.AsyncClient, alice: Account, bob: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
    [conversation] = (await _conversations(client, alice))["conversations"]
    assert (await _conversations(client, bob))["conversations"] == []
    for path in ("", "/messages"):
        response = await client.get(
            f"/api/whatsapp/conversations/{conversation['id']}{path}", headers=bob.headers
        )
        assert response.status_code == 404
    assert (
        await client.post(f"/api/whatsapp/conversations/{conversation['id']}/read", headers=bob.headers)
    ).status_code == 404


async def test_connection_and_qr_events_update_the_instance(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id, status="close")
    await gateway.post(client, gateway.evolution("evolution_qrcode_updated"))
    instance = (
        await client.get(f"/api/whatsapp/instances/{gateway.instance_id}", headers=alice.headers)
    ).json()
    assert instance["data"]["connectionStatus"] == "qrcode"
    assert instance["data"]["qrCode"].startswith("data:image/png;base64,")
    await gateway.post(client, gateway.evolution("evolution_connection_update_open"))
    instance = (
        await client.get(f"/api/whatsapp/instances/{gateway.instance_id}", headers=alice.headers)
    ).json()
    assert instance["data"]["connectionStatus"] == "open"
    assert instance["data"]["phoneNumber"] == "5511940028922"
    assert instance["data"]["qrCode"] is None
    assert instance["data"]["webhook"]["secret"] == gateway.secret
