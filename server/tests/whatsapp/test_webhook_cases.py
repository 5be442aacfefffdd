"""Every captured case of the brief's §5 (and UAZAPI's) through the real webhook, API and storage."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import Account
from tests.whatsapp.wa_helpers import FIXTURES, Gateway, fixture, make_instance, text_upsert

MESSAGE_CASES = {
    # fixture -> (kind, text or None, fromMe)
    "evolution_messages_upsert_text": ("text", "Oi! Vocês ainda têm o modelo azul em estoque?", False),
    "evolution_messages_upsert_image": ("image", "Foto da etiqueta do produto", False),
    "evolution_messages_upsert_video": ("video", None, False),
    "evolution_messages_upsert_ptv": ("video", None, False),
    "evolution_messages_upsert_audio": ("audio", None, False),
    "evolution_messages_upsert_ptt": ("ptt", None, False),
    "evolution_messages_upsert_document": ("document", None, False),
    "evolution_messages_upsert_document_caption": ("document", None, False),
    "evolution_messages_upsert_sticker": ("sticker", None, False),
    "evolution_messages_upsert_location": ("location", None, False),
    "evolution_messages_upsert_contact": ("contact", None, False),
    "evolution_messages_upsert_reply": ("text", None, False),
    "evolution_messages_upsert_lid_only": ("text", None, False),
    "evolution_messages_upsert_group": ("text", None, False),
    "evolution_messages_upsert_fromme": ("text", "Temos sim! Te mando as fotos.", True),
    "uazapi_messages_text": ("text", "Oi! Vocês ainda têm o modelo azul em estoque?", False),
    "uazapi_messages_image": ("image", None, False),
    "uazapi_messages_ptt": ("ptt", None, False),
    "uazapi_messages_document": ("document", None, False),
    "uazapi_messages_location": ("location", None, False),
    "uazapi_messages_group": ("text", None, False),
    "uazapi_messages_lid_chat": ("text", None, False),
}


async def _post(client: httpx.AsyncClient, gateway: Gateway, name: str) -> httpx.Response:
    body = fixture(name)
    if name.startswith("evolution"):
        body["instance"] = gateway.name
    return await client.post(gateway.url, json=body, headers={"X-Webhook-Token": gateway.secret})


async def _all_messages(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    listing = await client.get("/api/whatsapp/conversations", headers=account.headers, params={"limit": 100})
    messages: list[dict[str, Any]] = []
    for conversation in listing.json()["data"]["conversations"]:
        page = await client.get(
            f"/api/whatsapp/conversations/{conversation['id']}/messages", headers=account.headers
        )
        messages.extend(page.json()["data"]["messages"])
    return messages


@pytest.mark.parametrize("name", sorted(MESSAGE_CASES))
async def test_each_message_case_is_stored_with_its_kind(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, name: str
) -> None:
    provider = "UAZAPI" if name.startswith("uazapi") else "EVOLUTION"
    gateway = await make_instance(asgi_app, alice.company_id, provider=provider)
    response = await _post(client, gateway, name)
    assert response.status_code == 200, response.text
    assert response.json()["reason"] == "message_created"
    [message] = await _all_messages(client, alice)
    kind, text, from_me = MESSAGE_CASES[name]
    assert message["kind"] == kind
    assert message["fromMe"] is from_me
    if text is not None:
        assert message["messageText"] == text
    if kind in ("image", "video", "audio", "ptt", "document", "sticker"):
        assert message["media"]["state"] in ("stored", "pending", "rejected")
    if kind == "location":
        assert isinstance(message["location"]["latitude"], float)


async def test_inline_media_is_stored_and_served_by_a_signed_url(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    assert (await _post(client, gateway, "evolution_messages_upsert_image")).status_code == 200
    [message] = await _all_messages(client, alice)
    media = message["media"]
    assert media["state"] == "stored", message
    served = await client.get(media["url"])
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/")
    tampered = await client.get(media["url"].replace("sig=", "sig=0"))
    assert tampered.status_code == 403


async def test_reactions_and_deletions_apply_to_their_message(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await _post(client, gateway, "evolution_send_message")
    reacted = await _post(client, gateway, "evolution_messages_upsert_reaction")
    assert reacted.json()["reason"] == "reaction_saved"
    [message] = await _all_messages(client, alice)
    assert message["reactions"] == [{"emoji": "👍", "fromMe": False}]
    await _post(client, gateway, "evolution_messages_upsert_reaction_removed")
    [message] = await _all_messages(client, alice)
    assert message["reactions"] == []

    deleted = fixture("evolution_messages_delete")
    deleted["instance"] = gateway.name
    target = deleted["data"]["id"]
    customer = gateway.evolution("evolution_messages_upsert_text")
    customer["data"]["key"]["id"] = target  # the message the customer then deletes for everyone
    await gateway.post(client, customer)
    await client.post(gateway.url, json=deleted, headers={"X-Webhook-Token": gateway.secret})
    by_key = {m["messageKeyId"]: m for m in await _all_messages(client, alice)}
    assert by_key[target]["deleted"] is True
    assert by_key[target]["messageText"] is None


async def test_every_fixture_is_acknowledged(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateways = {
        p: await make_instance(asgi_app, alice.company_id, provider=p) for p in ("EVOLUTION", "UAZAPI")
    }
    for path in sorted(FIXTURES.glob("*.json")):
        if "response" in path.stem:
            continue  # gateway API answers, not webhooks
        provider = "UAZAPI" if path.stem.startswith("uazapi") else "EVOLUTION"
        response = await _post(client, gateways[provider], path.stem)
        assert response.status_code == 200, (path.stem, response.text)


async def test_a_nul_is_dropped_whatever_the_bodys_encoding(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    """JSON may come as UTF-16 or UTF-32, where the \\u0000 escape is not the ASCII bytes the webhook's
    fast path looks for; PostgreSQL cannot store a NUL, so it must still be dropped, not refused."""
    gateway = await make_instance(asgi_app, alice.company_id)
    for n, encoding in enumerate(("utf-8", "utf-16", "utf-32")):
        body = text_upsert(gateway, message_id=f"NUL{n}", number="5511912345678", text="a\x00b")
        response = await client.post(
            gateway.url,
            content=json.dumps(body).encode(encoding),
            headers={"X-Webhook-Token": gateway.secret, "Content-Type": "application/json"},
        )
        assert response.status_code == 200, (encoding, response.text)
        assert response.json()["reason"] == "message_created"
    texts = {m["messageKeyId"]: m["messageText"] for m in await _all_messages(client, alice)}
    assert texts == {"NUL0": "ab", "NUL1": "ab", "NUL2": "ab"}


async def test_a_lone_surrogate_is_replaced_not_refused(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    """JSON may escape half of a UTF-16 pair on its own (a buggy client); UTF-8 cannot encode it, so
    PostgreSQL would refuse the message forever. It is stored with U+FFFD instead; a proper escaped
    pair (an emoji, as ASCII-only JSON writes it) is stored as the character."""
    gateway = await make_instance(asgi_app, alice.company_id)
    sent = {"SUR1": "a\\ud800b", "SUR2": "oi \\ud83d\\ude00", "SUR3": "fim \\uDC00"}
    for message_id, escaped in sent.items():
        body = json.dumps(text_upsert(gateway, message_id=message_id, number="5511912345678", text="@"))
        response = await client.post(
            gateway.url,
            content=body.replace('"@"', f'"{escaped}"').encode(),
            headers={"X-Webhook-Token": gateway.secret, "Content-Type": "application/json"},
        )
        assert response.status_code == 200, (message_id, response.text)
        assert response.json()["reason"] == "message_created"
    texts = {m["messageKeyId"]: m["messageText"] for m in await _all_messages(client, alice)}
    assert texts == {"SUR1": "a\ufffdb", "SUR2": "oi \U0001f600", "SUR3": "fim \ufffd"}
