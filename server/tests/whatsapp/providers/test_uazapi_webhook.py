"""UAZAPI webhook bodies (tests/fixtures/whatsapp/uazapi_*.json) → normalised events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from evoai.whatsapp.providers import parse_webhook
from evoai.whatsapp.providers.base import (
    ConnectionUpdate,
    ContactSeen,
    Ignored,
    InboundMessage,
    Location,
    MalformedPayload,
    QrUpdated,
    StatusUpdate,
)
from tests.whatsapp.providers.support import fixture_names, load

TOKEN = "cf9e2a4b-7d31-4c58-9e6a-2b0d8f1c3a77"
MARIANA = {"phone": "5511987654321", "lid": "198765432109876@lid", "chat_jid": "5511987654321@s.whatsapp.net"}

MESSAGES: dict[str, dict[str, Any]] = {
    "uazapi_messages_text.json": {
        **MARIANA,
        "message_id": "AC429C9CDF29E4C66D35EB8F8546C675",
        "kind": "text",
        "from_me": False,
        "sent_by_api": False,
        "text": "Oi! Vocês ainda têm o modelo azul em estoque?",
        "push_name": "Mariana Costa",
        "reply_to_id": None,
        "status": "RECEIVED",
        "is_group": False,
        "group_name": None,
        "timestamp": datetime(2025, 12, 10, 14, 32, 5, tzinfo=UTC),
    },
    "uazapi_messages_image.json": {
        **MARIANA,
        "message_id": "0FB49782CD59907ED95985BE2E62C5D8",
        "kind": "image",
        "text": "Foto da etiqueta do produto",
        "media.mimetype": "image/jpeg",
        "media.size": 184233,
        "media.url": None,
    },
    "uazapi_messages_ptt.json": {
        "kind": "ptt",
        "text": None,
        "media.seconds": 7,
        "media.mimetype": "audio/ogg; codecs=opus",
    },
    "uazapi_messages_document.json": {
        "kind": "document",
        "media.file_name": "catalogo-2026.pdf",
        "media.size": 482113,
        "media.url": "https://exemplo.uazapi.com/files/9A7C3E5F1B6D8C0E2F4A5B6C7D8E9F0A.pdf",
    },
    "uazapi_messages_reply.json": {
        "kind": "text",
        "text": "Pode ser amanhã às 10h?",
        "reply_to_id": "3EB069553F08B90F12A8C8",
        "reply_to_text": "Temos sim, nas cores azul e preta.",
    },
    "uazapi_messages_reaction.json": {
        "kind": "reaction",
        "text": None,
        "reaction_target_id": "3EB0B6E46529EAFAC45A16",
        "reaction_emoji": "👍",
    },
    "uazapi_messages_fromme_api.json": {
        # On fromMe messages sender_pn/sender_lid are the owner: the contact comes from the chat.
        **MARIANA,
        "message_id": "3EB0B6E46529EAFAC45A16",
        "from_me": True,
        "sent_by_api": True,
        "status": "PENDING",
        "push_name": None,
        "text": "Combinado, amanhã às 10h então.",
    },
    "uazapi_messages_group.json": {
        "chat_jid": "120363041234567890@g.us",
        "is_group": True,
        "phone": None,
        "lid": None,
        "author_phone": "5511987654321",
        "author_lid": "198765432109876@lid",
        "group_name": "Clientes VIP",
    },
    "uazapi_messages_location.json": {
        "kind": "location",
        "location": Location(-23.561414, -46.655881, "Loja Paulista", "Av. Paulista, 1000 - São Paulo"),
    },
    "uazapi_messages_contact.json": {"kind": "contact", "contacts.phones": ("553188776655",)},
    "uazapi_messages_lid_chat.json": {
        "chat_jid": "247813690512345@lid",
        "phone": None,
        "lid": "247813690512345@lid",
        "push_name": "Cliente Anúncio",
    },
    "uazapi_spec_envelope_message.json": {
        **MARIANA,
        "message_id": "AC429C9CDF29E4C66D35EB8F8546C675",
        "kind": "text",
    },
}

OTHER: dict[str, tuple[Any, ...]] = {
    "uazapi_connection_connected.json": (ConnectionUpdate("open", "5511940028922", None, None),),
    "uazapi_connection_disconnected.json": (ConnectionUpdate("close", None, None, None),),
    "uazapi_messages_update_read.json": (
        StatusUpdate(
            ("3EB0B6E46529EAFAC45A16", "3EB0C431F5A8B7D20E9A11"), "READ", "5511987654321@s.whatsapp.net"
        ),
    ),
    "uazapi_messages_update_strings.json": (
        StatusUpdate(("3EB0B6E46529EAFAC45A16",), "DELIVERED", "5511987654321@s.whatsapp.net"),
    ),
    "uazapi_messages_update_read_self.json": (Ignored("messages_update"),),
    "uazapi_presence.json": (Ignored("presence"),),
    "uazapi_contacts.json": (
        ContactSeen(
            "5511987654321@s.whatsapp.net", "5511987654321", "198765432109876@lid", "Mariana Costa", None
        ),
    ),
}


def _value(message: InboundMessage, dotted: str) -> Any:
    if dotted == "contacts.phones":
        return tuple(card.phone for card in message.contacts)
    value: Any = message
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def test_every_uazapi_webhook_fixture_has_an_expectation() -> None:
    covered = set(MESSAGES) | set(OTHER) | {"uazapi_connection_qrcode.json"}
    assert set(fixture_names("uazapi_")) - {"uazapi_message_find_response.json"} == covered


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_message_fixtures(name: str) -> None:
    body = load(name)
    parsed = parse_webhook("UAZAPI", body)
    assert parsed.provider == "UAZAPI"
    if name != "uazapi_spec_envelope_message.json":
        assert (parsed.instance_name, parsed.token) == ("vendas-principal", TOKEN)
    (message,) = parsed.events
    assert isinstance(message, InboundMessage)
    assert message.timestamp.tzinfo is UTC
    for field, expected in MESSAGES[name].items():
        assert _value(message, field) == expected, field


@pytest.mark.parametrize("name", sorted(OTHER))
def test_other_event_fixtures(name: str) -> None:
    parsed = parse_webhook("UAZAPI", load(name))
    assert parsed.events == OTHER[name]
    assert parsed.token == TOKEN


def test_connecting_with_a_qr_code() -> None:
    update, qr = parse_webhook("UAZAPI", load("uazapi_connection_qrcode.json")).events
    assert update == ConnectionUpdate("qrcode")
    assert isinstance(qr, QrUpdated)
    assert qr.qr is not None
    assert qr.qr.data_url is not None
    assert qr.qr.data_url.startswith("data:image/png;base64,")
    assert qr.qr.pairing_code is None


def test_spec_envelope_reports_the_instance() -> None:
    parsed = parse_webhook("UAZAPI", load("uazapi_spec_envelope_message.json"))
    assert parsed.instance_name == "r183e2ef9597845"
    assert parsed.token is None


def test_ids_without_messageid_drop_the_owner_prefix() -> None:
    body = load("uazapi_messages_text.json")
    del body["message"]["messageid"]
    (message,) = parse_webhook("UAZAPI", body).events
    assert isinstance(message, InboundMessage)
    assert message.message_id == "AC429C9CDF29E4C66D35EB8F8546C675"


def test_phone_falls_back_to_the_chat_when_sender_pn_is_missing() -> None:
    body = load("uazapi_messages_text.json")
    body["message"].update(sender_pn="", chatid="198765432109876@lid")
    (message,) = parse_webhook("UAZAPI", body).events
    assert isinstance(message, InboundMessage)
    assert (message.phone, message.lid) == ("5511987654321", "198765432109876@lid")  # chat.wa_chatid


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b.pop("message"), "message"),
        (lambda b: [b["message"].pop("messageid"), b["message"].pop("id")], "messageid"),
        (lambda b: [b["message"].pop("chatid"), b.pop("chat")], "chatid"),
        (lambda b: b["message"].update(messageTimestamp=None), "messageTimestamp"),
        (lambda b: b.update(EventType=["messages"]), "EventType"),
    ],
)
def test_malformed_messages_name_the_field(mutate: Any, reason: str) -> None:
    body = load("uazapi_messages_text.json")
    mutate(body)
    with pytest.raises(MalformedPayload, match=reason):
        parse_webhook("UAZAPI", body)


def test_malformed_receipts_and_connections() -> None:
    receipt = load("uazapi_messages_update_read.json")
    receipt["event"]["MessageIDs"] = "3EB0"
    with pytest.raises(MalformedPayload, match="MessageIDs"):
        parse_webhook("UAZAPI", receipt)
    connection = load("uazapi_connection_connected.json")
    del connection["instance"]["status"]
    with pytest.raises(MalformedPayload, match="status"):
        parse_webhook("UAZAPI", connection)
    with pytest.raises(MalformedPayload, match="not a JSON object"):
        parse_webhook("UAZAPI", ["messages"])
