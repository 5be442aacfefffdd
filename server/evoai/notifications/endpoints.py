from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from evoai.deps import AutoCommitRoute, CurrentMember, DbSession
from evoai.kit.pagination import PageParams, page_params
from evoai.kit.schemas import Pagination
from evoai.notifications import service

router = APIRouter(prefix="/notifications", tags=["notifications"], route_class=AutoCommitRoute)


@router.get("")
async def list_notifications(
    member: CurrentMember,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    unread: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    rows, total, unread_count = await service.list_for(
        session, company_id=member.company_id, user_id=member.user_id, params=params, unread_only=unread
    )
    return {
        "success": True,
        "data": [service.serialise(n) for n in rows],
        "pagination": Pagination.of(page=params.page, limit=params.limit, total=total).model_dump(),
        "unreadCount": unread_count,
    }


# The PRD names PATCH …/mark-all-read and PATCH …/:id/read; both spellings are served.
@router.post("/read-all")
@router.patch("/mark-all-read", include_in_schema=False)
async def read_all(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    count = await service.mark_all_read(session, company_id=member.company_id, user_id=member.user_id)
    return {"success": True, "data": {"updated": count}}


@router.post("/{notification_id}/read")
@router.patch("/{notification_id}/read", include_in_schema=False)
async def read_one(notification_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    notification = await service.mark_read(
        session, company_id=member.company_id, user_id=member.user_id, notification_id=notification_id
    )
    return {"success": True, "data": service.serialise(notification)}
