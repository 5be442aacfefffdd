"""LGPD: everything we hold about a person, on request, and erasing it for good (an audit line with
counts, and no personal data, is all that stays)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import delete, func, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.contacts.fields import display_name, phone_digits
from evoai.contacts.history import record_event
from evoai.contacts.notes import list_notes
from evoai.contacts.serialise import iso, user_brief, user_names
from evoai.contacts.service import announce, contact_view
from evoai.deps import Member
from evoai.exceptions import NotFound, ValidationFailed
from evoai.kit.text import fold
from evoai.models import (
    Contact,
    ContactEvent,
    ContactNote,
    Conversation,
    Deal,
    DealNote,
    Embedding,
    Funnel,
    Message,
    PrivacyErasure,
    Stage,
    TagAssignment,
    WhatsAppInstance,
)
from evoai.storage import StorageError, get_storage

log = structlog.get_logger(__name__)


async def export_data(
    session: AsyncSession, settings: Settings, member: Member, contact: Contact
) -> dict[str, Any]:
    company_id = contact.company_id
    events = (
        await session.scalars(
            select(ContactEvent)
            .where(ContactEvent.company_id == company_id, ContactEvent.contact_id == contact.id)
            .order_by(ContactEvent.created_at, ContactEvent.id)
        )
    ).all()
    names = await user_names(session, {e.user_id for e in events if e.user_id})
    data = {
        "exportedAt": datetime.now(UTC).isoformat(),
        "contact": await contact_view(session, settings, company_id, contact.id),
        "notes": await list_notes(session, contact),
        "history": [
            {
                "type": e.type,
                "actor": e.actor,
                "user": user_brief(e.user_id, names),
                "payload": e.payload,
                "at": iso(e.created_at),
            }
            for e in events
        ],
        "deals": await _deals(session, contact),
        "conversations": await _conversations(session, contact),
    }
    await record_event(
        session, company_id=company_id, contact_id=contact.id, type="DATA_EXPORTED", user_id=member.user_id
    )
    log.info("contacts.data_exported", contact_public_id=contact.public_id, by=str(member.user_id))
    return data


async def _deals(session: AsyncSession, contact: Contact) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(Deal, Stage.name, Funnel.name)
            .join(Stage, Stage.id == Deal.stage_id)
            .join(Funnel, Funnel.id == Deal.funnel_id)
            .where(Deal.company_id == contact.company_id, Deal.contact_id == contact.id)
            .order_by(Deal.created_at)
        )
    ).all()
    notes = (
        await session.scalars(
            select(DealNote)
            .where(
                DealNote.company_id == contact.company_id, DealNote.deal_id.in_([d.id for d, _, _ in rows])
            )
            .order_by(DealNote.created_at)
        )
    ).all()
    return [
        {
            "id": str(deal.id),
            "title": deal.title,
            "description": deal.description,
            "value": float(deal.value),
            "currency": deal.currency,
            "status": deal.status,
            "stage": stage,
            "funnel": funnel,
            "lostReason": deal.lost_reason,
            "createdAt": iso(deal.created_at),
            "closedAt": iso(deal.closed_at),
            "notes": [
                {"title": n.title, "content": n.content, "createdAt": iso(n.created_at)}
                for n in notes
                if n.deal_id == deal.id
            ],
        }
        for deal, stage, funnel in rows
    ]


async def _conversations(session: AsyncSession, contact: Contact) -> list[dict[str, Any]]:
    conversations = (
        await session.execute(
            select(Conversation, WhatsAppInstance.name)
            .join(WhatsAppInstance, WhatsAppInstance.id == Conversation.instance_id)
            .where(Conversation.company_id == contact.company_id, Conversation.contact_id == contact.id)
            .order_by(Conversation.created_at)
        )
    ).all()
    messages = (
        await session.scalars(
            select(Message)
            .where(
                Message.company_id == contact.company_id,
                Message.conversation_id.in_([c.id for c, _ in conversations]),
            )
            .order_by(Message.sent_at, Message.public_id)
        )
    ).all()
    return [
        {
            "id": str(conversation.id),
            "instanceName": instance_name,
            "createdAt": iso(conversation.created_at),
            "messages": [_message(m) for m in messages if m.conversation_id == conversation.id],
        }
        for conversation, instance_name in conversations
    ]


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "direction": message.direction,
        "kind": message.kind,
        "text": message.text,
        "status": message.status,
        "sentAt": iso(message.sent_at),
        "isBot": message.is_bot,
        "authorName": message.author_name,
        "replyToText": message.reply_to_text,
        "fileName": message.media_file_name,
        "mimeType": message.media_mime,
        "size": message.media_size,
        "extra": message.extra or {},
        "deletedAt": iso(message.deleted_at),
    }


def _confirmed(contact: Contact, typed: str) -> bool:
    digits = phone_digits(typed)
    if digits and contact.phone_number and digits == contact.phone_number:
        return True
    names = {fold(n.strip()) for n in (contact.name, contact.push_name, display_name(contact)) if n}
    return fold(typed.strip()) in names


async def erase(
    session: AsyncSession, settings: Settings, member: Member, contact_id: uuid.UUID, confirm: str
) -> dict[str, int]:
    company_id = member.company_id
    contact = await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.company_id == company_id).with_for_update()
    )
    if contact is None:
        raise NotFound("Contato não encontrado")
    if not _confirmed(contact, confirm):
        raise ValidationFailed(
            "A confirmação não confere: digite o número de telefone ou o nome do contato",
            details=[{"field": "confirm", "code": "mismatch", "message": "não confere com o contato"}],
        )
    conversations = select(Conversation.id).where(
        Conversation.company_id == company_id, Conversation.contact_id == contact.id
    )
    # Collected before the rows go: afterwards nothing says which files were this person's.
    found = await session.scalars(
        select(Message.media_key)
        .where(
            Message.company_id == company_id,
            Message.conversation_id.in_(conversations),
            Message.media_key.is_not(None),
        )
        .distinct()
    )
    keys = {key for key in found.all() if key}
    if contact.avatar_key:
        keys.add(contact.avatar_key)
    counts = await _counts(session, contact, conversations)
    deals = await session.execute(
        update(Deal)
        .where(Deal.company_id == company_id, Deal.contact_id == contact.id)
        .values(contact_id=None)
    )
    counts["deals"] = int(deals.rowcount or 0)  # type: ignore[attr-defined]
    # The AI's memory of this person (their messages' text and vectors). The foreign keys on
    # contact_id and message_id cascade as well; this makes it explicit and counted.
    embeddings = await session.execute(
        delete(Embedding).where(Embedding.company_id == company_id, Embedding.contact_id == contact.id)
    )
    counts["embeddings"] = int(embeddings.rowcount or 0)  # type: ignore[attr-defined]
    # Messages go with their conversations; notes, history and tags with the contact (ON DELETE CASCADE).
    await session.execute(delete(Conversation).where(Conversation.id.in_(conversations)))
    await session.execute(delete(Contact).where(Contact.id == contact.id))
    counts["media"] = await _delete_files(session, settings, company_id, keys)
    session.add(
        PrivacyErasure(
            id=uuid.uuid4(),
            company_id=company_id,
            contact_public_id=contact.public_id,
            erased_by=member.user_id,
            counts=counts,
        )
    )
    await session.flush()
    await announce(session, company_id, [contact.id], deleted=True)
    log.info("contacts.erased", contact_public_id=contact.public_id, by=str(member.user_id), counts=counts)
    return counts


async def _counts(session: AsyncSession, contact: Contact, conversations: Any) -> dict[str, int]:
    company_id, contact_id = contact.company_id, contact.id

    def count(model: Any, *where: Any) -> Any:
        return (
            select(func.count())
            .select_from(model)
            .where(model.company_id == company_id, *where)
            .scalar_subquery()
        )

    row = (
        await session.execute(
            select(
                count(Conversation, Conversation.contact_id == contact_id),
                count(Message, Message.conversation_id.in_(conversations)),
                count(ContactNote, ContactNote.contact_id == contact_id),
                count(ContactEvent, ContactEvent.contact_id == contact_id),
                count(TagAssignment, TagAssignment.contact_id == contact_id),
            )
        )
    ).one()
    return dict(zip(("conversations", "messages", "notes", "events", "tags"), map(int, row), strict=True))


async def _delete_files(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, keys: set[str]
) -> int:
    """Best effort: a file that cannot be deleted now must not keep the rows (and the person) here.
    Keys are content hashes, so a file another message or contact still uses stays."""
    if not keys:
        return 0
    used = set(
        (
            await session.scalars(
                union(
                    select(Message.media_key).where(
                        Message.company_id == company_id, Message.media_key.in_(keys)
                    ),
                    select(Contact.avatar_key).where(
                        Contact.company_id == company_id, Contact.avatar_key.in_(keys)
                    ),
                )
            )
        ).all()
    )
    storage, deleted = get_storage(settings), 0
    for key in sorted(keys - used):
        try:
            await storage.delete(key)
            deleted += 1
        except (StorageError, OSError):
            log.warning("contacts.erase_file_failed", company_id=str(company_id))
    return deleted
