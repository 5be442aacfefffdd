"""The Kanban board of a funnel, and searching its deals.

The board is three queries whatever its size: the funnel, its stages with their counts, and the
cards. The cards query numbers each column's deals (window functions) to keep at most
MAX_CARDS_PER_COLUMN per column, and carries each column's total count and value alongside.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.deals.cards import CLOSED_ON_BOARD, CardRow, card_select, cards_out, fetch_rows
from evoai.deals.serialise import money
from evoai.deals.service import search_condition
from evoai.funnels.queries import funnel_out, get_funnel, stage_out, stages_with_counts
from evoai.models import Contact, Deal, Stage

# A column shows its first 50 cards (its total and value count them all); search reaches the rest.
MAX_CARDS_PER_COLUMN = 50
SEARCH_RESULTS = 50


async def board(
    session: AsyncSession,
    settings: Settings,
    company_id: uuid.UUID,
    funnel_id: uuid.UUID,
    *,
    search: str | None = None,
    owner_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """OPEN deals of every stage, plus the deals closed in the last 30 days in won/lost columns."""
    funnel = await get_funnel(session, company_id, funnel_id)
    stages = await stages_with_counts(session, company_id, [funnel.id])
    since = datetime.now(UTC) - CLOSED_ON_BOARD
    inner = (
        select(
            Deal.id.label("id"),
            func.row_number()
            .over(partition_by=Deal.stage_id, order_by=(Deal.position, Deal.created_at, Deal.id))
            .label("rn"),
            func.count().over(partition_by=Deal.stage_id).label("column_total"),
            func.sum(Deal.value).over(partition_by=Deal.stage_id).label("column_value"),
        )
        .join(Stage, and_(Stage.id == Deal.stage_id, Stage.company_id == company_id))
        .where(
            Deal.company_id == company_id,
            Deal.funnel_id == funnel.id,
            or_(
                Deal.status == "OPEN",
                and_(or_(Stage.is_won_stage, Stage.is_lost_stage), Deal.closed_at >= since),
            ),
        )
    )
    if search:
        inner = inner.outerjoin(
            Contact, and_(Contact.id == Deal.contact_id, Contact.company_id == company_id)
        ).where(search_condition(search))
    if owner_id is not None:
        inner = inner.where(Deal.created_by == owner_id)
    numbered = inner.cte("board_cards")
    shown = select(numbered.c.id).where(numbered.c.rn <= MAX_CARDS_PER_COLUMN)
    query = (
        card_select(company_id, shown)
        .join(numbered, numbered.c.id == Deal.id)
        .add_columns(numbered.c.column_total, numbered.c.column_value, numbered.c.rn)
        .order_by(Deal.stage_id, numbered.c.rn)
    )
    rows = await fetch_rows(session, query)
    by_stage: dict[uuid.UUID, list[CardRow]] = defaultdict(list)
    for row in rows:
        by_stage[row.deal.stage_id].append(row)
    columns = []
    for stage, counts in stages:
        cards = by_stage.get(stage.id, [])
        total, value = (cards[0].extra[0], cards[0].extra[1]) if cards else (0, 0)
        columns.append(
            {
                "stage": stage_out(stage, counts),
                "deals": await cards_out(cards, settings, positions=[int(c.extra[2]) - 1 for c in cards]),
                "total": int(total),
                "totalValue": money(value),
            }
        )
    return {"funnel": funnel_out(funnel, stages), "columns": columns}


async def search_deals(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, funnel_id: uuid.UUID, term: str
) -> list[dict[str, Any]]:
    """Deals of any status whose title, contact name or phone matches, most recently active first."""
    funnel = await get_funnel(session, company_id, funnel_id)
    ids = (
        select(Deal.id)
        .outerjoin(Contact, and_(Contact.id == Deal.contact_id, Contact.company_id == company_id))
        .where(Deal.company_id == company_id, Deal.funnel_id == funnel.id, search_condition(term))
    )
    query = card_select(company_id, ids).order_by(Deal.last_activity_at.desc(), Deal.id).limit(SEARCH_RESULTS)
    return await cards_out(await fetch_rows(session, query), settings)
