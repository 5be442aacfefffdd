"""The dashboard API of docs/api-crm.md (PRD epic 08: metrics, recent activities, recent conversations)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from evoai.dashboard import service
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, SettingsDep
from evoai.whatsapp import inbox

router = APIRouter(prefix="/dashboard", tags=["dashboard"], route_class=AutoCommitRoute)


@router.get("/metrics")
async def metrics(
    member: CurrentMember,
    session: DbSession,
    period: service.Period | None = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    tz: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    zone = await service.company_zone(session, member.company_id, tz)
    span = service.window(zone, period, start, end, now)
    return {"success": True, "data": await service.metrics(session, member.company_id, span, now)}


@router.get("/activities")
async def activities(
    member: CurrentMember,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    type: Annotated[str | None, Query(max_length=40, pattern=r"^[A-Z_]+$")] = None,
) -> dict[str, Any]:
    items = await service.recent_activities(session, member.company_id, limit=limit, type=type)
    return {"success": True, "data": items}


@router.get("/conversations/recent")
async def recent_conversations(
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    items, _, unread_total = await inbox.list_conversations(
        session, settings, member.company_id, inbox.ConversationFilters(), page=1, limit=limit
    )
    return {"success": True, "data": {"conversations": items, "unreadTotal": unread_total}}
