"""The WhatsApp API of docs/api-whatsapp.md: credentials, instances, conversations, sending."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from pydantic import ValidationError

from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, Member, SettingsDep
from evoai.exceptions import Forbidden, NotFound, ValidationFailed
from evoai.whatsapp import credentials, inbox, instances, outbound, serialise
from evoai.whatsapp.inbox import ConversationFilters
from evoai.whatsapp.media import keep_media
from evoai.whatsapp.webhook import directory as webhook_directory

router = APIRouter(prefix="/whatsapp", tags=["whatsapp"], route_class=AutoCommitRoute)


def _require(member: Member, permission: str | None = None, *, admin: bool = False) -> None:
    if admin and not member.is_admin:
        raise Forbidden("Apenas administradores podem fazer isto")
    if permission and not member.can(permission):
        raise Forbidden("Você não tem permissão para gerenciar o WhatsApp")


# ----------------------------------------------------------------------------- provider credentials


@router.get("/provider-credentials")
async def list_credentials(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    _require(member, admin=True)
    rows = await credentials.list_credentials(session, member.company_id)
    return {"success": True, "data": [credentials.credential_out(c) for c in rows]}


@router.post("/provider-credentials", status_code=201)
async def create_credential(
    data: credentials.CredentialIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require(member, admin=True)
    created = await credentials.create_credential(
        session, settings, company_id=member.company_id, user_id=member.user_id, data=data
    )
    return {"success": True, "data": credentials.credential_out(created)}


@router.delete("/provider-credentials/{credential_id}")
async def delete_credential(
    credential_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    _require(member, admin=True)
    await credentials.delete_credential(session, company_id=member.company_id, credential_id=credential_id)
    return {"success": True, "data": {"deleted": True}}


@router.get("/sandbox")
async def sandbox_info(member: CurrentMember, settings: SettingsDep) -> dict[str, Any]:
    _require(member, admin=True)
    if not settings.sandbox_enabled:
        raise NotFound("O gateway sandbox não está ativo neste servidor")
    return {
        "success": True,
        "data": {
            "url": settings.sandbox_url,
            "apiKey": settings.SANDBOX_API_KEY,
            "phoneUrl": f"{settings.sandbox_url}/phone",
        },
    }


# ----------------------------------------------------------------------------- instances


@router.get("/instances")
async def list_instances(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    rows = await instances.list_instances(session, member.company_id)
    return {"success": True, "data": [serialise.instance_out(i) for i in rows]}


@router.post("/instances", status_code=201)
async def create_instance(
    data: instances.InstanceIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require(member, "canManageWhatsApp")
    created = await instances.create_instance(
        session, settings, company_id=member.company_id, user_id=member.user_id, data=data
    )
    return {"success": True, "data": serialise.instance_out(created)}


@router.get("/instances/{instance_id}")
async def get_instance(
    instance_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    instance = await instances.get_instance(session, member.company_id, instance_id)
    return {"success": True, "data": instances.detail_out(settings, instance, admin=member.is_admin)}


@router.post("/instances/{instance_id}/connect")
async def connect_instance(
    instance_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    data: instances.ConnectIn | None = None,
) -> dict[str, Any]:
    _require(member, "canManageWhatsApp")
    instance = await instances.get_instance(session, member.company_id, instance_id)
    result = await instances.connect_instance(
        session, settings, instance, phone=data.phone_number if data else None
    )
    return {"success": True, "data": result}


@router.post("/instances/{instance_id}/check")
async def check_instance(
    instance_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    instance = await instances.get_instance(session, member.company_id, instance_id)
    return {"success": True, "data": await instances.check_instance(session, settings, instance)}


@router.delete("/instances/{instance_id}")
async def delete_instance(
    request: Request, instance_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    _require(member, "canManageWhatsApp")
    instance = await instances.get_instance(session, member.company_id, instance_id)
    cleaned = await instances.delete_instance(session, settings, instance)
    # Stop accepting its webhooks here at once (other processes' caches expire within seconds).
    webhook_directory(request).forget(instance.gateway_name)
    return {"success": True, "data": {"deleted": True, "gatewayCleanup": cleaned}}


# ----------------------------------------------------------------------------- conversations


def _csv_uuids(value: str | None, field: str) -> tuple[uuid.UUID, ...]:
    if not value:
        return ()
    try:
        return tuple(uuid.UUID(part.strip()) for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise ValidationFailed(
            f"Dados inválidos — {field}: use ids separados por vírgula", details=[{"field": field}]
        ) from exc


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in (value or "").split(",") if part.strip())


@router.get("/conversations")
async def list_conversations(
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    search: Annotated[str | None, Query(max_length=100)] = None,
    isArchived: bool = False,
    status: Literal["active", "paused"] | None = None,
    unreadOnly: bool = False,
    tagIds: str | None = None,
    funnelId: uuid.UUID | None = None,
    stageId: uuid.UUID | None = None,
    instanceId: uuid.UUID | None = None,
    sentiments: str | None = None,
    urgencies: str | None = None,
    match: Literal["all", "any"] = "all",
) -> dict[str, Any]:
    filters = ConversationFilters(
        search=search or None,
        is_archived=isArchived,
        status=status,
        unread_only=unreadOnly,
        instance_id=instanceId,
        tag_ids=_csv_uuids(tagIds, "tagIds"),
        funnel_id=funnelId,
        stage_id=stageId,
        sentiments=_csv(sentiments),
        urgencies=_csv(urgencies),
        match=match,
    )
    items, pagination, unread_total = await inbox.list_conversations(
        session, settings, member.company_id, filters, page=page, limit=limit
    )
    return {
        "success": True,
        "data": {"conversations": items, "pagination": pagination, "unreadTotal": unread_total},
    }


@router.get("/conversations/{conversation_id}")
async def get_conversation(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    conversation = await inbox.get_conversation(session, member.company_id, conversation_id)
    return {"success": True, "data": await inbox.conversation_view(session, settings, conversation)}


@router.get("/conversations/{conversation_id}/messages")
async def list_messages(
    conversation_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    before: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    conversation = await inbox.get_conversation(session, member.company_id, conversation_id)
    rows, has_more, cursor = await inbox.list_messages(session, conversation, limit=limit, before=before)
    return {
        "success": True,
        "data": {
            "messages": await inbox.messages_out(session, settings, rows),
            "hasMore": has_more,
            "nextCursor": cursor,
        },
    }


@router.post("/conversations/{conversation_id}/read")
async def read_conversation(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    conversation = await inbox.get_conversation(session, member.company_id, conversation_id)
    await inbox.mark_read(session, settings, conversation)
    return {"success": True, "data": {"updated": True}}


@router.post("/conversations/{conversation_id}/toggle-pause")
async def toggle_pause(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    conversation = await inbox.get_conversation(session, member.company_id, conversation_id)
    view = await inbox.set_flags(session, settings, conversation, is_paused=not conversation.is_paused)
    return {"success": True, "data": {"id": view["id"], "isPaused": view["isPaused"]}}


async def _set_archived(
    conversation_id: uuid.UUID, member: Member, session: DbSession, settings: SettingsDep, archived: bool
) -> dict[str, Any]:
    conversation = await inbox.get_conversation(session, member.company_id, conversation_id)
    view = await inbox.set_flags(session, settings, conversation, is_archived=archived)
    return {"success": True, "data": {"id": view["id"], "isArchived": view["isArchived"]}}


@router.post("/conversations/{conversation_id}/archive")
async def archive(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    return await _set_archived(conversation_id, member, session, settings, True)


@router.post("/conversations/{conversation_id}/unarchive")
async def unarchive(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    return await _set_archived(conversation_id, member, session, settings, False)


@router.delete("/conversations/{conversation_id}")
async def delete_conversation(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    # Permanent, with every message and file: not for every member.
    _require(member, "canManageWhatsApp")
    conversation = await inbox.get_conversation(session, member.company_id, conversation_id)
    await inbox.delete_conversation(session, conversation)
    return {"success": True, "data": {"deleted": True}}


# ----------------------------------------------------------------------------- sending


async def _sent(session: DbSession, settings: SettingsDep, message: Any) -> dict[str, Any]:
    [out] = await inbox.messages_out(session, settings, [message])  # with the sender's name and media link
    return {"success": True, "messageId": message.gateway_message_id, "message": out, "data": out}


@router.post("/send", status_code=201)
async def send_text(
    data: outbound.SendTextIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    conversation, instance = await outbound.resolve_target(session, member.company_id, data)
    message = await outbound.queue_message(
        session,
        settings,
        conversation=conversation,
        instance=instance,
        user_id=member.user_id,
        kind="text",
        text_body=data.text,
        reply_to_id=data.reply_to_message_id,
    )
    return await _sent(session, settings, message)


MEDIA_TYPES = ("image", "video", "audio", "ptt", "document")


def _kind_for(media_type: str | None, content_type: str | None) -> outbound.OutboundKind:
    if media_type:
        if media_type not in MEDIA_TYPES:
            raise ValidationFailed(
                "Dados inválidos — mediaType: use image, video, audio, ptt ou document",
                details=[{"field": "mediaType"}],
            )
        return media_type  # type: ignore[return-value]
    family = (content_type or "").split("/", 1)[0]
    return {"image": "image", "video": "video", "audio": "audio"}.get(family, "document")  # type: ignore[return-value]


@router.post("/send-media", status_code=201)
async def send_media(
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    conversationId: Annotated[uuid.UUID | None, Form()] = None,
    instanceId: Annotated[uuid.UUID | None, Form()] = None,
    to: Annotated[str | None, Form()] = None,
    caption: Annotated[str | None, Form(max_length=1024)] = None,
    mediaType: Annotated[str | None, Form()] = None,
    replyToMessageId: Annotated[uuid.UUID | None, Form()] = None,
) -> dict[str, Any]:
    try:
        target = outbound.Target(
            conversation_id=conversationId,
            instance_id=instanceId,
            to=to,
            reply_to_message_id=replyToMessageId,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValidationFailed(f"Dados inválidos — {first['msg'].removeprefix('Value error, ')}") from exc
    if "\x00" in (caption or "") + (file.filename or "") + (to or ""):
        raise ValidationFailed("Dados inválidos — os campos não podem conter o caractere NUL")
    kind = _kind_for(mediaType, file.content_type)
    data = await file.read(settings.MEDIA_MAX_BYTES + 1)
    if not data:
        raise ValidationFailed("Dados inválidos — file: o arquivo está vazio", details=[{"field": "file"}])
    conversation, instance = await outbound.resolve_target(session, member.company_id, target)
    # Refuse before a file is stored for nothing (the same checks run again when queued, under the lock).
    await outbound.ensure_can_send(session, conversation, instance)
    await outbound.reserve_quota(session, member.company_id)
    stored = await keep_media(settings, member.company_id, kind, data, file.content_type)
    if stored.key is None:
        raise ValidationFailed(f"Arquivo recusado: {stored.rejected_reason}", details=[{"field": "file"}])
    name = (file.filename or f"arquivo.{stored.key.rsplit('.', 1)[-1]}")[:255]
    message = await outbound.queue_message(
        session,
        settings,
        conversation=conversation,
        instance=instance,
        user_id=member.user_id,
        kind=kind,
        text_body=caption or None,
        reply_to_id=replyToMessageId,
        media={
            "media_kind": kind,
            "media_mime": stored.mimetype,
            "media_file_name": name,
            "media_size": stored.size,
            "media_key": stored.key,
            "media_state": "stored",
        },
    )
    return await _sent(session, settings, message)


@router.post("/send-reaction")
async def send_reaction(
    data: outbound.ReactionIn, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    await outbound.react(session, settings, member.company_id, data)
    return {"success": True}


@router.post("/messages/{message_id}/retry")
async def retry_message(
    message_id: uuid.UUID, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    message = await outbound.retry(session, member.company_id, message_id)
    return await _sent(session, settings, message)
