"""The Kanban board of a funnel, and searching its deals.

The board is four queries whatever its size: the funnel, its stages with their counts, the cards
(at most MAX_CARDS_PER_COLUMN per column, one LIMIT per column) and each column's total count and
value.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, true
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

    def on_board(query: Any) -> Any:
        """`query` over deals joined to their stage, narrowed to what the board shows."""
        query = query.where(
            Deal.company_id == company_id,
            Deal.funnel_id == funnel.id,
            or_(
                Deal.status == "OPEN",
                and_(or_(Stage.is_won_stage, Stage.is_lost_stage), Deal.closed_at >= since),
            ),
        )
        if search:
            query = query.outerjoin(
                Contact, and_(Contact.id == Deal.contact_id, Contact.company_id == company_id)
            ).where(search_condition(search))
        if owner_id is not None:
            query = query.where(Deal.created_by == owner_id)
        return query

    # One LIMIT per column, read off ix_deals_board in the column's order: numbering every deal of
    # the funnel to keep 50 per column sorted all of them (17 ms for 3,600 deals).
    order = (Deal.position, Deal.created_at, Deal.id)
    column_page = (
        on_board(select(Deal.id).where(Deal.stage_id == Stage.id))
        .order_by(*order)
        .limit(MAX_CARDS_PER_COLUMN)
    ).lateral("column_page")
    shown = (
        select(column_page.c.id)
        .select_from(Stage)
        .join(column_page, true())
        .where(Stage.company_id == company_id, Stage.funnel_id == funnel.id)
    )
    rows = await fetch_rows(session, card_select(company_id, shown).order_by(Deal.stage_id, *order))
    totals = {
        stage_id: (count, value)
        for stage_id, count, value in await session.execute(
            on_board(
                select(Deal.stage_id, func.count(), func.sum(Deal.value)).join(
                    Stage, and_(Stage.id == Deal.stage_id, Stage.company_id == company_id)
                )
            ).group_by(Deal.stage_id)
        )
    }
    by_stage: dict[uuid.UUID, list[CardRow]] = defaultdict(list)
    for row in rows:
        by_stage[row.deal.stage_id].append(row)
    columns = []
    for stage, counts in stages:
        cards = by_stage.get(stage.id, [])
        total, value = totals.get(stage.id, (0, 0))
        columns.append(
            {
                "stage": stage_out(stage, counts),
                "deals": await cards_out(cards, settings, positions=list(range(len(cards)))),
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
