"""The funnels API of docs/api-crm.md."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from evoai.deals.schemas import search_term
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, Member, SettingsDep
from evoai.exceptions import Forbidden, ValidationFailed
from evoai.funnels import board, contacts, queries, service, stages, stats
from evoai.funnels.schemas import (
    ContactToFunnelIn,
    ContactToStageIn,
    FunnelCreate,
    FunnelUpdate,
    ReorderIn,
    StageCreate,
    StageUpdate,
    stats_period,
)

router = APIRouter(prefix="/funnels", tags=["funnels"], route_class=AutoCommitRoute)

STRUCTURE_ROLES = ("admin", "coordinator")


def _require_structure(member: Member) -> None:
    if member.role not in STRUCTURE_ROLES:
        raise Forbidden("Apenas administradores e coordenadores podem alterar funis e etapas")


def _require_contacts(member: Member) -> None:
    if not member.can("canManageContacts"):
        raise Forbidden("Você não tem permissão para mover contatos (canManageContacts)")


# Static paths first: /funnels/stages must not be read as a funnel id.


@router.get("")
async def list_funnels(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await service.list_funnels(session, member.company_id)}


@router.post("", status_code=201)
async def create_funnel(data: FunnelCreate, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    _require_structure(member)
    funnel = await service.create_funnel(
        session, company_id=member.company_id, user_id=member.user_id, data=data
    )
    return {"success": True, "data": await queries.funnel_view(session, member.company_id, funnel.id)}


@router.get("/stages")
async def list_all_stages(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await stages.list_all_stages(session, member.company_id)}


@router.put("/stages/{stage_id}")
async def update_stage(
    stage_id: uuid.UUID, data: StageUpdate, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_structure(member)
    stage = await stages.update_stage(session, company_id=member.company_id, stage_id=stage_id, data=data)
    return {"success": True, "data": await queries.stage_view(session, member.company_id, stage.id)}


@router.delete("/stages/{stage_id}")
async def delete_stage(stage_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    _require_structure(member)
    moved = await stages.delete_stage(
        session, company_id=member.company_id, stage_id=stage_id, user_id=member.user_id
    )
    return {"success": True, "message": "Etapa removida", "data": moved}


@router.post("/move-to-stage")
async def move_contact_to_stage(
    data: ContactToStageIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_contacts(member)
    moved = await contacts.move_contact(
        session,
        company_id=member.company_id,
        contact_id=data.contact_id,
        stage_id=data.stage_id,
        user_id=member.user_id,
    )
    return {"success": True, "data": moved}


@router.post("/move-to-funnel")
async def move_contact_to_funnel(
    data: ContactToFunnelIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_contacts(member)
    moved = await contacts.move_contact(
        session,
        company_id=member.company_id,
        contact_id=data.contact_id,
        funnel_id=data.funnel_id,
        stage_id=data.stage_id,
        user_id=member.user_id,
    )
    return {"success": True, "data": moved}


@router.get("/{funnel_id}")
async def get_funnel(funnel_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await queries.funnel_view(session, member.company_id, funnel_id)}


@router.put("/{funnel_id}")
async def update_funnel(
    funnel_id: uuid.UUID, data: FunnelUpdate, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_structure(member)
    if not data.model_fields_set:
        raise ValidationFailed("Nada para atualizar")
    await service.update_funnel(session, company_id=member.company_id, funnel_id=funnel_id, data=data)
    return {"success": True, "data": await queries.funnel_view(session, member.company_id, funnel_id)}


@router.delete("/{funnel_id}")
async def delete_funnel(funnel_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    _require_structure(member)
    await service.delete_funnel(
        session, company_id=member.company_id, funnel_id=funnel_id, user_id=member.user_id
    )
    return {"success": True, "message": "Funil removido"}


@router.get("/{funnel_id}/board")
async def get_board(
    funnel_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    search: Annotated[str | None, Query(max_length=100)] = None,
    ownerOnly: bool = False,
) -> dict[str, Any]:
    data = await board.board(
        session,
        settings,
        member.company_id,
        funnel_id,
        search=search_term(search),
        owner_id=member.user_id if ownerOnly else None,
    )
    return {"success": True, "data": data}


@router.get("/{funnel_id}/search")
async def search_deals(
    funnel_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=100)] = "",
) -> dict[str, Any]:
    term = search_term(q, "q") or ""
    if len(term) < 2:
        raise ValidationFailed(
            "Dados inválidos — q: digite ao menos 2 caracteres",
            details=[{"field": "q", "message": "at least 2 characters"}],
        )
    return {
        "success": True,
        "data": await board.search_deals(session, settings, member.company_id, funnel_id, term),
    }


@router.get("/{funnel_id}/stats")
async def get_stats(
    funnel_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> dict[str, Any]:
    lower, upper = stats_period(start, end, await stats.company_zone(session, member.company_id))
    data = await stats.funnel_stats(session, member.company_id, funnel_id, start=lower, end=upper)
    return {"success": True, "data": data}


@router.get("/{funnel_id}/stages")
async def list_funnel_stages(
    funnel_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    return {"success": True, "data": await stages.list_funnel_stages(session, member.company_id, funnel_id)}


@router.post("/{funnel_id}/stages", status_code=201)
async def create_stage(
    funnel_id: uuid.UUID, data: StageCreate, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_structure(member)
    stage = await stages.create_stage(session, company_id=member.company_id, funnel_id=funnel_id, data=data)
    return {"success": True, "data": await queries.stage_view(session, member.company_id, stage.id)}


@router.post("/{funnel_id}/stages/reorder")
async def reorder_stages(
    funnel_id: uuid.UUID, data: ReorderIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require_structure(member)
    await stages.reorder_stages(
        session, company_id=member.company_id, funnel_id=funnel_id, stage_ids=data.stage_ids
    )
    return {"success": True, "message": "Etapas reordenadas"}


@router.get("/{funnel_id}/available-contacts")
async def available_contacts(
    funnel_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    search: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    data = await contacts.available_contacts(
        session, settings, member.company_id, funnel_id, search=search_term(search), limit=limit
    )
    return {"success": True, "data": data}
