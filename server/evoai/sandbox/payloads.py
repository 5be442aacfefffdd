"""Identifiers, JIDs and the JSON encodings Evolution 2.3.7 (Baileys 7 rc.9) puts in its payloads."""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import time
import uuid
from datetime import datetime
from typing import Any

JSON = dict[str, Any]

PN_SUFFIX = "@s.whatsapp.net"
LID_SUFFIX = "@lid"
GROUP_SUFFIX = "@g.us"
_BR_MOBILE = re.compile(r"^(\d{2})(\d{2})\d(\d{8})$")
# Baileys' pairing codes avoid characters that are easy to misread (0/O, 1/I, U/V).
_PAIRING_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ"
_BASE36 = string.digits + string.ascii_lowercase


def index_bytes(data: bytes) -> dict[str, int]:
    """A Uint8Array as JSON.stringify writes it (2.3.6+ emits bytes this way)."""
    return {str(position): value for position, value in enumerate(data)}


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def long_value(value: int, *, unsigned: bool) -> JSON:
    """A long.js object: 2.3.6+ emits every int64/uint64 proto field like this."""
    return {"low": _int32(value), "high": _int32(value >> 32), "unsigned": unsigned}


def now_seconds() -> int:
    return int(time.time())


def evolution_date_time() -> str:
    """`date_time` of the envelope: local wall-clock time with a `Z` suffix (Evolution's quirk)."""
    wall = datetime.now()
    return wall.strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall.microsecond // 1000:03d}Z"


def api_message_id() -> str:
    """Ids of messages sent through the API: `3EB0` + 18 hex digits (Baileys' web client ids)."""
    return "3EB0" + secrets.token_hex(9).upper()


def phone_message_id() -> str:
    """Ids of messages typed on an Android phone: 32 hex digits."""
    return secrets.token_hex(16).upper()


def instance_uuid() -> str:
    return str(uuid.uuid4())


def instance_token() -> str:
    return str(uuid.uuid4()).upper()


def row_id() -> str:
    """A cuid-like database row id, like Evolution's Prisma ids (`messageId` of messages.update)."""
    stamp = int(time.time() * 1000)
    encoded = ""
    while stamp:
        stamp, digit = divmod(stamp, 36)
        encoded = _BASE36[digit] + encoded
    return "c" + encoded + "".join(secrets.choice(_BASE36) for _ in range(24 - len(encoded)))


def pairing_code() -> str:
    return "".join(secrets.choice(_PAIRING_ALPHABET) for _ in range(8))


def qr_payload() -> str:
    """Shaped like Baileys' QR payload: ref, noise key, identity key, adv secret."""

    def part(size: int) -> str:
        return secrets.token_urlsafe(size).replace("-", "+").replace("_", "/") + "="

    return f"2@{part(60)},{part(32)},{part(32)},{part(32)},1"


def qr_data_url(code: str) -> str:
    import segno

    return str(segno.make(code, error="h").png_data_uri(scale=4, border=3))


def owner_number() -> str:
    """A São Paulo mobile for a freshly linked instance: 5511 9xxxx xxxx."""
    return "55119" + "".join(secrets.choice(string.digits) for _ in range(8))


def lid_for(number: str) -> str:
    """A stable 15-digit LID for a phone number: the same customer keeps the same LID across restarts."""
    digest = int.from_bytes(hashlib.sha256(number.encode()).digest()[:8], "big")
    return "1" + str(digest % 10**14).zfill(14)


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def create_jid(number: str) -> str:
    """Evolution's createJid: full JIDs pass, digits are normalised (Brazil's 9th digit, MX/AR 3rd)."""
    number = re.sub(r":\d+", "", number)
    if any(suffix in number for suffix in (GROUP_SUFFIX, PN_SUFFIX, LID_SUFFIX, "@broadcast")):
        return number
    plain = digits(number.split("@")[0])
    if len(plain) >= 18:
        return plain + GROUP_SUFFIX
    if plain[:2] in ("52", "54") and len(plain) == 13:
        plain = plain[:2] + plain[3:]
    match = _BR_MOBILE.match(plain)
    if match and match.group(1) == "55" and int(match.group(2)) >= 31 and int(match.group(3)[0]) >= 7:
        plain = match.group(1) + match.group(2) + match.group(3)
    return plain + PN_SUFFIX


def jid_user(jid: str) -> str:
    return jid.split("@")[0].split(":")[0]


def is_on_whatsapp(number: str) -> bool:
    """The sandbox's world: every number with 10 to 15 digits has WhatsApp."""
    return 10 <= len(number) <= 15 and number.isdigit()


def message_context_info() -> JSON:
    """Encryption bookkeeping every phone-sent message carries; receivers ignore it."""
    now = now_seconds()
    return {
        "deviceListMetadata": {
            "senderKeyHash": index_bytes(secrets.token_bytes(10)),
            "senderTimestamp": long_value(now - 777_600, unsigned=True),
            "recipientKeyHash": index_bytes(secrets.token_bytes(10)),
            "recipientTimestamp": long_value(now - 172_800, unsigned=True),
        },
        "deviceListMetadataVersion": 2,
        "messageSecret": index_bytes(secrets.token_bytes(32)),
    }


def default_send_context() -> JSON:
    """The contextInfo Evolution injects into every 1:1 send."""
    return {
        "mentionedJid": [],
        "groupMentions": [],
        "ephemeralSettingTimestamp": long_value(now_seconds() - 172_800, unsigned=False),
        "disappearingMode": {"initiator": 0},
    }


def error_body(status: int, message: Any) -> JSON:
    reasons = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        500: "Internal Server Error",
    }
    return {"status": status, "error": reasons.get(status, "Error"), "response": {"message": message}}
