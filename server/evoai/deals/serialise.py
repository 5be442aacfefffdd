"""JSON shapes of deals, activities, notes and attachments (docs/api-crm.md, Deals), shared by the API
and the realtime events so a live event and a fetch always agree."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import DealActivity, DealNote, Profile


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def money(value: Decimal | int | float | None) -> float:
    """Money is a JSON number with two decimals."""
    return float(round(Decimal(value or 0), 2))


async def people(session: AsyncSession, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Full names of the given users (profiles are not tenant rows; only ids we already hold are asked)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Profile.user_id, Profile.full_name).where(Profile.user_id.in_(wanted))
    )
    return {user_id: name for user_id, name in rows.all()}


def person(user_id: uuid.UUID | None, names: dict[uuid.UUID, str]) -> dict[str, Any] | None:
    if user_id is None:
        return None
    return {"id": str(user_id), "fullName": names.get(user_id, "")}


def activity_out(activity: DealActivity, names: dict[uuid.UUID, str]) -> dict[str, Any]:
    return {
        "id": str(activity.id),
        "dealId": str(activity.deal_id),
        "type": activity.type,
        "description": activity.description,
        "metadata": activity.payload,
        "actor": activity.actor,
        "createdBy": person(activity.user_id, names),
        "createdAt": iso(activity.created_at),
    }


def note_out(note: DealNote, names: dict[uuid.UUID, str]) -> dict[str, Any]:
    return {
        "id": str(note.id),
        "dealId": str(note.deal_id),
        "title": note.title,
        "content": note.content,
        "contentHtml": note.content_html,
        "createdBy": person(note.user_id, names),
        "createdAt": iso(note.created_at),
        "updatedAt": iso(note.updated_at),
    }
