"""Funnel statistics over the deals created in a period (docs/api-crm.md, GET /api/funnels/:id/stats).

- conversionRate = deals won / deals created, both among the deals created in the period (the base
  is returned as conversionBase so the UI can show "12 / 100").
- averageDealValue counts deals with a value above zero; averageCycleTime is creation → win, in days.
- Per stage: dealCount/dealValue are the period's deals now in the stage; contactCount the contacts
  in it now. conversionToNext is the share of the period's deals that reached the stage and later
  entered a stage further down the funnel that is not a lost stage; averageDaysInStage is the mean
  length of finished stays. Both read deal_stage_periods and are null for won/lost stages (nothing
  comes after a win, and a closed deal's stay there ends when it closes).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deals.serialise import money
from evoai.funnels.queries import get_funnel, stages_with_counts
from evoai.models import Company

DEFAULT_ZONE = "America/Sao_Paulo"

_TOTALS = text(
    """
    SELECT count(*) AS created,
           coalesce(sum(value), 0) AS total_value,
           count(*) FILTER (WHERE status = 'WON') AS won,
           coalesce(sum(value) FILTER (WHERE status = 'WON'), 0) AS won_value,
           count(*) FILTER (WHERE status = 'LOST') AS lost,
           coalesce(sum(value) FILTER (WHERE status = 'LOST'), 0) AS lost_value,
           count(*) FILTER (WHERE status = 'OPEN') AS open,
           coalesce(sum(value) FILTER (WHERE status = 'OPEN'), 0) AS open_value,
           avg(value) FILTER (WHERE value > 0) AS average_value,
           avg(extract(epoch FROM closed_at - created_at)) FILTER (WHERE status = 'WON') / 86400
             AS cycle_days
    FROM deals
    WHERE company_id = :company AND funnel_id = :funnel AND created_at >= :start AND created_at < :end
    """
)
_BY_STAGE = text(
    """
    SELECT stage_id, count(*) AS deals, coalesce(sum(value), 0) AS value
    FROM deals
    WHERE company_id = :company AND funnel_id = :funnel AND created_at >= :start AND created_at < :end
    GROUP BY stage_id
    """
)
_STAYS = text(
    """
    WITH stays AS (
      SELECT p.deal_id, p.stage_id, p.entered_at, p.exited_at, s.position, s.is_lost_stage
      FROM deal_stage_periods p
      JOIN deals d ON d.id = p.deal_id AND d.company_id = :company
      JOIN funnel_stages s ON s.id = p.stage_id AND s.company_id = :company
      WHERE p.company_id = :company AND p.funnel_id = :funnel
        AND d.created_at >= :start AND d.created_at < :end
    ),
    reached AS (
      SELECT stage_id, position, deal_id, min(entered_at) AS first_entered
      FROM stays GROUP BY stage_id, position, deal_id
    ),
    conversion AS (
      SELECT r.stage_id,
             count(*) AS reached,
             count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM stays later
               WHERE later.deal_id = r.deal_id AND later.position > r.position
                 AND NOT later.is_lost_stage AND later.entered_at >= r.first_entered
             )) AS advanced
      FROM reached r
      GROUP BY r.stage_id
    ),
    durations AS (
      SELECT stage_id, avg(extract(epoch FROM exited_at - entered_at)) / 86400 AS days
      FROM stays WHERE exited_at IS NOT NULL
      GROUP BY stage_id
    )
    SELECT coalesce(c.stage_id, d.stage_id) AS stage_id, c.reached, c.advanced, d.days
    FROM conversion c FULL JOIN durations d ON d.stage_id = c.stage_id
    """
)


async def company_zone(session: AsyncSession, company_id: uuid.UUID) -> ZoneInfo:
    """The company's time zone, in which bare dates of a period are read."""
    name = await session.scalar(select(Company.timezone).where(Company.id == company_id))
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


def _days(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 2)


async def funnel_stats(
    session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID, *, start: datetime, end: datetime
) -> dict[str, Any]:
    funnel = await get_funnel(session, company_id, funnel_id)
    params = {"company": company_id, "funnel": funnel.id, "start": start, "end": end}
    totals = (await session.execute(_TOTALS, params)).mappings().one()
    by_stage = {row.stage_id: row for row in (await session.execute(_BY_STAGE, params)).all()}
    stays = {row.stage_id: row for row in (await session.execute(_STAYS, params)).all()}
    stages = await stages_with_counts(session, company_id, [funnel.id])

    stage_stats = []
    for stage, counts in stages:
        closing = stage.is_won_stage or stage.is_lost_stage
        current = by_stage.get(stage.id)
        stay = stays.get(stage.id)
        reached = int(stay.reached or 0) if stay else 0
        advanced = int(stay.advanced or 0) if stay else 0
        stage_stats.append(
            {
                "stageId": str(stage.id),
                "stageName": stage.name,
                "order": stage.position + 1,
                "isWonStage": stage.is_won_stage,
                "isLostStage": stage.is_lost_stage,
                "dealCount": int(current.deals) if current else 0,
                "dealValue": money(current.value if current else 0),
                "contactCount": counts.contacts,
                "reachedCount": reached,
                "conversionToNext": None if closing else _percent(advanced, reached),
                "averageDaysInStage": None if closing or stay is None else _days(stay.days),
            }
        )
    created, won = int(totals["created"]), int(totals["won"])
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "totalContacts": sum(counts.contacts for _, counts in stages),
        "totalDeals": created,
        "totalValue": money(totals["total_value"]),
        "wonDeals": won,
        "wonValue": money(totals["won_value"]),
        "lostDeals": int(totals["lost"]),
        "lostValue": money(totals["lost_value"]),
        "openDeals": int(totals["open"]),
        "openValue": money(totals["open_value"]),
        "conversionRate": _percent(won, created) or 0.0,
        "conversionBase": {"won": won, "created": created},
        "averageDealValue": money(totals["average_value"]),
        "averageCycleTime": _days(totals["cycle_days"]),
        "stageStats": stage_stats,
    }
