"""message-worker jobs of the WhatsApp domain: send, react, mark read, fetch media, reconcile.

Gateway calls happen outside database transactions (a slow gateway must not hold a connection), so a
job reads what it needs, calls the gateway, then records the outcome in a second transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import Conversation, Message, ProviderCredential, WhatsAppInstance
from evoai.storage.factory import get_storage
from evoai.whatsapp import events
from evoai.whatsapp.gateways import instance_ref, open_gateway
from evoai.whatsapp.ingest import InstanceInfo, StoredMedia, apply_pending, ingest_events
from evoai.whatsapp.media import keep_media
from evoai.whatsapp.providers import GatewayOutcomeUnknown
from evoai.whatsapp.providers.base import (
    GatewayError,
    InstanceRef,
    MessageRef,
    OutboundMedia,
    QuotedMessage,
    SentMessage,
)
from evoai.worker import queues
from evoai.worker.context import JobContext, is_last_attempt
from evoai.worker.enqueue import enqueue_job

log = structlog.get_logger(__name__)
RECONCILE_JOB = "whatsapp.reconcile"
# How far back a reconciliation looks when an instance was never reconciled (or long ago).
RECONCILE_LOOKBACK = timedelta(hours=6)


@dataclass(frozen=True)
class Loaded:
    message: Message
    conversation: Conversation
    instance: WhatsAppInstance
    credential: ProviderCredential | None


async def _load(session: AsyncSession, message_id: uuid.UUID) -> Loaded | None:
    row = (
        await session.execute(
            select(Message, Conversation, WhatsAppInstance, ProviderCredential)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .join(WhatsAppInstance, WhatsAppInstance.id == Message.instance_id)
            .outerjoin(ProviderCredential, ProviderCredential.id == WhatsAppInstance.credential_id)
            .where(Message.id == message_id)
        )
    ).first()
    return Loaded(*row) if row else None


def _info(instance: WhatsAppInstance) -> InstanceInfo:
    return InstanceInfo(
        id=instance.id, company_id=instance.company_id, name=instance.name, provider=instance.provider
    )


async def _fail(ctx: JobContext, company_id: uuid.UUID, message_id: uuid.UUID, reason: str) -> None:
    async with ctx.transaction(company_id=company_id) as session:
        message = await session.scalar(
            update(Message)
            .where(Message.id == message_id, Message.status == "PENDING")
            .values(status="FAILED", error=reason[:500])
            .returning(Message)
        )
        if message is not None:
            await events.message_status(session, message)


async def _quoted(session: AsyncSession, loaded: Loaded) -> QuotedMessage | None:
    message = loaded.message
    if not message.reply_to_gateway_id:
        return None
    original = await session.scalar(
        select(Message).where(
            Message.instance_id == message.instance_id,
            Message.gateway_message_id == message.reply_to_gateway_id,
        )
    )
    ref = MessageRef(
        chat_jid=loaded.conversation.chat_jid,
        message_id=message.reply_to_gateway_id,
        from_me=bool(original and original.from_me),
        participant=(original.author_phone if original and loaded.conversation.is_group else None),
    )
    return QuotedMessage(ref=ref, text=message.reply_to_text)


async def send_message(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id, message_id = uuid.UUID(data["companyId"]), uuid.UUID(data["messageId"])
    async with ctx.transaction(company_id=company_id) as session:
        loaded = await _load(session, message_id)
        if loaded is None or loaded.message.status != "PENDING" or loaded.message.gateway_message_id:
            return {"skipped": True}
        if loaded.credential is None or loaded.instance.deleted_at is not None:
            loaded_ok = False
        else:
            loaded_ok = True
            quoted = await _quoted(session, loaded)
            ref = instance_ref(ctx.settings, loaded.instance)
    if not loaded_ok:
        await _fail(ctx, company_id, message_id, "A instância ou a credencial do provedor não existe mais")
        return {"failed": True}
    try:
        media = await _outbound_media(ctx, loaded.message)
        assert loaded.credential is not None
        async with open_gateway(ctx.settings, loaded.credential) as gateway:
            to = loaded.conversation.chat_jid
            if media is not None:
                sent = await gateway.send_media(ref, to=to, media=media, quoted=quoted)
            else:
                sent = await gateway.send_text(ref, to=to, text=loaded.message.text or "", quoted=quoted)
    except GatewayOutcomeUnknown:
        # It may have gone out: never resend blindly. If it did, its echo marks it SENT.
        await _fail(ctx, company_id, message_id, "O gateway não confirmou o envio; confira antes de reenviar")
        return {"failed": True}
    except GatewayError as exc:
        if exc.retryable and not is_last_attempt():
            raise
        await _fail(ctx, company_id, message_id, exc.message)
        return {"failed": True}
    await _record_sent(ctx, company_id, loaded, sent)
    return {"sent": sent.message_id}


async def _outbound_media(ctx: JobContext, message: Message) -> OutboundMedia | None:
    if not message.media_key or not message.media_kind:
        return None
    data = await get_storage(ctx.settings).get(message.media_key)
    return OutboundMedia(
        kind=message.media_kind,  # type: ignore[arg-type]
        data=data,
        mimetype=message.media_mime or "application/octet-stream",
        file_name=message.media_file_name or "arquivo",
        caption=message.text,
    )


async def _record_sent(ctx: JobContext, company_id: uuid.UUID, loaded: Loaded, sent: SentMessage) -> None:
    message_id = loaded.message.id
    for _ in range(2):
        try:
            async with ctx.transaction(company_id=company_id) as session:
                message = await session.scalar(select(Message).where(Message.id == message_id))
                if message is None:
                    return  # the conversation was deleted meanwhile
                message.gateway_message_id = sent.message_id
                if message.status_rank < 1 or message.status == "FAILED":
                    message.status, message.status_rank, message.error = "SENT", 1, None
                await session.flush()
                await apply_pending(session, loaded.instance.id, message)
                await events.message_status(session, message)
            return
        except IntegrityError:
            # The gateway's echo was stored as a message of its own before we learnt the id: drop it,
            # our row (with its author and quota accounting) is the one that stays.
            async with ctx.transaction(company_id=company_id) as session:
                await session.execute(
                    delete(Message).where(
                        Message.instance_id == loaded.instance.id,
                        Message.gateway_message_id == sent.message_id,
                        Message.id != message_id,
                    )
                )


async def send_reaction(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id, message_id = uuid.UUID(data["companyId"]), uuid.UUID(data["messageId"])
    async with ctx.transaction(company_id=company_id) as session:
        loaded = await _load(session, message_id)
        if loaded is None or loaded.credential is None or not loaded.message.gateway_message_id:
            return {"skipped": True}
        ref = instance_ref(ctx.settings, loaded.instance)
    target = MessageRef(
        chat_jid=loaded.conversation.chat_jid,
        message_id=loaded.message.gateway_message_id,
        from_me=loaded.message.from_me,
        participant=loaded.message.author_phone if loaded.conversation.is_group else None,
    )
    try:
        async with open_gateway(ctx.settings, loaded.credential) as gateway:
            await gateway.send_reaction(ref, target=target, emoji=str(data.get("emoji", "")))
    except GatewayError as exc:
        if exc.retryable and not is_last_attempt():
            raise
        log.warning("whatsapp.reaction_failed", error=exc.message)
        return {"failed": True}
    return {"sent": True}


async def mark_read(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id = uuid.UUID(data["companyId"])
    ids = [uuid.UUID(i) for i in data.get("messageIds", [])][:100]
    async with ctx.transaction(company_id=company_id) as session:
        rows = (
            await session.execute(
                select(Message, Conversation, WhatsAppInstance, ProviderCredential)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .join(WhatsAppInstance, WhatsAppInstance.id == Message.instance_id)
                .join(ProviderCredential, ProviderCredential.id == WhatsAppInstance.credential_id)
                .where(Message.id.in_(ids), Message.gateway_message_id.is_not(None))
            )
        ).all()
        if not rows:
            return {"skipped": True}
        instance, credential = rows[0][2], rows[0][3]
        ref = instance_ref(ctx.settings, instance)
    refs = [
        MessageRef(chat_jid=c.chat_jid, message_id=m.gateway_message_id or "", from_me=False)
        for m, c, _, _ in rows
    ]
    try:
        async with open_gateway(ctx.settings, credential) as gateway:
            await gateway.mark_read(ref, refs)
    except GatewayError as exc:
        if exc.retryable and not is_last_attempt():
            raise
        log.warning("whatsapp.mark_read_failed", error=exc.message)
        return {"failed": True}
    return {"read": len(refs)}


async def process_inbound(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """After an inbound message is stored: copy its media into our storage (the AI turn joins here)."""
    company_id, message_id = uuid.UUID(data["companyId"]), uuid.UUID(data["messageId"])
    async with ctx.transaction(company_id=company_id) as session:
        loaded = await _load(session, message_id)
        if loaded is None or loaded.message.media_state != "pending" or loaded.credential is None:
            return {"media": "none"}
        raw = dict(loaded.message.raw or {})
        ref: InstanceRef = instance_ref(ctx.settings, loaded.instance)
        kind = loaded.message.media_kind or "document"
        declared = loaded.message.media_mime
    try:
        async with open_gateway(ctx.settings, loaded.credential) as gateway:
            downloaded = await gateway.download_media(ref, raw)
        stored: StoredMedia = await keep_media(
            ctx.settings, company_id, kind, downloaded.data, downloaded.mimetype or declared
        )
    except GatewayError as exc:
        if exc.retryable and not is_last_attempt():
            raise
        stored = StoredMedia(key=None, mimetype=declared, size=None, rejected_reason=None)
        log.warning("whatsapp.media_download_failed", error=exc.message)
    async with ctx.transaction(company_id=company_id) as session:
        message = await session.scalar(select(Message).where(Message.id == message_id))
        if message is None:
            return {"media": "gone"}
        if stored.key:
            message.media_key, message.media_state, message.raw = stored.key, "stored", None
            message.media_mime = stored.mimetype or message.media_mime
            message.media_size = stored.size or message.media_size
        elif stored.rejected_reason:
            message.media_state, message.error, message.raw = "rejected", stored.rejected_reason, None
        else:
            message.media_state = "failed"
        await session.flush()
        await events.message_updated(session, ctx.settings, message)
    return {"media": message.media_state}


async def delete_media(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    storage = get_storage(ctx.settings)
    keys = [str(k) for k in data.get("keys", [])]
    for key in keys:
        await storage.delete(key)
    return {"deleted": len(keys)}


async def reconcile(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """Ask the gateway for recent messages and store the ones no webhook delivered (idempotent)."""
    company_id, instance_id = uuid.UUID(data["companyId"]), uuid.UUID(data["instanceId"])
    async with ctx.transaction(company_id=company_id) as session:
        row = (
            await session.execute(
                select(WhatsAppInstance, ProviderCredential)
                .join(ProviderCredential, ProviderCredential.id == WhatsAppInstance.credential_id)
                .where(WhatsAppInstance.id == instance_id, WhatsAppInstance.deleted_at.is_(None))
            )
        ).first()
        if row is None or row[0].connection_status != "open":
            return {"skipped": True}
        instance, credential = row
        started = datetime.now(UTC)
        since = max(instance.last_reconciled_at or started - RECONCILE_LOOKBACK, started - RECONCILE_LOOKBACK)
        ref = instance_ref(ctx.settings, instance)
        info = _info(instance)
    async with open_gateway(ctx.settings, credential) as gateway:
        messages = await gateway.recent_messages(ref, since=since - timedelta(minutes=2))
    created = 0
    for message in messages:
        async with ctx.transaction(company_id=company_id) as session:
            reason = await ingest_events(session, info, (message,), settings=ctx.settings)
            created += reason == "message_created"
    async with ctx.transaction(company_id=company_id) as session:
        await session.execute(
            update(WhatsAppInstance)
            .where(WhatsAppInstance.id == instance_id)
            .values(last_reconciled_at=started)
        )
    if created:
        log.info("whatsapp.reconciled", instance=str(instance_id), backfilled=created)
    return {"seen": len(messages), "backfilled": created}


async def schedule_reconciliation(session: AsyncSession) -> int:
    """Enqueue one reconciliation per connected instance (called by the scheduler, all tenants)."""
    rows = (
        await session.execute(
            select(WhatsAppInstance.id, WhatsAppInstance.company_id).where(
                WhatsAppInstance.deleted_at.is_(None), WhatsAppInstance.connection_status == "open"
            )
        )
    ).all()
    for instance_id, company_id in rows:
        await enqueue_job(
            session,
            queues.MESSAGE,
            RECONCILE_JOB,
            {"companyId": str(company_id), "instanceId": str(instance_id)},
        )
    return len(rows)
