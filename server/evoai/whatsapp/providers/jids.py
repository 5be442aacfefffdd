"""WhatsApp JIDs: `<digits>@s.whatsapp.net` (phone), `<id>@lid` (linked identity, not a phone),
`<id>@g.us` (group), plus device suffixes (`5511…:12@s.whatsapp.net`) that name the same user."""

from __future__ import annotations

import re

PHONE_SERVER = "s.whatsapp.net"
LEGACY_PHONE_SERVER = "c.us"
LID_SERVER = "lid"
GROUP_SERVER = "g.us"

_NON_DIGITS = re.compile(r"\D")
_DIGITS = re.compile(r"^\d{5,20}$")


def server(jid: str) -> str:
    return jid.rsplit("@", 1)[1].lower() if "@" in jid else ""


def user(jid: str) -> str:
    """The part before `@`, without a device suffix."""
    return jid.split("@", 1)[0].split(":", 1)[0]


def is_group(jid: str | None) -> bool:
    return bool(jid) and server(jid or "") == GROUP_SERVER


def is_lid(jid: str | None) -> bool:
    return bool(jid) and server(jid or "") == LID_SERVER


def is_phone_jid(jid: str | None) -> bool:
    if not jid or server(jid) not in (PHONE_SERVER, LEGACY_PHONE_SERVER):
        return False
    return bool(_DIGITS.match(user(jid)))


def is_broadcast(jid: str | None) -> bool:
    """Status stories and channels: never an inbox conversation."""
    return bool(jid) and (server(jid or "") in ("broadcast", "newsletter"))


def phone_digits(jid: str | None) -> str | None:
    """Digits of a phone JID; None for LIDs, groups and anything else."""
    return user(jid) if jid and is_phone_jid(jid) else None


def normalise_lid(jid: str | None) -> str | None:
    """`<id>@lid` without device suffix, or None when `jid` is not a LID."""
    if not jid or not is_lid(jid) or not user(jid):
        return None
    return f"{user(jid)}@{LID_SERVER}"


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


def phone_jid(number: str) -> str:
    """`+55 (11) 98765-4321` → `5511987654321@s.whatsapp.net`."""
    return f"{digits(number)}@{PHONE_SERVER}"


def phone_from_text(text: str | None) -> str | None:
    """Digits of a human-formatted or JID phone number, when it plausibly is one."""
    if not text:
        return None
    if "@" in text:
        return phone_digits(text)
    number = digits(text)
    return number if _DIGITS.match(number) else None
