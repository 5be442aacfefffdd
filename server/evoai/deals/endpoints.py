"""The deals API of docs/api-crm.md."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, File, Query, UploadFile

from evoai.deals import activities, attachments, moves, notes, service
from evoai.deals.schemas import DealCreate, DealUpdate, DuplicateIn, MoveIn, NoteIn, ReopenIn, search_term
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, Member, SettingsDep
from evoai.exceptions import Forbidden, ValidationFailed

router = APIRouter(prefix="/deals", tags=["deals"], route_class=AutoCommitRoute)


def _require_manage(member: Member) -> None:
    if not member.can("canManageContacts"):
        raise Forbidden("Você não tem permissão para alterar negócios (canManageContacts)")


# ----------------------------------------------------------------------------- deals


@router.get("")
async def list_deals(
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    funnelId: uuid.UUID | None = None,
    stageId: uuid.UUID | None = None,
    contactId: uuid.UUID | None = None,
    status: Literal["OPEN", "WON", "LOST"] | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    data = await service.list_deals(
        session,
        settings,
        member.company_id,
        funnel_id=funnelId,
        stage_id=stageId,
        contact_id=contactId,
        status=status,
        search=search_term(search),
        page=page,
        limit=limit,
    )
    return {"success": True, "data": data}


@router.post("", status_code=201)
async def create_deal(
    data: DealCreate, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require_manage(member)
    deal = await service.create_deal(
        session, settings, company_id=member.company_id, data=data, user_id=member.user_id
    )
    return {"success": True, "data": await service.deal_detail(session, settings, member.company_id, deal.id)}


@router.post("/move")
async def move_deal(
    data: MoveIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require_manage(member)
    result = await moves.move_deal(
        session,
        settings,
        company_id=member.company_id,
        deal_id=data.deal_id,
        stage_id=data.stage_id,
        position=data.position,
        actor="user",
        user_id=member.user_id,
        lost_reason=data.lost_reason,
    )
    detail = await service.deal_detail(session, settings, member.company_id, result.deal.id)
    return {"success": True, "data": detail}


@router.post("/duplicate", status_code=201)
async def duplicate_deal(
    data: DuplicateIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require_manage(member)
    clone = await service.duplicate_deal(
        session,
        settings,
        company_id=member.company_id,
        deal_id=data.deal_id,
        funnel_id=data.funnel_id,
        stage_id=data.stage_id,
        user_id=member.user_id,
    )
    return {
        "success": True,
        "data": await service.deal_detail(session, settings, member.company_id, clone.id),
    }


@router.get("/{deal_id}")
async def get_deal(
    deal_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    return {"success": True, "data": await service.deal_detail(session, settings, member.company_id, deal_id)}


@router.put("/{deal_id}")
async def update_deal(
    deal_id: uuid.UUID, data: DealUpdate, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require_manage(member)
    await service.update_deal(
        session, settings, company_id=member.company_id, deal_id=deal_id, data=data, user_id=member.user_id
    )
    return {"success": True, "data": await service.deal_detail(session, settings, member.company_id, deal_id)}


@router.delete("/{deal_id}")
async def delete_deal(
    deal_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> dict[str, Any]:
    _require_manage(member)
    keys = await service.delete_deal(
        session, company_id=member.company_id, deal_id=deal_id, user_id=member.user_id
    )
    # Background tasks run after the response, which AutoCommitRoute sends only once committed.
    if keys:
        background.add_task(attachments.remove_files, settings, keys)
    return {"success": True, "message": "Negócio removido"}


@router.post("/{deal_id}/reopen")
async def reopen_deal(
    deal_id: uuid.UUID, data: ReopenIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    if not member.is_admin:
        raise Forbidden("Apenas administradores podem reabrir negócios ganhos ou perdidos")
    await service.reopen_deal(
        session,
        settings,
        company_id=member.company_id,
        deal_id=deal_id,
        reason=data.reason,
        user_id=member.user_id,
    )
    return {"success": True, "data": await service.deal_detail(session, settings, member.company_id, deal_id)}


@router.get("/{deal_id}/activities")
async def list_activities(
    deal_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    before: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    await service.get_deal(session, member.company_id, deal_id)
    data = await activities.list_activities(session, member.company_id, deal_id, limit=limit, before=before)
    return {"success": True, "data": data}


# ----------------------------------------------------------------------------- notes


@router.get("/{deal_id}/notes")
async def list_notes(deal_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await notes.list_notes(session, member.company_id, deal_id)}


@router.post("/{deal_id}/notes", status_code=201)
async def create_note(
    deal_id: uuid.UUID, data: NoteIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require_manage(member)
    note = await notes.create_note(
        session, settings, company_id=member.company_id, deal_id=deal_id, data=data, user_id=member.user_id
    )
    return {"success": True, "data": note}


@router.put("/{deal_id}/notes/{note_id}")
async def update_note(
    deal_id: uuid.UUID, note_id: uuid.UUID, data: NoteIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_manage(member)
    note = await notes.update_note(
        session,
        company_id=member.company_id,
        deal_id=deal_id,
        note_id=note_id,
        data=data,
        user_id=member.user_id,
        is_admin=member.is_admin,
    )
    return {"success": True, "data": note}


@router.delete("/{deal_id}/notes/{note_id}")
async def delete_note(
    deal_id: uuid.UUID, note_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require_manage(member)
    await notes.delete_note(
        session,
        settings,
        company_id=member.company_id,
        deal_id=deal_id,
        note_id=note_id,
        user_id=member.user_id,
        is_admin=member.is_admin,
    )
    return {"success": True, "message": "Nota removida"}


# ----------------------------------------------------------------------------- attachments


@router.get("/{deal_id}/attachments")
async def list_attachments(
    deal_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    data = await attachments.list_attachments(session, settings, member.company_id, deal_id)
    return {"success": True, "data": data}


@router.post("/{deal_id}/attachments", status_code=201)
async def add_attachment(
    deal_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> dict[str, Any]:
    _require_manage(member)
    if file is None or not isinstance(file.filename, str):
        raise ValidationFailed(
            "Arquivo obrigatório (campo file)", details=[{"field": "file", "message": "required"}]
        )
    data = await file.read(settings.DEAL_ATTACHMENT_MAX_BYTES + 1)
    if not data:
        raise ValidationFailed("Dados inválidos — file: o arquivo está vazio", details=[{"field": "file"}])
    attachment = await attachments.add_attachment(
        session,
        settings,
        company_id=member.company_id,
        deal_id=deal_id,
        file_name=file.filename,
        data=data,
        user_id=member.user_id,
    )
    return {"success": True, "data": attachment}


@router.delete("/{deal_id}/attachments/{attachment_id}")
async def delete_attachment(
    deal_id: uuid.UUID,
    attachment_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> dict[str, Any]:
    _require_manage(member)
    key = await attachments.delete_attachment(
        session,
        settings,
        company_id=member.company_id,
        deal_id=deal_id,
        attachment_id=attachment_id,
        user_id=member.user_id,
    )
    background.add_task(attachments.remove_files, settings, [key])
    return {"success": True, "message": "Anexo removido"}
