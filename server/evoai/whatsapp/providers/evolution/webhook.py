"""Evolution API v2 webhook envelopes → normalised events (whatsapp-protocols.md §3-§6).

Envelope: `{event, instance, data, destination, date_time, sender, server_url, apikey}`. With
`webhook_by_events` the event is also the URL suffix (`/messages-upsert`), passed as `event_hint`.
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
    MessageDeleted,
    ParsedWebhook,
    QrCode,
    QrUpdated,
    StatusUpdate,
    WebhookEvent,
)
from evoai.whatsapp.providers.coerce import as_dict, as_int, as_str, path
from evoai.whatsapp.providers.evolution.messages import map_status, parse_message

UPSERT, SEND, UPDATE, DELETE = "messages.upsert", "send.message", "messages.update", "messages.delete"
CONNECTION, QRCODE = "connection.update", "qrcode.updated"
CONTACT_EVENTS = frozenset({"contacts.upsert", "contacts.update", "contacts.set"})
KNOWN = frozenset({UPSERT, SEND, UPDATE, DELETE, CONNECTION, QRCODE, *CONTACT_EVENTS})
STATES: dict[str, ConnectionState] = {
    "open": "open",
    "connecting": "connecting",
    "close": "close",
    "refused": "close",
}


def event_name(value: str) -> str:
    """`messages.upsert`, `MESSAGES_UPSERT` and the byEvents suffix `messages-upsert` → `messages.upsert`."""
    return value.strip().strip("/").lower().replace("_", ".").replace("-", ".")


def parse(body: object, event_hint: str | None = None) -> ParsedWebhook:
    envelope = as_dict(body)
    if envelope is None:
        raise MalformedPayload("body is not a JSON object")
    raw_event = envelope.get("event")
    if raw_event is not None and not isinstance(raw_event, str):
        raise MalformedPayload("event must be a string")
    event = as_str(raw_event) or as_str(event_hint)
    if event is None:
        raise MalformedPayload("event missing (no `event` in the body and no event in the URL)")
    name = event_name(event)
    instance = envelope.get("instance")
    return ParsedWebhook(
        provider="EVOLUTION",
        instance_name=as_str(instance) or as_str(path(instance, "instanceName")),
        token=as_str(envelope.get("apikey")),  # the instance token, when the server exposes it
        events=_events(name, envelope.get("data")),
    )


def _events(name: str, data: object) -> tuple[WebhookEvent, ...]:
    if name not in KNOWN:
        return (Ignored(name),)
    if name in CONTACT_EVENTS:
        return _contacts(data)
    if isinstance(data, list):
        # messages.update may batch; history syncs (messages.set …) are lists and are not ours to import.
        if name == UPDATE:
            return tuple(_status_update(_object(item, "data[]")) for item in data) or (Ignored(name),)
        return (Ignored(name),)
    if name in (UPSERT, SEND):
        message = parse_message(data, sent_by_api=name == SEND)
        return (message,) if message is not None else (Ignored(name),)
    record = _object(data, "data")
    if name == UPDATE:
        return (_status_update(record),)
    if name == DELETE:
        return (_deleted(record),)
    if name == CONNECTION:
        return (_connection(record),)
    return (_qrcode(record),)


def _object(value: object, where: str) -> dict[str, Any]:
    record = as_dict(value)
    if record is None:
        raise MalformedPayload(f"{where} must be an object")
    return record


def _status_update(data: dict[str, Any]) -> WebhookEvent:
    message_id = as_str(data.get("keyId")) or as_str(path(data, "key", "id"))
    if message_id is None:
        raise MalformedPayload("data.keyId missing or not a string")
    status = map_status(data.get("status"))
    if status is None:  # DELETED (edits before 2.3.7), unknown, or a status-less edit
        return Ignored(UPDATE)
    chat = as_str(data.get("remoteJid")) or as_str(path(data, "key", "remoteJid"))
    return StatusUpdate(message_ids=(message_id,), status=status, chat_jid=chat)


def _deleted(data: dict[str, Any]) -> WebhookEvent:
    # 2.3.7: {...key, status:"DELETED"}; up to 2.3.6 the bare key; tolerate {key: {...}} as well.
    key = as_dict(data.get("key")) or data
    message_id = as_str(key.get("id"))
    if message_id is None:
        raise MalformedPayload("data.id missing or not a string")
    return MessageDeleted(message_id=message_id, chat_jid=as_str(key.get("remoteJid")))


def _connection(data: dict[str, Any]) -> WebhookEvent:
    state_text = as_str(data.get("state"))
    if state_text is None:
        raise MalformedPayload("data.state missing or not a string")
    state = STATES.get(state_text.lower())
    if state is None:
        return Ignored(CONNECTION)
    return ConnectionUpdate(
        state=state,
        phone=jids.phone_digits(as_str(data.get("wuid"))) if state == "open" else None,
        profile_name=as_str(data.get("profileName")) if state == "open" else None,
        reason=as_int(data.get("statusReason")),
    )


def _qrcode(data: dict[str, Any]) -> WebhookEvent:
    qrcode = data.get("qrcode")
    if qrcode is None and ("statusCode" in data or "message" in data):
        return QrUpdated(None)  # QRCODE_LIMIT reached: Evolution stopped generating codes
    qr = as_dict(qrcode)
    if qr is None:
        raise MalformedPayload("data.qrcode missing or not an object")
    image = as_str(qr.get("base64"))
    if image and not image.startswith("data:"):
        image = f"data:image/png;base64,{image}"
    code = as_str(qr.get("code"))
    pairing = as_str(qr.get("pairingCode"))
    if not (image or code or pairing):
        return QrUpdated(None)
    return QrUpdated(QrCode(data_url=image, code=code, pairing_code=pairing))


def _contacts(data: object) -> tuple[WebhookEvent, ...]:
    # One object from the message path, an array from a contact sync (§6.7); bad array items are skipped
    # so one odd entry does not cost the rest of the sync.
    if isinstance(data, list):
        seen = (_contact(item) for item in data if isinstance(item, dict) and as_str(item.get("remoteJid")))
        events = tuple(contact for contact in seen if contact is not None)
        return events or (Ignored("contacts"),)
    record = as_dict(data)
    if record is None or as_str(record.get("remoteJid")) is None:
        raise MalformedPayload("data.remoteJid missing or not a string")
    contact = _contact(record)
    return (contact,) if contact is not None else (Ignored("contacts"),)


def _contact(data: dict[str, Any]) -> ContactSeen | None:
    jid = as_str(data.get("remoteJid")) or ""
    if jids.is_group(jid) or jids.is_broadcast(jid):
        return None
    name = as_str(data.get("pushName"))
    if name == jids.user(jid):  # Evolution's fallback when WhatsApp gave no name
        name = None
    picture = as_str(data.get("profilePicUrl"))
    return ContactSeen(
        jid=jid,
        phone=jids.phone_digits(jid),
        lid=jids.normalise_lid(jid),
        name=name,
        picture_url=picture if picture and picture.startswith("https://") else None,
    )
