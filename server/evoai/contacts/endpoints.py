"""The contacts API of docs/api-crm.md. Reading needs membership; changes need canManageContacts.

Fixed paths (tags, export, import) are declared before `/{contact_id}`, which would otherwise take
them and answer 400 for a "bad id".
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from evoai.contacts import csv_io, exporter, filters, importer, notes, privacy, service, tags, timeline
from evoai.contacts.schemas import (
    BulkTags,
    ContactIn,
    ContactUpdate,
    EraseIn,
    NoteIn,
    TagIn,
    TagMerge,
    TagUpdate,
)
from evoai.contacts.service import require_admin, require_manager
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, SettingsDep, app_state
from evoai.exceptions import AppError
from evoai.storage import content_disposition

router = APIRouter(prefix="/contacts", tags=["contacts"], route_class=AutoCommitRoute)


class FileTooLarge(AppError):
    status_code = 413
    code = "payload_too_large"


def _ok(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data}


def _done(message: str) -> dict[str, Any]:
    return {"success": True, "message": message}


async def raw_filters(
    search: Annotated[str | None, Query(max_length=200)] = None,
    tagIds: Annotated[str | None, Query(max_length=4000)] = None,
    tagMatch: Literal["all", "any"] = "any",
    funnelId: uuid.UUID | None = None,
    stageId: uuid.UUID | None = None,
    isBlocked: bool | None = None,
    createdFrom: Annotated[str | None, Query(max_length=40)] = None,
    createdTo: Annotated[str | None, Query(max_length=40)] = None,
    activityFrom: Annotated[str | None, Query(max_length=40)] = None,
    activityTo: Annotated[str | None, Query(max_length=40)] = None,
    sort: Annotated[str, Query(max_length=40)] = filters.DEFAULT_SORT,
) -> filters.RawFilters:
    return filters.RawFilters(
        search=search,
        tag_ids=tagIds,
        tag_match=tagMatch,
        funnel_id=funnelId,
        stage_id=stageId,
        is_blocked=isBlocked,
        created_from=createdFrom,
        created_to=createdTo,
        activity_from=activityFrom,
        activity_to=activityTo,
        sort=sort or filters.DEFAULT_SORT,
    )


RawFiltersDep = Annotated[filters.RawFilters, Depends(raw_filters)]


# ----------------------------------------------------------------------------- tags


@router.get("/tags/list")
async def list_tags(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return _ok(await tags.list_tags(session, member.company_id))


@router.get("/tags", include_in_schema=False)  # the user stories' spelling of the same list
async def list_tags_alias(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return await list_tags(member, session)


@router.post("/tags", status_code=201)
async def create_tag(data: TagIn, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    tag_id = await tags.create_tag(session, member.company_id, data)
    return _ok(await tags.tag_view(session, member.company_id, tag_id))


@router.post("/tags/merge")
async def merge_tags(data: TagMerge, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    return _ok(await tags.merge_tags(session, member, data))


@router.post("/tags/assign")
async def assign_tags(data: BulkTags, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    return _ok({"changed": await tags.change_tags(session, member, data.contact_ids, data.tag_ids, "add")})


@router.post("/tags/unassign")
async def unassign_tags(data: BulkTags, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    return _ok({"changed": await tags.change_tags(session, member, data.contact_ids, data.tag_ids, "remove")})


@router.put("/tags/{tag_id}")
async def update_tag(
    tag_id: uuid.UUID, data: TagUpdate, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    require_manager(member)
    await tags.update_tag(session, await tags.get_tag(session, member.company_id, tag_id), data)
    return _ok(await tags.tag_view(session, member.company_id, tag_id))


@router.delete("/tags/{tag_id}")
async def delete_tag(tag_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    await tags.delete_tag(session, await tags.get_tag(session, member.company_id, tag_id))
    return _done("Tag removida")


# ----------------------------------------------------------------------------- list, CSV


@router.get("")
async def list_contacts(
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    raw: RawFiltersDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    wanted = await filters.resolve(session, member.company_id, raw)
    return _ok(
        await service.list_contacts(session, settings, member.company_id, wanted, page=page, limit=limit)
    )


@router.post("", status_code=201)
async def create_contact(
    data: ContactIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    require_manager(member)
    contact_id = await service.create_contact(session, member, data)
    return _ok(await service.contact_view(session, settings, member.company_id, contact_id))


@router.get("/export")
async def export_contacts(
    request: Request, member: CurrentMember, session: DbSession, raw: RawFiltersDep
) -> StreamingResponse:
    wanted = await filters.resolve(session, member.company_id, raw)
    name = f"contatos-{datetime.now(UTC):%Y-%m-%d}.csv"
    body = exporter.export_csv(
        app_state(request).factory, company_id=member.company_id, user_id=member.user_id, wanted=wanted
    )
    return StreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(name), "Cache-Control": "no-store"},
    )


@router.post("/import")
async def import_contacts(
    member: CurrentMember,
    session: DbSession,
    file: Annotated[UploadFile, File()],
    dryRun: Annotated[bool, Form()] = False,
    tagIds: Annotated[str | None, Form(max_length=4000)] = None,
) -> dict[str, Any]:
    require_manager(member)
    tag_ids = filters.parse_uuid_list(tagIds, "tagIds", most=20)
    data = await file.read(csv_io.MAX_BYTES + 1)
    if len(data) > csv_io.MAX_BYTES:
        raise FileTooLarge(f"O arquivo passa de {csv_io.MAX_BYTES // (1024 * 1024)} MB")
    parsed = await asyncio.to_thread(csv_io.parse, data)  # up to 20 000 rows: off the event loop
    return _ok(await importer.import_contacts(session, member, parsed, dry_run=dryRun, tag_ids=tag_ids))


# ----------------------------------------------------------------------------- one contact


@router.get("/{contact_id}")
async def get_contact(
    contact_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    return _ok(await service.contact_view(session, settings, member.company_id, contact_id))


@router.put("/{contact_id}")
async def update_contact(
    contact_id: uuid.UUID,
    data: ContactUpdate,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
) -> dict[str, Any]:
    require_manager(member)
    contact = await service.get_contact(session, member.company_id, contact_id)
    await service.update_contact(session, member, contact, data)
    return _ok(await service.contact_view(session, settings, member.company_id, contact_id))


@router.delete("/{contact_id}")
async def delete_contact(contact_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    await service.delete_contact(session, await service.get_contact(session, member.company_id, contact_id))
    return _done("Contato removido")


@router.post("/{contact_id}/toggle-block")
async def toggle_block(contact_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    require_manager(member)
    return _ok(await service.toggle_block(session, member, contact_id))


@router.get("/{contact_id}/notes")
async def list_notes(contact_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    contact = await service.get_contact(session, member.company_id, contact_id)
    return _ok(await notes.list_notes(session, contact))


@router.post("/{contact_id}/notes", status_code=201)
async def add_note(
    contact_id: uuid.UUID, data: NoteIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    require_manager(member)
    contact = await service.get_contact(session, member.company_id, contact_id)
    return _ok(await notes.add_note(session, member, contact, data.content))


@router.delete("/{contact_id}/notes/{note_id}")
async def delete_note(
    contact_id: uuid.UUID, note_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    require_manager(member)
    contact = await service.get_contact(session, member.company_id, contact_id)
    await notes.delete_note(session, member, contact, note_id)
    return _done("Nota removida")


@router.get("/{contact_id}/history")
async def contact_history(contact_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    contact = await service.get_contact(session, member.company_id, contact_id)
    return _ok(await timeline.history(session, contact))


@router.get("/{contact_id}/timeline")
async def contact_timeline(
    contact_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    before: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    contact = await service.get_contact(session, member.company_id, contact_id)
    return _ok(await timeline.timeline(session, contact, limit=limit, before=before or None))


@router.post("/{contact_id}/tags/{tag_id}")
async def add_tag(
    contact_id: uuid.UUID, tag_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    require_manager(member)
    await tags.change_tags(session, member, [contact_id], [tag_id], "add")
    return _done("Tag atribuída")


@router.delete("/{contact_id}/tags/{tag_id}")
async def remove_tag(
    contact_id: uuid.UUID, tag_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    require_manager(member)
    await tags.change_tags(session, member, [contact_id], [tag_id], "remove")
    return _done("Tag removida do contato")


@router.get("/{contact_id}/export")
async def export_contact_data(
    contact_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> JSONResponse:
    contact = await service.get_contact(session, member.company_id, contact_id)
    data = await privacy.export_data(session, settings, member, contact)
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": content_disposition(f"contato-{contact.public_id}.json"),
            "Cache-Control": "no-store",
        },
    )


@router.post("/{contact_id}/erase")
async def erase_contact(
    contact_id: uuid.UUID, data: EraseIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    require_admin(member)
    return _ok(await privacy.erase(session, settings, member, contact_id, data.confirm))
