"""Contacts as people manage them: list, create, change, block, delete."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, func, not_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.contacts import filters, quota, serialise
from evoai.contacts.fields import display_name
from evoai.contacts.history import record_event
from evoai.contacts.schemas import ContactIn, ContactUpdate
from evoai.deps import Member
from evoai.exceptions import Conflict, Forbidden, NotFound
from evoai.kit.pagination import page_total, page_without_count
from evoai.models import Contact, Conversation
from evoai.realtime.publisher import company_room
from evoai.whatsapp.identity import phone_key
from evoai.worker.enqueue import emit_event

# Past this many contacts a change is announced as one "refetch" event instead of one per contact.
ANNOUNCE_EACH_UP_TO = 100


class ContactExists(Conflict):
    code = "contact_exists"


class PhoneLocked(Conflict):
    code = "phone_locked"


def require_manager(member: Member) -> None:
    if not member.can("canManageContacts"):
        raise Forbidden("Você não tem permissão para gerenciar contatos")


def require_admin(member: Member) -> None:
    if not member.is_admin:
        raise Forbidden("Apenas administradores podem fazer isto")


async def announce(
    session: AsyncSession, company_id: uuid.UUID, contact_ids: Sequence[uuid.UUID], **extra: Any
) -> None:
    """Tell the company's open screens which contacts changed (after the commit, via the outbox)."""
    room, unique = company_room(company_id), list(dict.fromkeys(contact_ids))
    if len(unique) > ANNOUNCE_EACH_UP_TO:
        await emit_event(session, room, "contact-updated", {"id": None, **extra})
        return
    for contact_id in unique:
        await emit_event(session, room, "contact-updated", {"id": str(contact_id), **extra})


async def get_contact(session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    contact = await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.company_id == company_id)
    )
    if contact is None:
        raise NotFound("Contato não encontrado")
    return contact


async def contact_row(
    session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID
) -> serialise.ContactRow:
    row = (
        await session.execute(
            serialise.with_stage()
            .where(Contact.id == contact_id, Contact.company_id == company_id)
            # Core statements earlier in this transaction may have changed the row under the session.
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise NotFound("Contato não encontrado")
    contact, stage, funnel = row
    return contact, stage, funnel


async def contact_view(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, contact_id: uuid.UUID
) -> dict[str, Any]:
    return await serialise.detail(session, settings, await contact_row(session, company_id, contact_id))


async def list_contacts(
    session: AsyncSession,
    settings: Settings,
    company_id: uuid.UUID,
    wanted: filters.ContactFilters,
    *,
    page: int,
    limit: int,
) -> dict[str, Any]:
    where = await filters.conditions(session, company_id, wanted)
    # A search is not counted: under row-level security its LIKE cannot use the trigram index
    # (docs/benchmarks.md, CRM), so a count would read the company's contacts a second time. One
    # extra row tells whether there is a next page.
    counted = not wanted.search
    if counted:
        pagination = await page_total(session, select(Contact.id).where(*where), page=page, limit=limit)
    rows = (
        await session.execute(
            serialise.with_stage(summary_only=True)
            .where(*where)
            .order_by(*filters.order_by(wanted.sort))
            .offset((page - 1) * limit)
            .limit(limit if counted else limit + 1)
        )
    ).all()
    if not counted:
        pagination = page_without_count(page=page, limit=limit, found=len(rows))
        rows = rows[:limit]
    items = await serialise.summaries(session, settings, company_id, [(c, s, f) for c, s, f in rows])
    return {
        "contacts": items,
        "pagination": pagination,
    }


async def holder_of(
    session: AsyncSession, company_id: uuid.UUID, key: str, *, besides: uuid.UUID | None = None
) -> Contact | None:
    query = select(Contact).where(Contact.company_id == company_id, Contact.phone_key == key)
    if besides is not None:
        query = query.where(Contact.id != besides)
    return await session.scalar(query)


def exists_error(contact: Contact) -> ContactExists:
    return ContactExists(
        f"Já existe um contato com este número: {display_name(contact)}",
        details=[
            {
                "field": "phoneNumber",
                "code": "contact_exists",
                "message": "número já cadastrado",
                "contactId": str(contact.id),
            }
        ],
    )


async def create_contact(session: AsyncSession, member: Member, data: ContactIn) -> uuid.UUID:
    company_id = member.company_id
    key = phone_key(data.phone_number)
    assert key is not None  # the schema accepted 8-15 digits
    await quota.lock(session, company_id)
    holder = await holder_of(session, company_id, key)
    if holder is not None:
        raise exists_error(holder)
    plan, used = await quota.usage(session, company_id)
    quota.ensure_room(plan, used, 1)
    contact_id: uuid.UUID | None = await session.scalar(
        insert(Contact)
        .values(
            id=uuid.uuid4(),
            company_id=company_id,
            name=data.name,
            phone_number=data.phone_number,
            phone_key=key,
            email=data.email,
            notes=data.notes,
            custom_fields=data.custom_fields,
            source="manual",
            created_by=member.user_id,
        )
        # A WhatsApp message from this very number may have created the person a moment ago
        # (the webhook does not take our lock): the unique index decides.
        .on_conflict_do_nothing()
        .returning(Contact.id)
    )
    if contact_id is None:
        holder = await holder_of(session, company_id, key)
        if holder is None:  # pragma: no cover - a conflict means some row holds the key
            raise Conflict("O contato foi alterado por outra requisição; tente novamente")
        raise exists_error(holder)
    await record_event(
        session,
        company_id=company_id,
        contact_id=contact_id,
        type="CREATED",
        user_id=member.user_id,
        payload={"source": "manual"},
    )
    await announce(session, company_id, [contact_id])
    await quota.warn(session, company_id, plan, used + 1)
    return contact_id


_FIELDS = {"name": "name", "email": "email", "notes": "notes", "custom_fields": "customFields"}


async def update_contact(
    session: AsyncSession, member: Member, contact: Contact, data: ContactUpdate
) -> None:
    sent = data.model_fields_set
    values: dict[str, Any] = {
        column: getattr(data, column)
        for column in _FIELDS
        if column in sent and getattr(data, column) != getattr(contact, column)
    }
    changed = [_FIELDS[column] for column in values]
    if data.phone_number is not None and data.phone_number != contact.phone_number:
        key = phone_key(data.phone_number)
        if key != contact.phone_key:
            await _ensure_phone_can_change(session, contact, key)
        values.update(phone_number=data.phone_number, phone_key=key)
        changed.append("phoneNumber")
    if not values:
        return
    try:
        async with session.begin_nested():
            await session.execute(update(Contact).where(Contact.id == contact.id).values(**values))
    except IntegrityError:
        # Another contact took the number between our check and the write (a WhatsApp message).
        holder = await holder_of(
            session, contact.company_id, str(values.get("phone_key")), besides=contact.id
        )
        if holder is None:
            raise
        raise exists_error(holder) from None
    await record_event(
        session,
        company_id=contact.company_id,
        contact_id=contact.id,
        type="UPDATED",
        user_id=member.user_id,
        payload={"fields": changed},
    )
    await announce(session, contact.company_id, [contact.id])


async def _ensure_phone_can_change(session: AsyncSession, contact: Contact, key: str | None) -> None:
    talked = await session.scalar(
        select(
            exists().where(
                Conversation.company_id == contact.company_id, Conversation.contact_id == contact.id
            )
        )
    )
    if talked:
        # The number is how WhatsApp finds this person; changing it would split their history.
        raise PhoneLocked(
            "O número de um contato que já tem conversas não pode ser alterado",
            details=[{"field": "phoneNumber", "code": "phone_locked", "message": "contato com conversas"}],
        )
    holder = await holder_of(session, contact.company_id, key, besides=contact.id) if key else None
    if holder is not None:
        raise exists_error(holder)


async def delete_contact(session: AsyncSession, contact: Contact) -> None:
    """Notes, tags and history go with the row (ON DELETE CASCADE); conversations and deals stay,
    without a contact (ON DELETE SET NULL)."""
    await session.execute(
        delete(Contact).where(Contact.id == contact.id, Contact.company_id == contact.company_id)
    )
    await announce(session, contact.company_id, [contact.id], deleted=True)


async def toggle_block(session: AsyncSession, member: Member, contact_id: uuid.UUID) -> dict[str, Any]:
    # One statement, so two quick clicks flip twice instead of racing on a read value.
    row = (
        await session.execute(
            update(Contact)
            .where(Contact.id == contact_id, Contact.company_id == member.company_id)
            .values(is_blocked=not_(Contact.is_blocked), updated_at=func.now())
            .returning(Contact.is_blocked, Contact.updated_at)
        )
    ).first()
    if row is None:
        raise NotFound("Contato não encontrado")
    blocked, updated_at = row
    await record_event(
        session,
        company_id=member.company_id,
        contact_id=contact_id,
        type="BLOCKED" if blocked else "UNBLOCKED",
        user_id=member.user_id,
    )
    await announce(session, member.company_id, [contact_id])
    return {"id": str(contact_id), "isBlocked": blocked, "updatedAt": serialise.iso(updated_at)}
