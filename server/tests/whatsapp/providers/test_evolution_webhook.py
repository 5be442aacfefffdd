"""Evolution webhook bodies (tests/fixtures/whatsapp/evolution_*.json) → normalised events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from evoai.whatsapp.providers import parse_webhook
from evoai.whatsapp.providers.base import (
    ConnectionUpdate,
    ContactCard,
    ContactSeen,
    Ignored,
    InboundMessage,
    Location,
    MalformedPayload,
    MessageDeleted,
    QrUpdated,
    StatusUpdate,
)
from tests.whatsapp.providers.support import fixture_names, load

MARIANA = {"phone": "5511987654321", "lid": "198765432109876@lid", "chat_jid": "5511987654321@s.whatsapp.net"}
PLAIN: dict[str, Any] = {"is_group": False, "from_me": False, "sent_by_api": False, "status": "RECEIVED"}

# Expected InboundMessage fields per fixture (fields not listed are checked by the defaults below).
MESSAGES: dict[str, dict[str, Any]] = {
    "evolution_messages_upsert_text.json": {
        **MARIANA,
        **PLAIN,
        "message_id": "4E9B61138C7160307450FAB1EE85B0C6",
        "kind": "text",
        "text": "Oi! Vocês ainda têm o modelo azul em estoque?",
        "push_name": "Mariana Costa",
        "timestamp": datetime(2025, 12, 10, 14, 32, 5, tzinfo=UTC),
    },
    "evolution_messages_upsert_fromme.json": {
        **MARIANA,
        "message_id": "ACB009C775DFAB46DA07C2E4DCEC2FDB",
        "from_me": True,
        "sent_by_api": False,
        "kind": "text",
        "text": "Temos sim! Te mando as fotos.",
        "status": "SENT",
        "push_name": None,
    },
    "evolution_messages_upsert_image.json": {
        **MARIANA,
        **PLAIN,
        "message_id": "0FB49782CD59907ED95985BE2E62C5D8",
        "kind": "image",
        "text": "Foto da etiqueta do produto",
        "media.mimetype": "image/jpeg",
        "media.size": 184233,
        "media.base64": load("evolution_messages_upsert_image.json")["data"]["message"]["base64"],
        "media.url": None,
    },
    "evolution_send_message.json": {
        "phone": "5511987654321",
        "lid": None,
        "message_id": "3EB0B6E46529EAFAC45A16",
        "from_me": True,
        "sent_by_api": True,
        "kind": "text",
        "text": "Combinado, amanhã às 10h então.",
        "status": "PENDING",
        "reply_to_id": "2FC21A05E3056F7FBDA03AFED8E63B43",
        "reply_to_text": "Pode ser amanhã às 10h?",
    },
    "evolution_send_message_image.json": {
        "phone": "553188776655",
        "message_id": "3EB0C431F5A8B7D20E9A11",
        "from_me": True,
        "sent_by_api": True,
        "kind": "image",
        "text": "Modelo azul",
        "media.size": 88211,
        "media.base64": "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==",
        "status": "PENDING",
        "reply_to_id": None,
    },
    "evolution_messages_upsert_reply.json": {
        **MARIANA,
        **PLAIN,
        "kind": "text",
        "text": "Pode ser amanhã às 10h?",
        "reply_to_id": "3EB069553F08B90F12A8C8",
        "reply_to_text": "Temos sim, nas cores azul e preta.",
    },
    "evolution_2.1_messages_upsert_extended_text.json": {
        "phone": "5511987654321",
        "lid": None,
        **PLAIN,
        "message_id": "3A7F1C2B9D4E5F60A1B2",
        "kind": "text",
        "text": "Olha esse link https://loja.example.com/azul",
        "reply_to_id": "3EB069553F08B90F12A8C8",
        "reply_to_text": "Temos sim, nas cores azul e preta.",
    },
    "evolution_messages_upsert_reaction.json": {
        **MARIANA,
        "kind": "reaction",
        "text": None,
        "reaction_target_id": "3EB0B6E46529EAFAC45A16",
        "reaction_emoji": "👍",
    },
    "evolution_messages_upsert_reaction_removed.json": {
        "kind": "reaction",
        "reaction_target_id": "3EB0B6E46529EAFAC45A16",
        "reaction_emoji": "",
    },
    "evolution_messages_upsert_video.json": {
        **MARIANA,
        "kind": "video",
        "text": "Vídeo do produto",
        "media.mimetype": "video/mp4",
        "media.size": 2483921,
        "media.seconds": 12,
        "reply_to_id": "3EB069553F08B90F12A8C8",
    },
    "evolution_messages_upsert_ptv.json": {
        "kind": "video",
        "media.seconds": 8,
        "media.size": 912345,
        "text": None,
    },
    "evolution_messages_upsert_audio.json": {
        "kind": "audio",
        "media.mimetype": "audio/mpeg",
        "media.seconds": 95,
    },
    "evolution_messages_upsert_ptt.json": {
        "kind": "ptt",
        "media.mimetype": "audio/ogg; codecs=opus",
        "media.seconds": 7,
        "media.size": 18234,
        "media.base64": "T2dnUwACAAAAAAAAAAA=",
    },
    "evolution_messages_upsert_document.json": {
        "kind": "document",
        "text": None,
        "media.file_name": "catalogo-2026.pdf",
        "media.size": 482113,
        "media.mimetype": "application/pdf",
        "media.base64": None,
        "media.url": "https://s3.example.com.br/evolution/vendas-principal/9A7C3E5F1B6D8C0E2F4A5B6C7D8E9F0A.pdf",
    },
    "evolution_messages_upsert_document_caption.json": {
        "kind": "document",
        "text": "Segue o orçamento",
        "media.file_name": "orcamento.pdf",
        "reply_to_id": "ACB009C775DFAB46DA07C2E4DCEC2FDB",
        "reply_to_text": "Temos sim! Te mando as fotos.",
    },
    "evolution_messages_upsert_document_caption_wrapped.json": {
        "kind": "document",
        "text": "Nota fiscal",
        "media.file_name": "nf-1234.pdf",
        "reply_to_id": "ACB009C775DFAB46DA07C2E4DCEC2FDB",
    },
    "evolution_messages_upsert_sticker.json": {
        "kind": "sticker",
        "media.mimetype": "image/webp",
        "text": None,
    },
    "evolution_messages_upsert_location.json": {
        "kind": "location",
        "text": None,
        "location": Location(-23.561414, -46.655881, "Loja Paulista", "Av. Paulista, 1000 - São Paulo"),
    },
    "evolution_messages_upsert_live_location.json": {
        "kind": "location",
        "location": Location(-19.9191, -43.9386),
        "text": "Estou chegando",
    },
    "evolution_messages_upsert_contact.json": {"kind": "contact", "contacts.phones": ("553188776655",)},
    "evolution_messages_upsert_contacts_array.json": {
        "kind": "contact",
        "contacts.phones": ("553188776655", "5521998765432"),
    },
    "evolution_messages_upsert_ephemeral.json": {"kind": "text", "text": "Mensagem temporária"},
    "evolution_messages_upsert_view_once.json": {
        "kind": "image",
        "text": "Só uma vez",
        "media.base64": "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==",
    },
    "evolution_2.3.6_messages_upsert_lid_chat.json": {
        "chat_jid": "198765432109876@lid",
        "phone": "5511987654321",
        "lid": "198765432109876@lid",
        "text": "Bom dia!",
    },
    "evolution_messages_upsert_lid_only.json": {
        "chat_jid": "247813690512345@lid",
        "phone": None,
        "lid": "247813690512345@lid",
        "push_name": "Cliente Anúncio",
    },
    "evolution_2.3.0_messages_upsert_sender_pn.json": {
        "chat_jid": "198765432109876@lid",
        "phone": "5511987654321",
        "lid": "198765432109876@lid",
    },
    "evolution_2.3.2_messages_upsert_previous_remote_jid.json": {
        "phone": "5511987654321",
        "lid": "198765432109876@lid",
        "text": "Obrigado!",
    },
    "evolution_messages_upsert_lid_addressing.json": {"phone": "553188776655", "lid": None},
    "evolution_messages_upsert_group.json": {
        "chat_jid": "120363041234567890@g.us",
        "is_group": True,
        "phone": None,
        "lid": None,
        "author_phone": "5511987654321",
        "author_lid": "198765432109876@lid",
        "push_name": "Mariana Costa",
        "text": "Pessoal, chegou o estoque novo?",
        "kind": "text",
    },
    "evolution_messages_upsert_group_lid_only.json": {
        "is_group": True,
        "phone": None,
        "author_phone": None,
        "author_lid": "209876543210987@lid",
        "kind": "image",
        "text": "Olha essa",
    },
}

# Events other than messages: the whole expected tuple.
OTHER: dict[str, tuple[Any, ...]] = {
    "evolution_messages_update_read.json": (
        StatusUpdate(("3EB0B6E46529EAFAC45A16",), "READ", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_messages_update_delivery.json": (
        StatusUpdate(("3EB0B6E46529EAFAC45A16",), "DELIVERED", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_messages_update_played.json": (
        StatusUpdate(("3EB0D55E1C7A9B3F2A6C44",), "PLAYED", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_messages_update_error.json": (
        StatusUpdate(("3EB0E77A2B8C9D4E3F1A55",), "FAILED", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_messages_update_edit.json": (
        StatusUpdate(("3EB0B6E46529EAFAC45A16",), "SENT", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_2.3.6_messages_update_deleted.json": (Ignored("messages.update"),),
    "evolution_messages_delete.json": (
        MessageDeleted("2FC21A05E3056F7FBDA03AFED8E63B43", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_2.3.6_messages_delete.json": (
        MessageDeleted("2FC21A05E3056F7FBDA03AFED8E63B43", "5511987654321@s.whatsapp.net"),
    ),
    "evolution_connection_update_open.json": (
        ConnectionUpdate("open", "5511940028922", "Loja Exemplo", 200),
    ),
    "evolution_connection_update_close.json": (ConnectionUpdate("close", None, None, 401),),
    "evolution_connection_update_connecting.json": (ConnectionUpdate("connecting", None, None, 200),),
    "evolution_connection_update_refused.json": (ConnectionUpdate("close", None, None, 428),),
    "evolution_qrcode_updated_limit.json": (QrUpdated(None),),
    "evolution_contacts_upsert.json": (
        ContactSeen(
            "5511987654321@s.whatsapp.net",
            "5511987654321",
            None,
            "Mariana Costa",
            "https://pps.whatsapp.net/v/t61.24694-24/123_n.jpg?oe=6961B0C0",
        ),
    ),
    "evolution_contacts_upsert_array.json": (
        ContactSeen("553188776655@s.whatsapp.net", "553188776655", None, "Carlos Mendes", None),
        ContactSeen("247813690512345@lid", None, "247813690512345@lid", None, None),
    ),
    "evolution_messages_set.json": (Ignored("messages.set"),),
    "evolution_presence_update.json": (Ignored("presence.update"),),
    "evolution_messages_upsert_status_broadcast.json": (Ignored("messages.upsert"),),
}


def _value(message: InboundMessage, dotted: str) -> Any:
    if dotted == "contacts.phones":
        return tuple(card.phone for card in message.contacts)
    value: Any = message
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def test_every_evolution_fixture_has_an_expectation() -> None:
    covered = (
        set(MESSAGES)
        | set(OTHER)
        | {"evolution_qrcode_updated.json", "evolution_qrcode_updated_pairing.json"}
    )
    assert set(fixture_names("evolution_")) - {"evolution_find_messages_response.json"} == covered


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_message_fixtures(name: str) -> None:
    parsed = parse_webhook("EVOLUTION", load(name))
    assert parsed.provider == "EVOLUTION"
    assert parsed.instance_name == "vendas-principal"
    assert parsed.token == "3C7B9E21-6F4A-4D8B-A1E5-92C0D7F3B6A4"
    (message,) = parsed.events
    assert isinstance(message, InboundMessage)
    assert message.timestamp.tzinfo is UTC
    assert message.raw == load(name)["data"]  # kept whole for download_media
    for field, expected in MESSAGES[name].items():
        assert _value(message, field) == expected, field
    if message.kind != "reaction":
        assert message.reaction_target_id is None
        assert message.reaction_emoji is None
    if message.media is not None:
        assert message.kind in {"image", "video", "audio", "ptt", "document", "sticker"}


@pytest.mark.parametrize("name", sorted(OTHER))
def test_other_event_fixtures(name: str) -> None:
    assert parse_webhook("EVOLUTION", load(name)).events == OTHER[name]


def test_contact_cards_keep_name_and_vcard() -> None:
    (message,) = parse_webhook("EVOLUTION", load("evolution_messages_upsert_contacts_array.json")).events
    assert isinstance(message, InboundMessage)
    first, second = message.contacts
    assert isinstance(first, ContactCard)
    assert first.name == "Carlos Mendes"
    assert "waid=553188776655" in first.vcard
    assert second.name == "Joana Lima"  # phone taken from TEL: when there is no waid=


def test_qrcode_fixtures() -> None:
    (event,) = parse_webhook("EVOLUTION", load("evolution_qrcode_updated.json")).events
    assert isinstance(event, QrUpdated)
    assert event.qr is not None
    assert event.qr.data_url is not None
    assert event.qr.data_url.startswith("data:image/png;base64,")
    assert event.qr.code is not None
    assert event.qr.code.startswith("2@It2c8")
    assert event.qr.pairing_code is None
    (paired,) = parse_webhook("EVOLUTION", load("evolution_qrcode_updated_pairing.json")).events
    assert isinstance(paired, QrUpdated)
    assert paired.qr is not None
    assert paired.qr.pairing_code == "WZYEH1YY"


def test_event_from_the_url_suffix_when_the_body_has_none() -> None:
    body = load("evolution_messages_upsert_text.json")
    del body["event"]
    with pytest.raises(MalformedPayload, match="event"):
        parse_webhook("EVOLUTION", body)
    (message,) = parse_webhook("EVOLUTION", body, event_hint="messages-upsert").events
    assert isinstance(message, InboundMessage)
    assert message.message_id == "4E9B61138C7160307450FAB1EE85B0C6"
    assert parse_webhook("EVOLUTION", body, event_hint="/send-message").events[0].sent_by_api  # type: ignore[union-attr]
    assert parse_webhook("EVOLUTION", {**body, "event": "MESSAGES_UPSERT"}).events == (message,)


def test_without_exposed_apikey_the_token_is_none() -> None:
    body = {**load("evolution_connection_update_open.json"), "apikey": None}
    assert parse_webhook("EVOLUTION", body).token is None


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b["data"]["key"].pop("id"), "data.key.id"),
        (lambda b: b["data"]["key"].pop("remoteJid"), "data.key.remoteJid"),
        (lambda b: b["data"]["key"].update(id=42), "data.key.id"),
        (lambda b: b["data"].pop("key"), "data.key"),
        (lambda b: b["data"]["key"].update(fromMe="maybe"), "fromMe"),
        (lambda b: b["data"].update(messageTimestamp="yesterday"), "messageTimestamp"),
        (lambda b: b.update(data="oops"), "data"),
        (lambda b: b.update(event=7), "event"),
    ],
)
def test_malformed_upserts_name_the_field(mutate: Any, reason: str) -> None:
    body = load("evolution_messages_upsert_text.json")
    mutate(body)
    with pytest.raises(MalformedPayload, match=reason):
        parse_webhook("EVOLUTION", body)


@pytest.mark.parametrize("body", [None, [], "text", 3, [{"event": "messages.upsert"}]])
def test_non_object_bodies_are_malformed(body: object) -> None:
    with pytest.raises(MalformedPayload, match="not a JSON object"):
        parse_webhook("EVOLUTION", body)


def test_malformed_other_events() -> None:
    update = load("evolution_messages_update_read.json")
    del update["data"]["keyId"]
    with pytest.raises(MalformedPayload, match="keyId"):
        parse_webhook("EVOLUTION", update)
    connection = load("evolution_connection_update_open.json")
    connection["data"]["state"] = None
    with pytest.raises(MalformedPayload, match="state"):
        parse_webhook("EVOLUTION", connection)
    qr = load("evolution_qrcode_updated.json")
    qr["data"] = {}
    with pytest.raises(MalformedPayload, match="qrcode"):
        parse_webhook("EVOLUTION", qr)


def test_unknown_events_and_states_are_ignored() -> None:
    body = {"event": "call", "instance": "x", "data": {"id": "1"}}
    assert parse_webhook("EVOLUTION", body).events == (Ignored("call"),)
    connection = load("evolution_connection_update_open.json")
    connection["data"]["state"] = "hibernating"
    assert parse_webhook("EVOLUTION", connection).events == (Ignored("connection.update"),)


@pytest.mark.parametrize(
    ("file_length", "expected"),
    [(1234, 1234), ("1234", 1234), ({"low": 5, "high": 1, "unsigned": True}, (1 << 32) + 5), ("x", None)],
)
def test_file_length_encodings(file_length: object, expected: int | None) -> None:
    body = load("evolution_messages_upsert_image.json")
    body["data"]["message"]["imageMessage"]["fileLength"] = file_length
    (message,) = parse_webhook("EVOLUTION", body).events
    assert isinstance(message, InboundMessage)
    assert message.media is not None
    assert message.media.size == expected


def test_unknown_content_is_kept_as_unknown() -> None:
    body = load("evolution_messages_upsert_text.json")
    body["data"]["message"] = {"pollCreationMessageV3": {"name": "Qual cor?", "options": []}}
    body["data"]["messageType"] = "pollCreationMessageV3"
    (message,) = parse_webhook("EVOLUTION", body).events
    assert isinstance(message, InboundMessage)
    assert message.kind == "unknown"
    assert message.media is None
