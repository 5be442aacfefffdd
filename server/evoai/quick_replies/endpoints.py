"""The quick-replies API of docs/api-crm.md."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from evoai.deps import AutoCommitRoute, CurrentMember, DbSession
from evoai.quick_replies import service
from evoai.quick_replies.schemas import QuickReplyIn, QuickReplyUpdate, RenderedOut, RenderIn

router = APIRouter(prefix="/quick-replies", tags=["quick-replies"], route_class=AutoCommitRoute)


@router.get("")
async def list_quick_replies(
    member: CurrentMember,
    session: DbSession,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    rows = await service.list_replies(session, member, search)
    return {"success": True, "data": [service.reply_out(r) for r in rows]}


@router.post("", status_code=201)
async def create_quick_reply(data: QuickReplyIn, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    reply = await service.create_reply(session, member, data)
    return {"success": True, "data": service.reply_out(reply)}


@router.put("/{reply_id}")
async def update_quick_reply(
    reply_id: uuid.UUID, data: QuickReplyUpdate, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    reply = await service.update_reply(session, member, reply_id, data)
    return {"success": True, "data": service.reply_out(reply)}


@router.delete("/{reply_id}")
async def delete_quick_reply(
    reply_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    await service.delete_reply(session, member, reply_id)
    return {"success": True, "message": "Resposta rápida excluída"}


@router.post("/{reply_id}/render")
async def render_quick_reply(
    reply_id: uuid.UUID, member: CurrentMember, session: DbSession, data: RenderIn | None = None
) -> dict[str, Any]:
    text = await service.render_reply(session, member, reply_id, data or RenderIn(), datetime.now(UTC))
    return {"success": True, "data": RenderedOut(text=text).model_dump(by_alias=True)}
