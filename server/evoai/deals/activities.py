"""A deal's activity log: every change is written here with who (a person, the AI, an automation)
made it, and read back newest first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deals.serialise import activity_out, people
from evoai.exceptions import ValidationFailed
from evoai.models import Deal, DealActivity

Actor = Literal["user", "ai", "automation"]
ActivityType = Literal[
    "CREATED",
    "UPDATED",
    "STAGE_CHANGED",
    "STATUS_CHANGED",
    "REOPENED",
    "NOTE_ADDED",
    "ATTACHMENT_ADDED",
    "ATTACHMENT_REMOVED",
    "VALUE_CHANGED",
    "CLONED",
]
_DESCRIPTION_MAX = 500


def log_activity(
    session: AsyncSession,
    deal: Deal,
    type: ActivityType,
    description: str,
    *,
    actor: Actor = "user",
    user_id: uuid.UUID | None = None,
    metadata: dict[str, Any] | None = None,
) -> DealActivity:
    # The timestamp comes from the clock, not the transaction start (now()): several entries written
    # by one request (a move into a won stage logs the move and the status) keep their order.
    activity = DealActivity(
        id=uuid.uuid4(),
        company_id=deal.company_id,
        deal_id=deal.id,
        user_id=user_id,
        actor=actor,
        type=type,
        description=description[:_DESCRIPTION_MAX],
        payload=metadata or {},
        created_at=datetime.now(UTC),
    )
    session.add(activity)  # flushed with the next query: bulk moves log many without a round trip each
    deal.last_activity_at = activity.created_at
    return activity


async def list_activities(
    session: AsyncSession,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    *,
    limit: int = 50,
    before: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """Newest first; `before` is the id of the last activity already shown."""
    query = select(DealActivity).where(DealActivity.company_id == company_id, DealActivity.deal_id == deal_id)
    if before is not None:
        cursor = (
            await session.execute(
                select(DealActivity.created_at, DealActivity.id).where(
                    DealActivity.company_id == company_id,
                    DealActivity.deal_id == deal_id,
                    DealActivity.id == before,
                )
            )
        ).first()
        if cursor is None:
            raise ValidationFailed(
                "Dados inválidos — before: atividade não encontrada neste negócio",
                details=[{"field": "before", "message": "unknown activity"}],
            )
        at, last_id = cursor
        query = query.where(
            or_(
                DealActivity.created_at < at,
                and_(DealActivity.created_at == at, DealActivity.id < last_id),
            )
        )
    rows = list(
        (
            await session.scalars(
                query.order_by(DealActivity.created_at.desc(), DealActivity.id.desc()).limit(limit)
            )
        ).all()
    )
    names = await people(session, (row.user_id for row in rows))
    return [activity_out(row, names) for row in rows]
