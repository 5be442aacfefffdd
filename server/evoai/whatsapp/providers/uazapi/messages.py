"""UAZAPI's flattened `Message` (webhook `message`, /message/find item, send response) → InboundMessage.

Rules from whatsapp-protocols.md §10.5 and §13. UAZAPI payloads are only known from third-party
captures, so every field is read tolerantly (key spelling of whatsmeow's JSON varies: `URL`, `PTT`).
"""

from __future__ import annotations

from typing import Any

from evoai.whatsapp.providers import jids
from evoai.whatsapp.providers.base import (
    MEDIA_KINDS,
    ContactCard,
    InboundMessage,
    Location,
    MalformedPayload,
    MediaInfo,
    MessageKind,
    MessageStatus,
)
from evoai.whatsapp.providers.coerce import as_bool, as_dict, as_float, as_int, as_list, as_str, as_timestamp
from evoai.whatsapp.providers.evolution.messages import contact_card

KIND_BY_MEDIA: dict[str, MessageKind] = {
    "image": "image",
    "video": "video",
    "gif": "video",
    "ptv": "video",
    "audio": "audio",
    "myaudio": "ptt",
    "ptt": "ptt",
    "document": "document",
    "sticker": "sticker",
}
KIND_BY_TYPE: dict[str, MessageKind] = {
    "conversation": "text",
    "extendedtextmessage": "text",
    "imagemessage": "image",
    "videomessage": "video",
    "ptvmessage": "video",
    "audiomessage": "audio",
    "documentmessage": "document",
    "documentwithcaptionmessage": "document",
    "stickermessage": "sticker",
    "locationmessage": "location",
    "livelocationmessage": "location",
    "contactmessage": "contact",
    "contactsarraymessage": "contact",
    "reactionmessage": "reaction",
    "reaction": "reaction",
    "text": "text",
}
# Lifecycle words seen in `status` / receipt `state` (case-insensitive).
STATUS_WORDS: dict[str, MessageStatus] = {
    "pending": "PENDING",
    "sent": "SENT",
    "serverack": "SENT",
    "server_ack": "SENT",
    "delivered": "DELIVERED",
    "delivery": "DELIVERED",
    "read": "READ",
    "played": "PLAYED",
    "failed": "FAILED",
    "error": "FAILED",
    "server-error": "FAILED",
}


def map_status(value: object) -> MessageStatus | None:
    text = as_str(value)
    return STATUS_WORDS.get(text.strip().lower()) if text else None


def strip_owner(message_id: str) -> str:
    """`<owner>:<messageid>` → `<messageid>`."""
    return message_id.rsplit(":", 1)[-1]


def field(obj: dict[str, Any] | None, *names: str) -> object:
    """First present value among spellings, also matched case-insensitively (`URL`/`url`)."""
    if not obj:
        return None
    for name in names:
        if name in obj:
            return obj[name]
    folded = {key.lower(): value for key, value in obj.items() if isinstance(key, str)}
    return next((folded[name.lower()] for name in names if name.lower() in folded), None)


def parse_message(
    data: object, *, chat: dict[str, Any] | None = None, where: str = "message"
) -> InboundMessage:
    message = as_dict(data)
    if message is None:
        raise MalformedPayload(f"{where} must be an object")
    raw_id = as_str(message.get("messageid")) or as_str(message.get("id"))
    if raw_id is None:
        raise MalformedPayload(f"{where}.messageid missing or not a string")
    chat_jid = as_str(message.get("chatid")) or as_str(chat.get("wa_chatid") if chat else None)
    if chat_jid is None:
        raise MalformedPayload(f"{where}.chatid missing or not a string")
    timestamp = as_timestamp(message.get("messageTimestamp"))
    if timestamp is None:
        raise MalformedPayload(f"{where}.messageTimestamp missing or not a Unix time")
    from_me = bool(as_bool(message.get("fromMe")))
    is_group = bool(as_bool(message.get("isGroup"))) or jids.is_group(chat_jid)
    content = as_dict(message.get("content"))
    kind = _kind(message, content)
    text = as_str(message.get("text")) or (as_str(message.get("content")) if content is None else None)
    if text is None and content is not None:
        text = as_str(field(content, "text", "caption", "conversation"))
    phone, lid = (None, None) if is_group else _peer(message, chat, chat_jid, from_me)
    author_phone, author_lid = _author(message) if is_group else (None, None)
    group_name = as_str(message.get("groupName")) or (as_str(chat.get("name")) if chat else None)
    context = as_dict(field(content, "contextInfo"))
    reply_to = as_str(message.get("quoted")) or as_str(field(context, "stanzaID", "stanzaId"))
    quoted = as_dict(field(context, "quotedMessage"))
    return InboundMessage(
        message_id=strip_owner(raw_id),
        chat_jid=chat_jid,
        is_group=is_group,
        from_me=from_me,
        sent_by_api=bool(as_bool(message.get("wasSentByApi"))),
        timestamp=timestamp,
        kind=kind,
        phone=phone,
        lid=lid,
        push_name=None if from_me else as_str(message.get("senderName")),
        author_phone=author_phone,
        author_lid=author_lid,
        group_name=group_name if is_group and group_name != "Unknown" else None,
        text=None if kind == "reaction" else text,
        media=_media(message, content) if kind in MEDIA_KINDS else None,
        location=_location(content) if kind == "location" else None,
        contacts=_contacts(content) if kind == "contact" else (),
        reply_to_id=strip_owner(reply_to) if reply_to else None,
        reply_to_text=as_str(field(quoted, "conversation")) if quoted else None,
        reaction_target_id=_reaction_target(message, content) if kind == "reaction" else None,
        reaction_emoji=(text or "") if kind == "reaction" else None,
        status=(map_status(message.get("status")) or "SENT") if from_me else "RECEIVED",
        raw=message,
    )


def _kind(message: dict[str, Any], content: dict[str, Any] | None) -> MessageKind:
    media_type = (as_str(message.get("mediaType")) or "").lower()
    kind = KIND_BY_MEDIA.get(media_type)
    if kind is None:
        message_type = (as_str(message.get("messageType")) or as_str(message.get("type")) or "").lower()
        kind = KIND_BY_TYPE.get(message_type, "unknown")
    if kind == "audio" and as_bool(field(content, "PTT", "ptt")):
        kind = "ptt"
    return kind


def _peer(
    message: dict[str, Any], chat: dict[str, Any] | None, chat_jid: str, from_me: bool
) -> tuple[str | None, str | None]:
    # On fromMe messages sender_pn/sender_lid are the instance owner, not the contact.
    sender_pn = None if from_me else jids.phone_from_text(as_str(message.get("sender_pn")))
    phone = (
        sender_pn
        or jids.phone_digits(chat_jid)
        or jids.phone_digits(as_str(chat.get("wa_chatid")) if chat else None)
        or jids.phone_from_text(as_str(chat.get("phone")) if chat else None)
    )
    candidates = [] if from_me else [as_str(message.get("sender_lid")), as_str(message.get("sender"))]
    candidates += [chat_jid, as_str(chat.get("wa_chatlid")) if chat else None]
    lid = next((jids.normalise_lid(jid) for jid in candidates if jids.is_lid(jid)), None)
    return phone, lid


def _author(message: dict[str, Any]) -> tuple[str | None, str | None]:
    sender = as_str(message.get("sender"))
    phone = jids.phone_from_text(as_str(message.get("sender_pn"))) or jids.phone_digits(sender)
    lid_source = as_str(message.get("sender_lid")) or sender
    return phone, jids.normalise_lid(lid_source)


def _media(message: dict[str, Any], content: dict[str, Any] | None) -> MediaInfo:
    url = as_str(message.get("fileURL"))
    return MediaInfo(
        mimetype=as_str(field(content, "mimetype", "mimeType")),
        file_name=as_str(field(content, "fileName")),
        size=as_int(field(content, "fileLength")),
        seconds=as_int(field(content, "seconds")),
        url=url if url and url.startswith(("http://", "https://")) else None,
    )


def _location(content: dict[str, Any] | None) -> Location | None:
    latitude = as_float(field(content, "degreesLatitude"))
    longitude = as_float(field(content, "degreesLongitude"))
    if latitude is None or longitude is None:
        return None
    return Location(latitude, longitude, as_str(field(content, "name")), as_str(field(content, "address")))


def _contacts(content: dict[str, Any] | None) -> tuple[ContactCard, ...]:
    if content is None:
        return ()
    items = as_list(field(content, "contacts")) or [content]
    cards = (
        contact_card({"displayName": field(i, "displayName"), "vcard": field(i, "vcard")})
        for i in items
        if isinstance(i, dict)
    )
    return tuple(card for card in cards if card is not None)


def _reaction_target(message: dict[str, Any], content: dict[str, Any] | None) -> str | None:
    target = as_str(message.get("reaction")) or as_str(field(as_dict(field(content, "key")), "ID", "id"))
    return strip_owner(target) if target else None
