"""Deal cards (the board's, the lists', the live events'): each deal with its contact and its note and
attachment counts, in one query whatever the number of cards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.deals.serialise import iso, money
from evoai.models import Contact, Deal, DealAttachment, DealNote
from evoai.storage import StorageError, get_storage

log = structlog.get_logger(__name__)
# A select of any columns (card queries get columns added by their callers).
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class CardRow:
    deal: Deal
    contact_name: str | None
    contact_phone: str | None
    avatar_key: str | None
    note_count: int
    attachment_count: int
    extra: tuple[Any, ...] = ()


def card_select(company_id: uuid.UUID, ids: Select[uuid.UUID]) -> AnySelect:
    """The cards of the deals `ids` selects. Counts come from grouped subqueries limited to those
    deals, so the database counts only what is shown. Callers add ordering, paging and columns."""
    scoped = ids.correlate(None)
    notes = (
        select(DealNote.deal_id.label("deal_id"), func.count().label("n"))
        .where(DealNote.company_id == company_id, DealNote.deal_id.in_(scoped))
        .group_by(DealNote.deal_id)
        .subquery("note_counts")
    )
    attachments = (
        select(DealAttachment.deal_id.label("deal_id"), func.count().label("n"))
        .where(DealAttachment.company_id == company_id, DealAttachment.deal_id.in_(scoped))
        .group_by(DealAttachment.deal_id)
        .subquery("attachment_counts")
    )
    return (
        select(
            Deal,
            func.coalesce(Contact.name, Contact.push_name),
            Contact.phone_number,
            Contact.avatar_key,
            func.coalesce(notes.c.n, 0),
            func.coalesce(attachments.c.n, 0),
        )
        .outerjoin(Contact, and_(Contact.id == Deal.contact_id, Contact.company_id == company_id))
        .outerjoin(notes, notes.c.deal_id == Deal.id)
        .outerjoin(attachments, attachments.c.deal_id == Deal.id)
        .where(Deal.company_id == company_id, Deal.id.in_(scoped))
    )


async def fetch_rows(session: AsyncSession, query: AnySelect) -> list[CardRow]:
    # populate_existing: deals this request changed carry expired server-side columns (updated_at),
    # which async code must not lazy-load.
    rows = (await session.execute(query.execution_options(populate_existing=True))).all()
    return [
        CardRow(
            deal=row[0],
            contact_name=row[1],
            contact_phone=row[2],
            avatar_key=row[3],
            note_count=int(row[4]),
            attachment_count=int(row[5]),
            extra=tuple(row[6:]),
        )
        for row in rows
    ]


class AvatarSigner:
    """Signs contact photo links once per key for one answer."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._cache: dict[str, str | None] = {}

    async def url(self, key: str | None) -> str | None:
        if not key:
            return None
        if key not in self._cache:
            try:
                self._cache[key] = await get_storage(self._settings).signed_url(
                    key, ttl_seconds=self._settings.MEDIA_URL_TTL_SECONDS
                )
            except StorageError:
                log.warning("deals.avatar_unsigned", key=key)
                self._cache[key] = None
        return self._cache[key]


async def card_out(row: CardRow, signer: AvatarSigner) -> dict[str, Any]:
    deal = row.deal
    contact = None
    if deal.contact_id is not None:
        contact = {
            "id": str(deal.contact_id),
            "name": row.contact_name,
            "phoneNumber": row.contact_phone,
            "avatarUrl": await signer.url(row.avatar_key),
        }
    return {
        "id": str(deal.id),
        "publicId": deal.public_id,
        "title": deal.title,
        "value": money(deal.value),
        "currency": deal.currency,
        "status": deal.status,
        "priority": deal.priority,
        "stageId": str(deal.stage_id),
        "funnelId": str(deal.funnel_id),
        "position": deal.position,
        "contact": contact,
        "expectedCloseDate": iso(deal.expected_close_date),
        "stageEnteredAt": iso(deal.stage_entered_at),
        "lastActivityAt": iso(deal.last_activity_at),
        "noteCount": row.note_count,
        "attachmentCount": row.attachment_count,
    }


async def cards_out(rows: list[CardRow], settings: Settings) -> list[dict[str, Any]]:
    signer = AvatarSigner(settings)
    return [await card_out(row, signer) for row in rows]


async def load_card(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, deal_id: uuid.UUID
) -> dict[str, Any] | None:
    rows = await fetch_rows(session, card_select(company_id, select(Deal.id).where(Deal.id == deal_id)))
    return (await cards_out(rows, settings))[0] if rows else None
