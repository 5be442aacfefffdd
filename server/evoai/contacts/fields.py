"""Contact fields as people type them (forms and spreadsheets alike): phone numbers, e-mails, names."""

from __future__ import annotations

import json
from typing import Any

from email_validator import EmailNotValidError, validate_email

from evoai.models import Contact

# What people put around the digits of a number: "+55 (11) 98765-4321", "11.98765.4321".
_PHONE_PUNCTUATION = str.maketrans("", "", "+ -.()\t\u00a0")
PHONE_RULE = "use de 8 a 15 dígitos, com o código do país (ex.: 5511987654321)"
NAME_MAX = 255
NOTES_MAX = 10_000
EMAIL_MAX = 255
CUSTOM_FIELDS_MAX_KEYS = 50
CUSTOM_FIELDS_MAX_CHARS = 10_000


def phone_digits(raw: str) -> str | None:
    """The digits of a typed number, or None unless they are 8-15 ASCII digits (E.164)."""
    digits = raw.strip().translate(_PHONE_PUNCTUATION)
    if not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 15):
        return None
    return digits


def looks_like_phone(term: str) -> str | None:
    """A search term that is a number written with punctuation, as its digits (for the search column)."""
    digits = term.strip().translate(_PHONE_PUNCTUATION)
    return digits if digits.isascii() and digits.isdigit() else None


def email_or_none(raw: str | None) -> str | None:
    """A normalised e-mail; blank is None. Raises ValueError with a sentence for people."""
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > EMAIL_MAX:
        raise ValueError(f"e-mail com mais de {EMAIL_MAX} caracteres")
    try:
        # No DNS lookups: a request must not wait on (or leak to) somebody's mail server.
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("e-mail inválido") from None


def text_or_none(raw: str | None) -> str | None:
    value = (raw or "").strip()
    return value or None


def check_custom_fields(value: dict[str, Any]) -> dict[str, Any]:
    if len(value) > CUSTOM_FIELDS_MAX_KEYS:
        raise ValueError(f"no máximo {CUSTOM_FIELDS_MAX_KEYS} campos")
    if any(not key.strip() or len(key) > 100 for key in value):
        raise ValueError("nomes de campo devem ter de 1 a 100 caracteres")
    encoded = json.dumps(value, ensure_ascii=False)
    if len(encoded) > CUSTOM_FIELDS_MAX_CHARS:
        raise ValueError(f"no máximo {CUSTOM_FIELDS_MAX_CHARS} caracteres no total")
    if "\\u0000" in encoded:
        raise ValueError("não pode conter o caractere NUL")
    return value


def display_name(contact: Contact) -> str:
    return contact.name or contact.push_name or contact.phone_number or f"Contato #{contact.public_id}"
