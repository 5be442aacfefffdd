"""message-worker jobs of the WhatsApp domain: send, react, mark read, fetch media, reconcile.

Gateway calls happen outside database transactions (a slow gateway must not hold a connection), so a
job reads what it needs, calls the gateway, then records the outcome in a second transaction.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.kit.net import forbidden_address, tls_context
from evoai.models import Contact, Conversation, Message, ProviderCredential, WhatsAppInstance
from evoai.observability.metrics import record_sent_message
from evoai.storage.base import StorageError
from evoai.storage.factory import get_storage
from evoai.whatsapp import events
from evoai.whatsapp.gateways import instance_ref, open_gateway
from evoai.whatsapp.ingest import NOT_CONFIRMED, InstanceInfo, StoredMedia, apply_pending, ingest_events
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


async def _load(session: AsyncSession, company_id: uuid.UUID, message_id: uuid.UUID) -> Loaded | None:
    row = (
        await session.execute(
            select(Message, Conversation, WhatsAppInstance, ProviderCredential)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .join(WhatsAppInstance, WhatsAppInstance.id == Message.instance_id)
            .outerjoin(ProviderCredential, ProviderCredential.id == WhatsAppInstance.credential_id)
            .where(Message.id == message_id, Message.company_id == company_id)
        )
    ).first()
    return Loaded(*row) if row else None


async def _fail(ctx: JobContext, company_id: uuid.UUID, message_id: uuid.UUID, reason: str) -> None:
    async with ctx.transaction(company_id=company_id) as session:
        message = await session.scalar(
            update(Message)
            .where(Message.id == message_id, Message.company_id == company_id, Message.status == "PENDING")
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


SEND_STARTED = "sendStartedAt"


async def _mark_send_started(
    ctx: JobContext, company_id: uuid.UUID, message_id: uuid.UUID, started: bool
) -> None:
    """A committed "the gateway may have it" mark: a re-run of this job (a crash, a stalled worker)
    must not send again blindly."""
    async with ctx.transaction(company_id=company_id) as session:
        message = await session.scalar(
            select(Message).where(Message.id == message_id, Message.company_id == company_id)
        )
        if message is not None:
            extra = dict(message.extra or {})
            if started:
                extra[SEND_STARTED] = datetime.now(UTC).isoformat()
            else:
                extra.pop(SEND_STARTED, None)
            message.extra = extra


async def send_message(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id, message_id = uuid.UUID(data["companyId"]), uuid.UUID(data["messageId"])
    async with ctx.transaction(company_id=company_id) as session:
        loaded = await _load(session, company_id, message_id)
        if loaded is None or loaded.message.status != "PENDING" or loaded.message.gateway_message_id:
            return {"skipped": True}
        interrupted = SEND_STARTED in (loaded.message.extra or {})
        usable = loaded.credential is not None and loaded.instance.deleted_at is None
        if usable and not interrupted:
            quoted = await _quoted(session, loaded)
            ref = instance_ref(ctx.settings, loaded.instance)
    if interrupted:
        # An earlier run handed it to the gateway and never learnt the outcome; its echo, if it went
        # out, turns it SENT.
        await _fail(ctx, company_id, message_id, NOT_CONFIRMED)
        return {"failed": True}
    if not usable:
        await _fail(ctx, company_id, message_id, "A instância ou a credencial do provedor não existe mais")
        return {"failed": True}
    try:
        media = await _outbound_media(ctx, loaded.message)
    except (StorageError, OSError) as exc:
        if not is_last_attempt():
            raise
        await _fail(ctx, company_id, message_id, f"O arquivo não pôde ser lido: {exc}")
        return {"failed": True}
    assert loaded.credential is not None
    await _mark_send_started(ctx, company_id, message_id, True)
    try:
        async with open_gateway(ctx.settings, loaded.credential) as gateway:
            to = loaded.conversation.chat_jid
            if media is not None:
                sent = await gateway.send_media(ref, to=to, media=media, quoted=quoted)
            else:
                sent = await gateway.send_text(ref, to=to, text=loaded.message.text or "", quoted=quoted)
    except GatewayOutcomeUnknown:
        await _fail(ctx, company_id, message_id, NOT_CONFIRMED)
        return {"failed": True}
    except GatewayError as exc:
        # Surely not sent (refused, or never reached the gateway): the mark goes, a retry may send.
        await _mark_send_started(ctx, company_id, message_id, False)
        if exc.retryable and not is_last_attempt():
            raise
        await _fail(ctx, company_id, message_id, exc.message)
        return {"failed": True}
    record_sent_message()
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
    """Store the gateway's id. Retried here, never by re-running the job: the message went out."""
    message_id = loaded.message.id
    for attempt in range(1, 6):
        try:
            async with ctx.transaction(company_id=company_id) as session:
                message = await session.scalar(
                    select(Message).where(Message.id == message_id, Message.company_id == company_id)
                )
                if message is None:
                    return  # the conversation was deleted meanwhile
                message.gateway_message_id = sent.message_id
                message.extra = {k: v for k, v in (message.extra or {}).items() if k != SEND_STARTED}
                if message.status_rank < 1 or message.status == "FAILED":
                    message.status, message.status_rank, message.error = "SENT", 1, None
                await session.flush()
                await apply_pending(session, loaded.instance.id, message)
                await events.message_status(session, message)
            return
        except IntegrityError:
            # The gateway's echo was stored as a message of its own before we learnt the id: drop
            # that copy (it has no author); ours, with its author and quota accounting, stays.
            async with ctx.transaction(company_id=company_id) as session:
                await session.execute(
                    delete(Message).where(
                        Message.instance_id == loaded.instance.id,
                        Message.gateway_message_id == sent.message_id,
                        Message.id != message_id,
                        Message.sent_by_user_id.is_(None),
                        Message.is_bot.is_(False),
                    )
                )
        except (OSError, DBAPIError) as exc:
            log.warning("whatsapp.record_sent_retry", attempt=attempt, error=str(exc)[:200])
            await asyncio.sleep(min(2**attempt, 30))
    log.error("whatsapp.record_sent_failed", message_id=str(message_id), gateway_id=sent.message_id)


async def send_reaction(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id, message_id = uuid.UUID(data["companyId"]), uuid.UUID(data["messageId"])
    async with ctx.transaction(company_id=company_id) as session:
        loaded = await _load(session, company_id, message_id)
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
                .where(
                    Message.id.in_(ids),
                    Message.company_id == company_id,
                    Message.gateway_message_id.is_not(None),
                )
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
        loaded = await _load(session, company_id, message_id)
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
    except (GatewayError, StorageError, OSError) as exc:
        retryable = exc.retryable if isinstance(exc, GatewayError) else True
        if retryable and not is_last_attempt():
            raise
        stored = StoredMedia(key=None, mimetype=declared, size=None, rejected_reason=None)
        log.warning("whatsapp.media_download_failed", error=str(exc)[:200])
    async with ctx.transaction(company_id=company_id) as session:
        message = await session.scalar(
            select(Message).where(Message.id == message_id, Message.company_id == company_id)
        )
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
    """Delete files of deleted messages that no other message uses (keys are content hashes, so the
    same catalogue PDF sent to fifty customers is one file)."""
    company_id = uuid.UUID(data["companyId"])
    keys = [str(k) for k in data.get("keys", [])]
    async with ctx.transaction(company_id=company_id) as session:
        used = set(
            (
                await session.scalars(
                    select(Message.media_key).where(
                        Message.company_id == company_id, Message.media_key.in_(keys)
                    )
                )
            ).all()
        )
    storage = get_storage(ctx.settings)
    orphans = [key for key in keys if key not in used]
    for key in orphans:
        await storage.delete(key)
    return {"deleted": len(orphans)}


async def reconcile(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """Ask the gateway for recent messages and store the ones no webhook delivered (idempotent)."""
    company_id, instance_id = uuid.UUID(data["companyId"]), uuid.UUID(data["instanceId"])
    async with ctx.transaction(company_id=company_id) as session:
        row = (
            await session.execute(
                select(WhatsAppInstance, ProviderCredential)
                .join(ProviderCredential, ProviderCredential.id == WhatsAppInstance.credential_id)
                .where(
                    WhatsAppInstance.id == instance_id,
                    WhatsAppInstance.company_id == company_id,
                    WhatsAppInstance.deleted_at.is_(None),
                )
            )
        ).first()
        if row is None or row[0].connection_status != "open":
            return {"skipped": True}
        instance, credential = row
        started = datetime.now(UTC)
        since = max(instance.last_reconciled_at or started - RECONCILE_LOOKBACK, started - RECONCILE_LOOKBACK)
        ref = instance_ref(ctx.settings, instance)
        info = InstanceInfo.of(instance)
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


AVATAR_MAX_BYTES = 2 * 1024 * 1024


async def fetch_avatar(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """Copy a contact's WhatsApp profile photo into our storage (the gateway's link expires)."""
    company_id, contact_id = uuid.UUID(data["companyId"]), uuid.UUID(data["contactId"])
    async with ctx.transaction(company_id=company_id) as session:
        row = (
            await session.execute(
                select(Contact, WhatsAppInstance, ProviderCredential)
                .select_from(Contact)
                .join(WhatsAppInstance, WhatsAppInstance.id == uuid.UUID(data["instanceId"]))
                .join(ProviderCredential, ProviderCredential.id == WhatsAppInstance.credential_id)
                .where(Contact.id == contact_id, Contact.company_id == company_id)
            )
        ).first()
        if row is None or row[0].avatar_key or row[1].connection_status != "open":
            return {"avatar": "skipped"}
        contact, instance, credential = row
        number = contact.phone_number or contact.lid
        ref = instance_ref(ctx.settings, instance)
    if not number:
        return {"avatar": "skipped"}
    try:
        async with open_gateway(ctx.settings, credential) as gateway:
            url = await gateway.profile_picture_url(ref, number)
    except GatewayError as exc:
        if exc.retryable and not is_last_attempt():
            raise
        return {"avatar": "unavailable"}
    picture = await _download_picture(ctx, url) if url else None
    if picture is None:
        return {"avatar": "none"}
    stored = await keep_media(ctx.settings, company_id, "image", picture, None)
    if stored.key is None:
        return {"avatar": "rejected"}
    async with ctx.transaction(company_id=company_id) as session:
        await session.execute(update(Contact).where(Contact.id == contact_id).values(avatar_key=stored.key))
    return {"avatar": stored.key}


async def _download_picture(ctx: JobContext, url: str) -> bytes | None:
    """The photo behind the gateway's link: http(s) only, never an internal address, at most 2 MiB."""
    if not url.startswith(("https://", "http://")):
        return None
    if await forbidden_address(url, allow_loopback=ctx.settings.may_call_loopback) is not None:
        return None
    try:
        async with (
            httpx.AsyncClient(timeout=10, follow_redirects=False, verify=tls_context()) as http,
            http.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                return None
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > AVATAR_MAX_BYTES:
                    return None
            return bytes(body)
    except httpx.HTTPError:
        return None
