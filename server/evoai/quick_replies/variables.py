"""Filling a reply's `{{variables}}`: pure functions, so the rules are testable without a database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "America/Sao_Paulo"
VARIABLE = re.compile(r"\{\{\s*([A-Za-z][\w.]*)\s*\}\}")


@dataclass(frozen=True)
class ContactFacts:
    name: str | None = None
    push_name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class RenderContext:
    contact: ContactFacts
    company_name: str
    user_name: str
    timezone: str
    now: datetime


def _phone(digits: str | None) -> str:
    # Stored as WhatsApp's bare E.164 digits; people read and dial them with the "+".
    return f"+{digits}" if digits and digits.isdigit() else (digits or "")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def values(context: RenderContext) -> dict[str, str]:
    """Every known variable, keyed in lower case so `{{Contact.Name}}` works as well."""
    contact = context.contact
    person = (contact.name or "").strip() or (contact.push_name or "").strip()
    local = context.now.astimezone(_zone(context.timezone))
    return {
        "contact.name": person or _phone(contact.phone),
        # A greeting reads badly with a phone number as a first name: empty instead.
        "contact.firstname": person.split()[0] if person else "",
        "contact.phone": _phone(contact.phone),
        "contact.email": contact.email or "",
        "company.name": context.company_name,
        "user.name": context.user_name,
        "date": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M"),
    }


def render(template: str, context: RenderContext) -> str:
    known = values(context)
    return VARIABLE.sub(lambda m: known.get(m.group(1).lower(), m.group(0)), template)
