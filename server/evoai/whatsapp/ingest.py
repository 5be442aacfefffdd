"""Store what a gateway tells us, once, in the caller's transaction (PRODUCT.md point 1).

Every write is idempotent: messages are unique per instance and gateway id, receipts only move a
status forward, and events that arrive before their message are parked and applied when it lands.
Nothing here commits or calls a gateway; jobs and realtime events go through the outbox.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import (
    Boolean,
    Integer,
    Table,
    bindparam,
    case,
    delete,
    false,
    func,
    literal,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.schedule import schedule_turn
from evoai.config import Settings
from evoai.contacts.identity import refresh_known_contact, resolve_contact
from evoai.flows import triggers as flow_triggers
from evoai.followups import triggers as followup_triggers
from evoai.kit.fast_sql import FastStatement, adopt
from evoai.kit.text import storable
from evoai.models import Contact, Conversation, Message, PendingReceipt, WhatsAppInstance
from evoai.whatsapp import events, serialise
from evoai.whatsapp.identity import digits
from evoai.whatsapp.providers import jids
from evoai.whatsapp.providers.base import (
    MEDIA_KINDS,
    STATUS_RANK,
    ConnectionUpdate,
    ContactSeen,
    InboundMessage,
    MessageDeleted,
    QrUpdated,
    StatusUpdate,
    WebhookEvent,
)
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

log = structlog.get_logger(__name__)
PROCESS_INBOUND_JOB = "whatsapp.process_inbound"
FETCH_AVATAR_JOB = "whatsapp.fetch_avatar"
# How long an API send may wait for its gateway echo to be matched to it (see _claim_outbound).
ECHO_WINDOW = timedelta(minutes=10)
# The error of a send whose outcome the gateway did not confirm (an echo may still prove it went out).
NOT_CONFIRMED = "O gateway não confirmou o envio; confira antes de reenviar"


# Statements of the hot path, built once: constructing them per delivery cost more CPU than running them.
_messages: Table = Message.__table__  # type: ignore[assignment]  # declarative tables are Tables
# Every key of a message row the webhook writes, so each insert has the same shape (one compilation).
_MESSAGE_DEFAULTS: dict[str, Any] = {
    "author_name": None,
    "author_phone": None,
    "reply_to_gateway_id": None,
    "reply_to_text": None,
    "media_kind": None,
    "media_mime": None,
    "media_file_name": None,
    "media_size": None,
    "media_seconds": None,
    "media_key": None,
    "media_state": None,
    "error": None,
    "raw": None,
}
_MESSAGE_KEYS = (
    *_MESSAGE_DEFAULTS,
    *("id", "company_id", "conversation_id", "instance_id", "gateway_message_id", "direction", "kind"),
    *("status", "status_rank", "from_me", "is_bot", "text", "sent_at", "extra", "reactions"),
)
_INSERT_MESSAGE = FastStatement(
    insert(_messages)
    .values({key: bindparam(key, type_=_messages.c[key].type) for key in _MESSAGE_KEYS})
    .on_conflict_do_nothing(
        index_elements=["instance_id", "gateway_message_id"],
        index_where=text("gateway_message_id IS NOT NULL"),
    )
    .returning(*_messages.c)
)
_conversations: Table = Conversation.__table__  # type: ignore[assignment]
_c = _conversations.c
_TOUCH_CONVERSATION = FastStatement(
    update(_conversations)
    .where(_c.id == bindparam("p_id"))
    .values(
        last_message_at=func.greatest(_c.last_message_at, bindparam("p_at")),
        last_message_id=case(
            (
                _c.last_message_at.is_(None) | (_c.last_message_at <= bindparam("p_at")),
                bindparam("p_message"),
            ),
            else_=_c.last_message_id,
        ),
        unread_count=_c.unread_count + bindparam("p_unread", type_=Integer),
        last_inbound_at=case(
            (bindparam("p_inbound", type_=Boolean), func.greatest(_c.last_inbound_at, bindparam("p_at"))),
            else_=_c.last_inbound_at,
        ),
        is_archived=case((bindparam("p_inbound", type_=Boolean), false()), else_=_c.is_archived),
        is_paused=case((bindparam("p_takeover", type_=Boolean), true()), else_=_c.is_paused),
        paused_reason=case(
            (bindparam("p_takeover", type_=Boolean), literal("human_takeover")), else_=_c.paused_reason
        ),
        updated_at=func.now(),
    )
    .returning(*_c)
)
_LOCK_GATEWAY_ID = FastStatement(text("SELECT pg_advisory_xact_lock(hashtext(:key))"))
_FIND_CONVERSATION = FastStatement(
    select(Conversation).where(
        Conversation.instance_id == bindparam("instance_id"),
        Conversation.chat_key == bindparam("chat_key"),
    )
)
_TAKE_PENDING = FastStatement(
    delete(PendingReceipt)
    .where(
        PendingReceipt.instance_id == bindparam("instance_id"),
        PendingReceipt.gateway_message_id == bindparam("message_id"),
    )
    .returning(PendingReceipt.status, PendingReceipt.status_rank, PendingReceipt.deleted)
)


@dataclass(frozen=True)
class InstanceInfo:
    """What ingest needs of an instance (the webhook caches it across requests)."""

    id: uuid.UUID
    company_id: uuid.UUID
    name: str
    provider: str
    ai_enabled: bool = False
    ai_quiet_seconds: int = 10

    @classmethod
    def of(cls, instance: WhatsAppInstance) -> InstanceInfo:
        return cls(
            id=instance.id,
            company_id=instance.company_id,
            name=instance.name,
            provider=instance.provider,
            ai_enabled=bool(instance.ai_enabled),
            ai_quiet_seconds=instance.ai_quiet_seconds,
        )


@dataclass(frozen=True)
class StoredMedia:
    """Media already copied into our storage before the transaction (inline base64 in the webhook)."""

    key: str | None
    mimetype: str | None
    size: int | None
    rejected_reason: str | None = None


def _clip(value: str | None, size: int) -> str | None:
    return value[:size] if value else value


def _fit(event: WebhookEvent) -> WebhookEvent:
    """Values cut to their columns: a gateway (or an unofficial client behind it) may send a 300-character
    name, and a delivery that can never be stored would be retried and then lost."""
    if isinstance(event, InboundMessage):
        media = event.media
        if media is not None:
            media = dataclasses.replace(
                media,
                file_name=_clip(media.file_name, 255),
                mimetype=_clip(media.mimetype, 120),
                seconds=min(media.seconds, 2**31 - 1) if media.seconds else media.seconds,
                size=min(media.size, 2**62) if media.size else media.size,
            )
        return dataclasses.replace(
            event,
            message_id=event.message_id[:128],
            chat_jid=event.chat_jid[:120],
            phone=_clip(event.phone, 20),
            lid=_clip(event.lid, 40),
            push_name=_clip(event.push_name, 255),
            author_phone=_clip(event.author_phone, 40),
            author_lid=_clip(event.author_lid, 40),
            group_name=_clip(event.group_name, 255),
            reply_to_id=_clip(event.reply_to_id, 128),
            reaction_target_id=_clip(event.reaction_target_id, 128),
            media=media,
        )
    if isinstance(event, StatusUpdate):
        return dataclasses.replace(event, message_ids=tuple(i[:128] for i in event.message_ids))
    if isinstance(event, MessageDeleted):
        return dataclasses.replace(event, message_id=event.message_id[:128])
    if isinstance(event, ConnectionUpdate):
        return dataclasses.replace(
            event, phone=_clip(event.phone, 20), profile_name=_clip(event.profile_name, 255)
        )
    return event


def rank(status: str) -> int:
    return STATUS_RANK.get(status, 0)


async def ingest_events(
    session: AsyncSession,
    instance: InstanceInfo,
    events: tuple[WebhookEvent, ...],
    *,
    settings: Settings,
    stored_media: dict[str, StoredMedia] | None = None,
    known_storable: bool = False,
) -> str:
    """Apply every event; returns the reason reported to the gateway for the last one.

    `known_storable`: the caller knows every string can be stored as it is (see
    kit.text.json_body_is_storable), which spares walking every event's raw payload."""
    reason = "ignored"
    for event in map(_fit, events if known_storable else storable(events)):
        if isinstance(event, InboundMessage):
            if not event.is_group and not event.phone and not event.lid:
                log.warning("webhook.chat_without_identity", chat=event.chat_jid[:60])
                reason = "ignored"  # e.g. a Meta AI chat: nobody to store it for
                continue
            if event.kind == "reaction":
                reason = await _reaction(session, settings, instance, event)
            else:
                media = (stored_media or {}).get(event.message_id)
                reason = await store_message(session, settings, instance, event, media=media)
        elif isinstance(event, StatusUpdate):
            reason = await _status(session, instance, event)
        elif isinstance(event, MessageDeleted):
            reason = await _deleted(session, settings, instance, event)
        elif isinstance(event, ConnectionUpdate):
            reason = await _connection(session, instance, event)
        elif isinstance(event, QrUpdated):
            reason = await _qr(session, instance, event)
        elif isinstance(event, ContactSeen):
            known = await refresh_known_contact(
                session, company_id=instance.company_id, phone=event.phone, lid=event.lid, name=event.name
            )
            reason = "contact_refreshed" if known else "contact_unknown"
    return reason


# --------------------------------------------------------------------------------------------- messages


async def _conversation_for(
    session: AsyncSession, instance: InstanceInfo, event: InboundMessage
) -> tuple[Conversation, Contact | None]:
    return await conversation_for_chat(
        session,
        instance,
        is_group=event.is_group,
        chat_jid=event.chat_jid,
        phone=event.phone,
        lid=event.lid,
        push_name=None if event.from_me else event.push_name,
        group_name=event.group_name,
    )


async def conversation_for_chat(
    session: AsyncSession,
    instance: InstanceInfo,
    *,
    is_group: bool,
    chat_jid: str,
    phone: str | None,
    lid: str | None,
    push_name: str | None = None,
    group_name: str | None = None,
) -> tuple[Conversation, Contact | None]:
    """The conversation (and contact) of a chat, created on first contact; safe under races."""
    contact: Contact | None = None
    if is_group:
        chat_key, number, title = chat_jid, digits(chat_jid), group_name
    else:
        contact = await resolve_contact(
            session,
            company_id=instance.company_id,
            phone=phone,
            lid=lid,
            push_name=push_name,
            instance_id=instance.id,
        )
        chat_key = f"contact:{contact.id}"
        chat_jid = jids.phone_jid(phone) if phone else (lid or chat_jid)
        number, title = phone or digits(lid or chat_jid), None
    conversation = await _FIND_CONVERSATION.entity(
        session, Conversation, instance_id=instance.id, chat_key=chat_key
    )
    if conversation is None:
        conversation = (
            await session.scalars(
                insert(Conversation)
                .values(
                    id=uuid.uuid4(),
                    company_id=instance.company_id,
                    instance_id=instance.id,
                    contact_id=contact.id if contact else None,
                    chat_key=chat_key,
                    chat_jid=chat_jid,
                    is_group=is_group,
                    title=title,
                    contact_number=number,
                )
                .on_conflict_do_nothing(index_elements=["instance_id", "chat_key"])
                .returning(Conversation)
            )
        ).first()
        if conversation is None:  # a concurrent delivery created it first
            conversation = await session.scalar(
                select(Conversation).where(
                    Conversation.instance_id == instance.id, Conversation.chat_key == chat_key
                )
            )
            assert conversation is not None
        elif contact is not None and contact.avatar_key is None:
            # A new chat: fetch the person's WhatsApp photo in the background.
            await enqueue_job(
                session,
                queues.MESSAGE,
                FETCH_AVATAR_JOB,
                {
                    "companyId": str(instance.company_id),
                    "contactId": str(contact.id),
                    "instanceId": str(instance.id),
                },
            )
    return conversation, contact


async def _claim_outbound(
    session: AsyncSession, conversation: Conversation, event: InboundMessage
) -> Message | None:
    """The echo of a message we are sending may arrive before our send call returned its id: adopt the
    oldest matching outbound row that has no gateway id yet instead of storing the message twice."""
    if not (event.from_me and event.sent_by_api):
        return None  # typed on the phone: a message of its own (and a human takeover)
    stored = await session.scalar(
        select(Message.id).where(
            Message.instance_id == conversation.instance_id, Message.gateway_message_id == event.message_id
        )
    )
    if stored is not None:
        return None  # a redelivery: the insert below will see the duplicate
    candidate = await session.scalar(
        select(Message)
        .where(
            Message.conversation_id == conversation.id,
            Message.direction == "SENT",
            Message.gateway_message_id.is_(None),
            Message.kind == event.kind,
            Message.text.is_not_distinct_from(event.text),
            # Still being sent, or given up as "not confirmed" (it may have gone out after all).
            (Message.status == "PENDING") | (Message.error == NOT_CONFIRMED),
            Message.created_at > func.now() - ECHO_WINDOW,
        )
        .order_by(Message.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if candidate is None:
        return None
    candidate.gateway_message_id = event.message_id
    if candidate.status == "FAILED":
        # Our send call gave up (timeout, unknown outcome) but the gateway did send it.
        candidate.status, candidate.status_rank, candidate.error = "SENT", rank("SENT"), None
    if rank(event.status) > candidate.status_rank and event.status in STATUS_RANK:
        candidate.status, candidate.status_rank = event.status, rank(event.status)
    await session.flush()
    return candidate


def _message_values(
    instance: InstanceInfo, conversation: Conversation, event: InboundMessage, media: StoredMedia | None
) -> dict[str, Any]:
    status = event.status if event.from_me else "RECEIVED"
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "company_id": instance.company_id,
        "conversation_id": conversation.id,
        "instance_id": instance.id,
        "gateway_message_id": event.message_id,
        "direction": "SENT" if event.from_me else "RECEIVED",
        "kind": event.kind,
        "status": status,
        "status_rank": rank(status),
        "from_me": event.from_me,
        "is_bot": False,
        "author_name": event.push_name if event.is_group and not event.from_me else None,
        "author_phone": (event.author_phone or event.author_lid) if event.is_group else None,
        "text": event.text,
        "reply_to_gateway_id": event.reply_to_id,
        "reply_to_text": event.reply_to_text,
        "sent_at": event.timestamp,
        "extra": _extra(event),
        "reactions": {},
    }
    if event.kind in MEDIA_KINDS and event.media is not None:
        values.update(
            media_kind=event.kind,
            media_mime=(media.mimetype if media and media.mimetype else event.media.mimetype),
            media_file_name=event.media.file_name,
            media_size=(media.size if media and media.size else event.media.size),
            media_seconds=event.media.seconds,
        )
        if media is not None and media.key:
            values.update(media_key=media.key, media_state="stored")
        elif media is not None and media.rejected_reason:
            values.update(media_state="rejected", error=media.rejected_reason)
        else:
            # Keep the gateway's object (without inline bytes) so the worker can download the media.
            raw = {k: v for k, v in event.raw.items() if k != "base64"}
            values.update(media_state="pending", raw=_without_base64(raw))
    return values


def _without_base64(raw: dict[str, Any]) -> dict[str, Any]:
    message = raw.get("message")
    if isinstance(message, dict) and "base64" in message:
        raw = {**raw, "message": {k: v for k, v in message.items() if k != "base64"}}
    return raw


def _extra(event: InboundMessage) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if event.location is not None:
        extra["location"] = {
            "latitude": event.location.latitude,
            "longitude": event.location.longitude,
            "name": event.location.name,
            "address": event.location.address,
        }
    if event.contacts:
        extra["contacts"] = [{"name": c.name, "phone": c.phone} for c in event.contacts]
    return extra


async def store_message(
    session: AsyncSession,
    settings: Settings,
    instance: InstanceInfo,
    event: InboundMessage,
    *,
    media: StoredMedia | None = None,
) -> str:
    conversation, contact = await _conversation_for(session, instance, event)
    claimed = await _claim_outbound(session, conversation, event)
    if claimed is not None:
        await _apply_pending(session, instance, claimed)
        await events.message_status(session, claimed)
        return "outbound_confirmed"
    values = _message_values(instance, conversation, event, media)
    row = await _INSERT_MESSAGE.row(session, **{**_MESSAGE_DEFAULTS, **values})
    if row is None:
        return "duplicate"
    # The row as an ORM object without the ORM's bulk-insert machinery (the hot path's largest cost).
    message = adopt(session, Message, row)
    # Typed on the company's own phone (not sent by us): a person took over, the AI steps back.
    takeover = event.from_me and not event.sent_by_api and not conversation.is_paused and not event.is_group
    inbound = not event.from_me
    newer = conversation.last_message_at is None or event.timestamp >= conversation.last_message_at
    if inbound and not event.is_group:
        # Before the conversation row: the follow-up job locks follow-up then conversation, too.
        await followup_triggers.on_inbound(session, conversation.id, event.timestamp)
        await flow_triggers.on_inbound(
            session,
            company_id=instance.company_id,
            instance_id=instance.id,
            conversation_id=conversation.id,
            contact_id=contact.id if contact else None,
            message_id=message.id,
            text=event.text,
        )
    touched = await _TOUCH_CONVERSATION.row(
        session,
        p_id=conversation.id,
        p_at=event.timestamp,
        p_message=message.id,
        p_unread=1 if inbound else 0,
        p_inbound=inbound,
        p_takeover=takeover,
    )
    assert touched is not None  # the conversation was found or created in this transaction
    adopt(session, Conversation, touched)
    if event.from_me and not event.is_group and not event.sent_by_api:  # typed on the company's phone
        await followup_triggers.on_outbound(session, conversation, event.timestamp)
    if contact is not None and inbound and _activity_is_stale(contact, event.timestamp):
        await session.execute(
            update(Contact)
            .where(Contact.id == contact.id)
            .values(last_activity_at=func.greatest(Contact.last_activity_at, event.timestamp))
        )
    # Receipts or a deletion may have arrived before the message (any direction: a customer may
    # delete for everyone, the reconciliation may backfill late).
    await _apply_pending(session, instance, message)
    if message.media_state == "pending":
        await enqueue_job(
            session,
            queues.MESSAGE,
            PROCESS_INBOUND_JOB,
            {"companyId": str(instance.company_id), "messageId": str(message.id)},
        )
    if inbound and not event.is_group and instance.ai_enabled:
        await schedule_turn(
            session,
            company_id=instance.company_id,
            conversation_id=conversation.id,
            message_id=message.id,
            delay_ms=instance.ai_quiet_seconds * 1000,
        )
    last = message if newer else None
    entry = serialise.conversation_out(
        conversation,
        instance_name=instance.name,
        contact=contact,
        last_message=last,
        avatar_url=await serialise.avatar_url(settings, contact),
    )
    await events.new_message(session, settings, message, entry)
    return "message_created"


def _activity_is_stale(contact: Contact, at: datetime) -> bool:
    """Last activity feeds filters measured in days: a minute of precision spares a write per message."""
    last = contact.last_activity_at
    return last is None or at - last > timedelta(minutes=1)


async def _reaction(
    session: AsyncSession, settings: Settings, instance: InstanceInfo, event: InboundMessage
) -> str:
    if not event.reaction_target_id:
        return "ignored"
    target = await session.scalar(
        select(Message)
        .where(Message.instance_id == instance.id, Message.gateway_message_id == event.reaction_target_id)
        .with_for_update()  # reactions are read, changed and written back: one at a time
    )
    if target is None:
        return "reaction_target_unknown"
    reactor = (
        "me"
        if event.from_me
        else (event.author_phone or event.author_lid or event.phone or event.lid or "contact")
    )
    reactions = dict(target.reactions or {})
    if event.reaction_emoji:
        reactions[reactor] = event.reaction_emoji
    else:
        reactions.pop(reactor, None)
    target.reactions = reactions
    await session.flush()
    await events.message_updated(session, settings, target)
    return "reaction_saved"


# --------------------------------------------------------------------------------------------- receipts


async def lock_gateway_id(session: AsyncSession, instance_id: uuid.UUID, message_id: str) -> None:
    """Receipts and deletions of a message, and the storing of the message itself, take turns: without
    it, a receipt whose message is being inserted by another transaction would see no message, be
    parked after that transaction already looked for parked receipts, and never be applied."""
    await _LOCK_GATEWAY_ID.run(session, key=f"{instance_id}:{message_id}")


async def _status(session: AsyncSession, instance: InstanceInfo, event: StatusUpdate) -> str:
    updated = False
    for message_id in sorted(set(event.message_ids)):  # sorted: two batches never lock in opposite order
        await lock_gateway_id(session, instance.id, message_id)
        if event.status == "FAILED":
            condition = Message.status_rank <= rank("SENT")
            values: dict[str, Any] = {"status": "FAILED", "error": "O WhatsApp recusou a mensagem"}
        else:
            new_rank = rank(event.status)
            # A delivery or read proves a FAILED message went out; a late PENDING/SENT proves nothing.
            condition = (Message.status_rank < new_rank) & (
                (Message.status != "FAILED") | (new_rank >= rank("DELIVERED"))
            )
            values = {"status": event.status, "status_rank": new_rank, "error": None}
        message = (
            await session.scalars(
                update(Message)
                .where(
                    Message.instance_id == instance.id,
                    Message.gateway_message_id == message_id,
                    condition,
                )
                .values(**values, updated_at=func.now())
                .returning(Message)
                .execution_options(populate_existing=True)
            )
        ).first()
        if message is not None:
            updated = True
            await events.message_status(session, message)
            continue
        known = await session.scalar(
            select(Message.id).where(
                Message.instance_id == instance.id, Message.gateway_message_id == message_id
            )
        )
        if known is None:
            await _park(session, instance, message_id, status=event.status)
    return "status_updated" if updated else "status_unchanged"


async def _park(
    session: AsyncSession,
    instance: InstanceInfo,
    message_id: str,
    *,
    status: str | None = None,
    deleted: bool = False,
) -> None:
    status_value = status or "PENDING"
    statement = insert(PendingReceipt).values(
        instance_id=instance.id,
        gateway_message_id=message_id,
        company_id=instance.company_id,
        status=status_value,
        status_rank=rank(status_value),
        deleted=deleted,
    )
    excluded = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["instance_id", "gateway_message_id"],
            set_={
                "status": case(
                    (excluded.status_rank > PendingReceipt.status_rank, excluded.status),
                    else_=PendingReceipt.status,
                ),
                "status_rank": func.greatest(PendingReceipt.status_rank, excluded.status_rank),
                "deleted": PendingReceipt.deleted | excluded.deleted,
            },
        )
    )


async def apply_pending(
    session: AsyncSession, instance_id: uuid.UUID, message: Message, *, racing: bool = True
) -> bool:
    """Apply receipts that arrived before this message got its gateway id; True when something changed.

    `racing=False` skips the lock for a customer's message: its only early event is a deletion, which
    follows the message by seconds, not milliseconds (our own sends race their receipts all the time)."""
    if not message.gateway_message_id:
        return False
    if racing:
        await lock_gateway_id(session, instance_id, message.gateway_message_id)
    parked = await _TAKE_PENDING.rows(session, instance_id=instance_id, message_id=message.gateway_message_id)
    changed = False
    for row in parked:
        status, status_rank, deleted = row["status"], row["status_rank"], row["deleted"]
        if deleted and message.deleted_at is None:
            message.deleted_at = datetime.now(UTC)
            changed = True
        if status == "FAILED" and message.status_rank <= rank("SENT") and message.status != "FAILED":
            message.status, message.error = "FAILED", "O WhatsApp recusou a mensagem"
            changed = True
        elif status in STATUS_RANK and status_rank > message.status_rank:
            message.status, message.status_rank, message.error = status, status_rank, None
            changed = True
    if changed:
        await session.flush()
    return changed


async def _apply_pending(session: AsyncSession, instance: InstanceInfo, message: Message) -> None:
    if await apply_pending(session, instance.id, message, racing=message.from_me):
        await events.message_status(session, message)


async def _deleted(
    session: AsyncSession, settings: Settings, instance: InstanceInfo, event: MessageDeleted
) -> str:
    await lock_gateway_id(session, instance.id, event.message_id)
    message = await session.scalar(
        select(Message).where(
            Message.instance_id == instance.id, Message.gateway_message_id == event.message_id
        )
    )
    if message is None:
        await _park(session, instance, event.message_id, deleted=True)
        return "delete_parked"
    if message.deleted_at is None:
        message.deleted_at = datetime.now(UTC)
        await session.flush()
        await events.message_updated(session, settings, message)
    return "message_deleted"


# --------------------------------------------------------------------------------------------- instance


async def _connection(session: AsyncSession, instance: InstanceInfo, event: ConnectionUpdate) -> str:
    values: dict[str, Any] = {"connection_status": event.state}
    if event.state == "open":
        values.update(qr_code=None, pairing_code=None)
        if event.phone:
            values["phone_number"] = event.phone
        if event.profile_name:
            values["profile_name"] = event.profile_name
    if event.state == "close":
        values.update(qr_code=None, pairing_code=None)
    row = await _update_instance(session, instance, values)
    if row is not None:
        await events.instance_status(session, row)
    return "connection_updated"


async def _qr(session: AsyncSession, instance: InstanceInfo, event: QrUpdated) -> str:
    if event.qr is None:
        values: dict[str, Any] = {"connection_status": "close", "qr_code": None, "pairing_code": None}
    else:
        values = {
            "connection_status": "qrcode",
            "qr_code": event.qr.data_url,
            "pairing_code": event.qr.pairing_code,
        }
    row = await _update_instance(session, instance, values)
    if row is not None:
        await events.instance_status(session, row)
    return "qrcode_updated"


async def _update_instance(
    session: AsyncSession, instance: InstanceInfo, values: dict[str, Any]
) -> WhatsAppInstance | None:
    return (
        await session.scalars(
            update(WhatsAppInstance)
            .where(WhatsAppInstance.id == instance.id, WhatsAppInstance.deleted_at.is_(None))
            .values(**values, updated_at=func.now())
            .returning(WhatsAppInstance)
            .execution_options(populate_existing=True)
        )
    ).first()
