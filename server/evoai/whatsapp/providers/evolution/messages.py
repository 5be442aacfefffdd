"""Evolution's message object (the `data` of messages.upsert / send.message, a findMessages record, a
send response) → InboundMessage. Shapes: whatsapp-protocols.md §5 and §8 (Evolution 2.3.x)."""

from __future__ import annotations

import re
from typing import Any

from evoai.whatsapp.providers import jids
from evoai.whatsapp.providers.base import (
    MEDIA_KINDS,
    STATUS_RANK,
    ContactCard,
    InboundMessage,
    Location,
    MalformedPayload,
    MediaInfo,
    MessageKind,
    MessageStatus,
)
from evoai.whatsapp.providers.coerce import (
    as_bool,
    as_dict,
    as_float,
    as_int,
    as_list,
    as_str,
    as_timestamp,
    path,
    strip_data_url,
)

# Content wrappers Evolution may leave in place; the real content is in `<wrapper>.message`.
WRAPPERS = (
    "ephemeralMessage",
    "viewOnceMessage",
    "viewOnceMessageV2",
    "viewOnceMessageV2Extension",
    "documentWithCaptionMessage",
)
KIND_BY_KEY: dict[str, MessageKind] = {
    "conversation": "text",
    "extendedTextMessage": "text",
    "imageMessage": "image",
    "videoMessage": "video",
    "ptvMessage": "video",  # round video note; we have no separate kind for it
    "audioMessage": "audio",
    "documentMessage": "document",
    "stickerMessage": "sticker",
    "locationMessage": "location",
    "liveLocationMessage": "location",
    "contactMessage": "contact",
    "contactsArrayMessage": "contact",
    "reactionMessage": "reaction",
    # Taps on buttons/lists are answers the contact typed in effect; keep their visible text.
    "buttonsResponseMessage": "text",
    "listResponseMessage": "text",
    "templateButtonReplyMessage": "text",
}
# Baileys/Evolution delivery vocabulary → ours (DELETED and anything unknown are not a delivery state).
STATUS_MAP: dict[str, MessageStatus] = {
    "ERROR": "FAILED",
    "PENDING": "PENDING",
    "SERVER_ACK": "SENT",
    "DELIVERY_ACK": "DELIVERED",
    "READ": "READ",
    "PLAYED": "PLAYED",
}
# Baileys numeric WebMessageInfo.Status, seen in raw payloads.
NUMERIC_STATUS = {0: "ERROR", 1: "PENDING", 2: "SERVER_ACK", 3: "DELIVERY_ACK", 4: "READ", 5: "PLAYED"}
_NOT_CONTENT = frozenset({"messageContextInfo", "senderKeyDistributionMessage", "base64", "mediaUrl"})
_WAID = re.compile(r"waid=(\d+)")
_TEL = re.compile(r"^(?:item\d+\.)?TEL[^:]*:(.+)$", re.MULTILINE | re.IGNORECASE)


def map_status(value: object) -> MessageStatus | None:
    number = as_int(value)
    name = NUMERIC_STATUS.get(number) if number is not None else as_str(value)
    return STATUS_MAP.get(name.upper()) if name else None


def parse_message(data: object, *, sent_by_api: bool, where: str = "data") -> InboundMessage | None:
    """None for chats that never belong in an inbox (status stories, channels)."""
    record = as_dict(data)
    if record is None:
        raise MalformedPayload(f"{where} must be an object")
    key = as_dict(record.get("key"))
    if key is None:
        raise MalformedPayload(f"{where}.key missing or not an object")
    message_id = as_str(key.get("id"))
    chat_jid = as_str(key.get("remoteJid"))
    if message_id is None:
        raise MalformedPayload(f"{where}.key.id missing or not a string")
    if chat_jid is None:
        raise MalformedPayload(f"{where}.key.remoteJid missing or not a string")
    from_me = as_bool(key.get("fromMe", False))
    if from_me is None:
        raise MalformedPayload(f"{where}.key.fromMe must be a boolean")
    timestamp = as_timestamp(record.get("messageTimestamp"))
    if timestamp is None:
        raise MalformedPayload(f"{where}.messageTimestamp missing or not a Unix time")
    if jids.is_broadcast(chat_jid):
        return None

    content = _unwrap(as_dict(record.get("message")) or {})
    content_key = _content_key(content, as_str(record.get("messageType")))
    body = as_dict(content.get(content_key)) if content_key else None
    kind: MessageKind = KIND_BY_KEY.get(content_key or "", "unknown")
    if kind == "audio" and body is not None and as_bool(body.get("ptt")):
        kind = "ptt"
    is_group = jids.is_group(chat_jid)
    peer = _peer(key) if not is_group else (None, None)
    author = _author(key) if is_group else (None, None)
    reply_id, reply_text = _reply(record, body)
    reaction = body if kind == "reaction" and body is not None else None
    return InboundMessage(
        message_id=message_id,
        chat_jid=chat_jid,
        is_group=is_group,
        from_me=from_me,
        sent_by_api=sent_by_api,
        timestamp=timestamp,
        kind=kind,
        phone=peer[0],
        lid=peer[1],
        push_name=None if from_me else as_str(record.get("pushName")),
        author_phone=author[0],
        author_lid=author[1],
        text=_text(content, content_key, body),
        media=_media(content, body) if kind in MEDIA_KINDS else None,
        location=_location(body) if kind == "location" else None,
        contacts=_contacts(content_key, body),
        reply_to_id=reply_id,
        reply_to_text=reply_text,
        reaction_target_id=as_str(path(reaction, "key", "id")) if reaction is not None else None,
        reaction_emoji=(as_str(reaction.get("text")) or "") if reaction is not None else None,
        status=_status(record, from_me),
        raw=record,
    )


def _unwrap(content: dict[str, Any]) -> dict[str, Any]:
    # Keep Evolution's additions (base64, mediaUrl) that sit next to the wrapper, not inside it.
    for _ in range(4):
        inner = next((as_dict(path(content, w, "message")) for w in WRAPPERS if w in content), None)
        if inner is None:
            break
        extras: dict[str, Any] = {k: content[k] for k in ("base64", "mediaUrl") if k in content}
        content = {**inner, **extras}
    return content


def _content_key(content: dict[str, Any], message_type: str | None) -> str | None:
    if message_type and message_type in content and message_type not in _NOT_CONTENT:
        return message_type
    for name in content:
        if not isinstance(name, str) or name in _NOT_CONTENT:
            continue
        if name == "conversation" or name.endswith("Message"):
            return name
    return None


def _peer(key: dict[str, Any]) -> tuple[str | None, str | None]:
    """(phone digits, LID) of the other person in a 1:1 chat, per §8.2 across Evolution versions."""
    remote = as_str(key.get("remoteJid"))
    alt = as_str(key.get("remoteJidAlt"))
    if jids.is_phone_jid(remote):
        # 2.3.7 may put the PN in both fields (addressingMode "lid"): then the LID is simply unknown.
        lid = next(
            (
                jids.normalise_lid(as_str(key.get(name)))
                for name in ("remoteJidAlt", "previousRemoteJid", "senderLid")
                if jids.is_lid(as_str(key.get(name)))
            ),
            None,
        )
        return jids.phone_digits(remote), lid
    if jids.is_lid(remote):
        phone = jids.phone_digits(alt) or jids.phone_from_text(as_str(key.get("senderPn")))  # 2.3.0 senderPn
        return phone, jids.normalise_lid(remote)
    return None, None


def _author(key: dict[str, Any]) -> tuple[str | None, str | None]:
    candidates = [as_str(key.get(name)) for name in ("participantAlt", "participant", "participantPn")]
    phone = next((jids.phone_digits(jid) for jid in candidates if jids.is_phone_jid(jid)), None)
    lid = next((jids.normalise_lid(jid) for jid in candidates if jids.is_lid(jid)), None)
    return phone, lid


def _text(content: dict[str, Any], content_key: str | None, body: dict[str, Any] | None) -> str | None:
    if content_key == "reactionMessage":
        return None
    conversation = as_str(content.get("conversation"))
    if conversation:
        return conversation
    if body is None:
        return None
    fields = ("text", "caption", "selectedDisplayText")
    for field in (*fields, "title") if content_key == "listResponseMessage" else fields:
        value = as_str(body.get(field))
        if value:
            return value
    return None


def _media(content: dict[str, Any], body: dict[str, Any] | None) -> MediaInfo:
    body = body or {}
    base64 = as_str(content.get("base64"))
    url = as_str(content.get("mediaUrl"))
    return MediaInfo(
        mimetype=as_str(body.get("mimetype")),
        file_name=as_str(body.get("fileName")),
        size=as_int(body.get("fileLength")),
        seconds=as_int(body.get("seconds")),
        base64=strip_data_url(base64) if base64 else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
    )


def _location(body: dict[str, Any] | None) -> Location | None:
    if body is None:
        return None
    latitude, longitude = as_float(body.get("degreesLatitude")), as_float(body.get("degreesLongitude"))
    if latitude is None or longitude is None:
        return None
    return Location(latitude, longitude, as_str(body.get("name")), as_str(body.get("address")))


def contact_card(value: object) -> ContactCard | None:
    card = as_dict(value)
    if card is None:
        return None
    vcard = as_str(card.get("vcard")) or ""
    name = as_str(card.get("displayName")) or as_str(card.get("fullName")) or ""
    if not vcard and not name:
        return None
    waid = _WAID.search(vcard)
    tel = _TEL.search(vcard)
    phone = waid.group(1) if waid else jids.phone_from_text(tel.group(1)) if tel else None
    return ContactCard(name=name, vcard=vcard, phone=phone)


def _contacts(content_key: str | None, body: dict[str, Any] | None) -> tuple[ContactCard, ...]:
    if body is None:
        return ()
    items: list[Any] = [body] if content_key == "contactMessage" else []
    if content_key == "contactsArrayMessage":
        items = as_list(body.get("contacts"))
    return tuple(card for card in map(contact_card, items) if card is not None)


def _reply(record: dict[str, Any], body: dict[str, Any] | None) -> tuple[str | None, str | None]:
    # Text replies keep their context only at data.contextInfo (Evolution deletes extendedTextMessage);
    # captioned documents only inside the content object.
    for context in (as_dict(record.get("contextInfo")), as_dict(body.get("contextInfo")) if body else None):
        stanza = as_str(context.get("stanzaId")) if context else None
        if context is not None and stanza:
            return stanza, _quoted_text(as_dict(context.get("quotedMessage")))
    return None, None


def _quoted_text(quoted: dict[str, Any] | None) -> str | None:
    if not quoted:
        return None
    quoted = _unwrap(quoted)
    key = _content_key(quoted, None)
    return _text(quoted, key, as_dict(quoted.get(key)) if key else None)


def _status(record: dict[str, Any], from_me: bool) -> MessageStatus:
    if not from_me:
        return "RECEIVED"
    status = map_status(record.get("status"))
    # findMessages records carry the receipts as MessageUpdate: [{status}], not a status field.
    for update in as_list(record.get("MessageUpdate")):
        candidate = map_status(path(update, "status"))
        if candidate and (status is None or STATUS_RANK.get(candidate, -1) > STATUS_RANK.get(status, -1)):
            status = candidate
    return status or "SENT"
