"""UAZAPI (uazapiGO v2) webhook bodies → normalised events (whatsapp-protocols.md §10.5).

Real traffic uses the flat envelope `{BaseUrl, EventType, instanceName, owner, token, chat, message}`;
the OpenAPI's `{event, instance, data}` is accepted too, in case a server follows its own spec.
"""

from __future__ import annotations

from typing import Any

from evoai.whatsapp.providers import jids
from evoai.whatsapp.providers.base import (
    ConnectionState,
    ConnectionUpdate,
    ContactSeen,
    Ignored,
    MalformedPayload,
    ParsedWebhook,
    QrCode,
    QrUpdated,
    StatusUpdate,
    WebhookEvent,
)
from evoai.whatsapp.providers.coerce import as_bool, as_dict, as_int, as_list, as_str, path
from evoai.whatsapp.providers.uazapi.messages import map_status, parse_message, strip_owner

# The spec's event names next to the subscription names real servers send.
EVENT_ALIASES = {"message": "messages", "status": "messages_update", "messages.update": "messages_update"}
STATES: dict[str, ConnectionState] = {
    "connected": "open",
    "open": "open",
    "connecting": "connecting",
    "disconnected": "close",
    "close": "close",
}


def parse(body: object, event_hint: str | None = None) -> ParsedWebhook:
    envelope = as_dict(body)
    if envelope is None:
        raise MalformedPayload("body is not a JSON object")
    spec_shaped = "EventType" not in envelope and isinstance(envelope.get("data"), dict)
    raw_event = envelope.get("EventType", envelope.get("event"))
    if raw_event is not None and not isinstance(raw_event, str):
        raise MalformedPayload("EventType must be a string")
    event = as_str(raw_event) or as_str(event_hint)
    if event is None:
        raise MalformedPayload("EventType missing")
    name = event.strip().lower()
    name = EVENT_ALIASES.get(name, name)
    # In the spec's shape everything sits under `data`; read it as if it were the flat envelope.
    source: dict[str, Any] = {**envelope, **envelope["data"]} if spec_shaped else envelope
    instance = source.get("instance")
    instance_name = as_str(envelope.get("instanceName")) or as_str(instance) or as_str(path(instance, "name"))
    return ParsedWebhook(
        provider="UAZAPI",
        instance_name=instance_name,
        token=as_str(envelope.get("token")),
        events=_events(name, source),
    )


def _events(name: str, body: dict[str, Any]) -> tuple[WebhookEvent, ...]:
    if name == "messages":
        return (parse_message(body.get("message"), chat=as_dict(body.get("chat"))),)
    if name == "messages_update":
        return _receipts(body)
    if name == "connection":
        return _connection(body)
    if name == "contacts":
        return _contacts(body)
    return (Ignored(name),)


def _receipts(body: dict[str, Any]) -> tuple[WebhookEvent, ...]:
    event = as_dict(body.get("event"))
    if event is None:
        raise MalformedPayload("event missing or not an object")
    ids = event.get("MessageIDs")
    if not isinstance(ids, list):
        raise MalformedPayload("event.MessageIDs missing or not an array")
    message_ids = tuple(strip_owner(i) for i in ids if isinstance(i, str) and i)
    # IsFromMe marks receipts our own devices produce (e.g. we read their message): not a delivery state.
    status = map_status(body.get("state")) or map_status(event.get("Type"))
    if not message_ids or status is None or as_bool(event.get("IsFromMe")):
        return (Ignored("messages_update"),)
    return (StatusUpdate(message_ids=message_ids, status=status, chat_jid=as_str(event.get("Chat"))),)


def _connection(body: dict[str, Any]) -> tuple[WebhookEvent, ...]:
    instance = as_dict(body.get("instance")) or body
    status = as_str(instance.get("status"))
    if status is None:
        raise MalformedPayload("instance.status missing or not a string")
    state = STATES.get(status.lower())
    if state is None:
        return (Ignored("connection"),)
    qr = _qr(instance) if state == "connecting" else None
    update = ConnectionUpdate(
        state="qrcode" if qr else state,
        phone=jids.phone_from_text(as_str(body.get("owner"))) if state == "open" else None,
        profile_name=as_str(instance.get("profileName")) if state == "open" else None,
        reason=as_int(instance.get("lastDisconnectReason")),
    )
    return (update, QrUpdated(qr)) if qr else (update,)


def _qr(instance: dict[str, Any]) -> QrCode | None:
    image, pairing = as_str(instance.get("qrcode")), as_str(instance.get("paircode"))
    if not image and not pairing:
        return None
    if image and not image.startswith("data:"):
        image = f"data:image/png;base64,{image}"
    return QrCode(data_url=image, pairing_code=pairing)


def _contacts(body: dict[str, Any]) -> tuple[WebhookEvent, ...]:
    # Not documented anywhere: accept a Chat-like object under chat/contact, or an array of them.
    items = as_list(body.get("contacts")) or [body.get("contact") or body.get("chat")]
    seen = tuple(contact for contact in map(_contact, items) if contact is not None)
    return seen or (Ignored("contacts"),)


def _contact(value: object) -> ContactSeen | None:
    item = as_dict(value)
    if item is None:
        return None
    jid = as_str(item.get("wa_chatid")) or as_str(item.get("jid")) or as_str(item.get("id"))
    if jid is None or "@" not in jid or jids.is_group(jid) or jids.is_broadcast(jid):
        return None
    lid = jids.normalise_lid(jid) or jids.normalise_lid(
        as_str(item.get("wa_chatlid")) or as_str(item.get("lid"))
    )
    picture = as_str(item.get("image"))
    return ContactSeen(
        jid=jid,
        phone=jids.phone_digits(jid) or jids.phone_from_text(as_str(item.get("phone"))),
        lid=lid,
        name=as_str(item.get("wa_name")) or as_str(item.get("name")) or as_str(item.get("wa_contactName")),
        picture_url=picture if picture and picture.startswith("https://") else None,
    )
