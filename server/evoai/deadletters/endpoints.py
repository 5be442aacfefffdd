"""The dead-letters API of docs/api-dead-letters.md: company admins only, their company's jobs only."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from evoai.deadletters import service
from evoai.deadletters.schemas import StatusFilter
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, Member
from evoai.kit.pagination import PageParams, page_params
from evoai.kit.schemas import Pagination

router = APIRouter(prefix="/dead-letters", tags=["dead-letters"], route_class=AutoCommitRoute)

QueueFilter = Literal["message-worker", "followup-worker", "embedding-worker", "flow-worker"]


async def company_admin(member: CurrentMember) -> Member:
    service.require_admin(member.is_admin)
    return member


CompanyAdmin = Annotated[Member, Depends(company_admin)]


@router.get("")
async def list_dead_letters(
    admin: CompanyAdmin,
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    queue: Annotated[QueueFilter | None, Query()] = None,
    status: Annotated[StatusFilter, Query()] = "DEAD",
) -> dict[str, Any]:
    rows, total, counts = await service.list_letters(
        session, admin.company_id, queue=queue, status=status, params=params
    )
    return {
        "success": True,
        "data": [service.summary(r) for r in rows],
        "pagination": Pagination.of(page=params.page, limit=params.limit, total=total).model_dump(),
        "countsByQueue": counts,
    }


@router.get("/{letter_id}")
async def get_dead_letter(letter_id: uuid.UUID, admin: CompanyAdmin, session: DbSession) -> dict[str, Any]:
    letter = await service.get_letter(session, admin.company_id, letter_id)
    return {"success": True, "data": service.detail(letter)}


@router.post("/{letter_id}/retry")
async def retry_dead_letter(letter_id: uuid.UUID, admin: CompanyAdmin, session: DbSession) -> dict[str, Any]:
    letter = await service.retry(session, admin.company_id, letter_id, admin.user_id)
    return {"success": True, "data": service.detail(letter)}


@router.post("/{letter_id}/discard")
async def discard_dead_letter(
    letter_id: uuid.UUID, admin: CompanyAdmin, session: DbSession
) -> dict[str, Any]:
    letter = await service.discard(session, admin.company_id, letter_id, admin.user_id)
    return {"success": True, "data": service.detail(letter)}
