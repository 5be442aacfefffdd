"""Deal cards (the board's, the lists', the live events'): each deal with its contact and its note and
attachment counts, in one query whatever the number of cards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import ColumnElement, Row, Select, and_, case, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from evoai.config import Settings
from evoai.deals.serialise import iso, money
from evoai.models import Contact, Deal, DealAttachment, DealNote, Stage
from evoai.storage import StorageError, get_storage

log = structlog.get_logger(__name__)
# Won/lost columns show the deals closed this recently (open columns show every OPEN deal).
CLOSED_ON_BOARD = timedelta(days=30)
# A select of any columns (card queries get columns added by their callers).
AnySelect = Select[*tuple[Any, ...]]


# What a card shows of its deal. Columns, not Deal entities: building ORM objects was a quarter of
# a 300-card board's CPU (docs/benchmarks.md "CRM reading paths").
CARD_COLUMNS = (
    Deal.id,
    Deal.public_id,
    Deal.title,
    Deal.value,
    Deal.currency,
    Deal.status,
    Deal.priority,
    Deal.stage_id,
    Deal.funnel_id,
    Deal.contact_id,
    Deal.expected_close_date,
    Deal.stage_entered_at,
    Deal.last_activity_at,
)


@dataclass(frozen=True, slots=True)
class CardRow:
    deal: Row[Any]  # CARD_COLUMNS by name
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
            *CARD_COLUMNS,
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
    n = len(CARD_COLUMNS)
    return [
        CardRow(
            deal=row,
            contact_name=row[n],
            contact_phone=row[n + 1],
            avatar_key=row[n + 2],
            note_count=int(row[n + 3]),
            attachment_count=int(row[n + 4]),
            extra=tuple(row[n + 5 :]),
        )
        for row in (await session.execute(query)).all()
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


async def card_out(row: CardRow, signer: AvatarSigner, position: int | None = None) -> dict[str, Any]:
    """`position` is the card's 0-based index in its board column where the caller knows it (the
    board, live events); the stored fractional ordering key stays internal."""
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
        "position": position,
        "contact": contact,
        "expectedCloseDate": iso(deal.expected_close_date),
        "stageEnteredAt": iso(deal.stage_entered_at),
        "lastActivityAt": iso(deal.last_activity_at),
        "noteCount": row.note_count,
        "attachmentCount": row.attachment_count,
    }


async def cards_out(
    rows: list[CardRow], settings: Settings, *, positions: list[int] | None = None
) -> list[dict[str, Any]]:
    signer = AvatarSigner(settings)
    return [
        await card_out(row, signer, positions[n] if positions is not None else None)
        for n, row in enumerate(rows)
    ]


async def board_index(session: AsyncSession, company_id: uuid.UUID, deal_id: uuid.UUID) -> int | None:
    """The deal's 0-based index in its board column, or None when the column does not show it."""
    since = datetime.now(UTC) - CLOSED_ON_BOARD
    card, other = aliased(Deal), aliased(Deal)

    def shown(deal: Any) -> ColumnElement[bool]:
        return or_(
            deal.status == "OPEN", and_(or_(Stage.is_won_stage, Stage.is_lost_stage), deal.closed_at >= since)
        )

    before = (
        select(func.count())
        .select_from(other)
        .where(
            other.company_id == company_id,
            other.stage_id == card.stage_id,
            shown(other),
            tuple_(other.position, other.created_at, other.id)
            < tuple_(card.position, card.created_at, card.id),
        )
        .scalar_subquery()
    )
    query = (
        select(case((shown(card), before), else_=None))
        .select_from(card)
        .join(Stage, Stage.id == card.stage_id)
        .where(card.id == deal_id, card.company_id == company_id)
    )
    index = await session.scalar(query)
    return None if index is None else int(index)


async def load_card(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, deal_id: uuid.UUID
) -> dict[str, Any] | None:
    rows = await fetch_rows(session, card_select(company_id, select(Deal.id).where(Deal.id == deal_id)))
    return (await cards_out(rows, settings))[0] if rows else None
