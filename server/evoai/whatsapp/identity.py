"""Who a phone number is: one key per person, whatever form WhatsApp or a user writes it in.

Brazilian mobiles are written with or without the 9th digit (WhatsApp's own JIDs drop it for DDD ≥ 31),
so their key is country + DDD + the last 8 digits; other numbers are keyed by their digits.
"""

from __future__ import annotations

from evoai.whatsapp.providers import jids


def digits(value: str) -> str:
    """Digits of a number or of a JID's user part (`5511…:12@s.whatsapp.net` → `5511…`)."""
    return jids.digits(jids.user(value))


def phone_key(number: str) -> str | None:
    """The identity key of a phone number, or None when it cannot be a phone number (E.164: 8-15 digits)."""
    d = digits(number)
    if not 8 <= len(d) <= 15:
        return None
    if d.startswith("55") and len(d) in (12, 13):
        ddd, subscriber = d[2:4], d[4:]
        is_mobile = (len(subscriber) == 9 and subscriber[0] == "9") or (
            len(subscriber) == 8 and subscriber[0] in "6789"
        )
        if is_mobile:
            return f"55{ddd}{subscriber[-8:]}"
    return d
