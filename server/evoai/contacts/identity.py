"""Find or create the contact behind a WhatsApp chat, safely under concurrent deliveries.

Identity rules (PRODUCT.md point 2): a normalised phone key (Brazil's 9th digit folded) and, when the
gateway gives only that, the WhatsApp LID. Concurrent first messages from one new number race on the
unique indexes; ON CONFLICT DO NOTHING + a re-read makes every racer end on the same row.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from evoai.contacts import quota
from evoai.kit.fast_sql import FastStatement
from evoai.models import Contact
from evoai.whatsapp.identity import phone_key

# Built once: the lookup runs for every inbound message. A NULL key or LID simply matches nothing.
_FIND = FastStatement(
    select(Contact)
    .where(
        Contact.company_id == bindparam("company_id"),
        or_(Contact.phone_key == bindparam("key"), Contact.lid == bindparam("lid")),
    )
    .order_by(Contact.created_at)
)


async def _find(
    session: AsyncSession, company_id: uuid.UUID, key: str | None, lid: str | None
) -> Contact | None:
    if not key and not lid:
        return None
    rows = await _FIND.entities(session, Contact, company_id=company_id, key=key, lid=lid)
    # A phone match wins over a LID match: the phone is the identity people see and type.
    for row in rows:
        if key and row.phone_key == key:
            return row
    return rows[0] if rows else None


async def resolve_contact(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    phone: str | None,
    lid: str | None,
    push_name: str | None,
    instance_id: uuid.UUID | None = None,
) -> Contact:
    key = phone_key(phone) if phone else None
    if key is None and not lid:
        raise ValueError("a contact needs a phone number or a LID")
    contact = await _find(session, company_id, key, lid)
    if contact is None:
        created = await session.scalar(
            insert(Contact)
            .values(
                id=uuid.uuid4(),
                company_id=company_id,
                name=push_name,
                push_name=push_name,
                phone_number=phone if key else None,
                phone_key=key,
                lid=lid,
                source="whatsapp",
            )
            .on_conflict_do_nothing()
            .returning(Contact.id)
        )
        contact = await _find(session, company_id, key, lid)
        if contact is None:  # pragma: no cover - the insert or a concurrent one must be visible now
            raise RuntimeError("contact vanished after insert")
        if created is not None:  # not when a concurrent delivery created the person first
            await quota.warn_after_insert(session, company_id)
            from evoai.flows import triggers as flow_triggers  # flows build on contacts

            await flow_triggers.on_new_contact(session, company_id, contact.id, instance_id=instance_id)
    await _learn(session, contact, phone=phone if key else None, key=key, lid=lid, push_name=push_name)
    return contact


async def refresh_known_contact(
    session: AsyncSession, *, company_id: uuid.UUID, phone: str | None, lid: str | None, name: str | None
) -> bool:
    """A gateway's contact sync: fill what a contact we already know lacks (its LID, its phone, its
    WhatsApp name); never create one, since syncs list everyone in the phone's address book."""
    key = phone_key(phone) if phone else None
    contact = await _find(session, company_id, key, lid)
    if contact is None:
        return False
    await _learn(session, contact, phone=phone if key else None, key=key, lid=lid, push_name=name)
    return True


async def _learn(
    session: AsyncSession,
    contact: Contact,
    *,
    phone: str | None,
    key: str | None,
    lid: str | None,
    push_name: str | None,
) -> None:
    """Fill what the contact lacks; never overwrite an identity key or a name a person typed."""
    values: dict[str, object] = {}
    if push_name and push_name != contact.push_name:
        values["push_name"] = push_name
        if not contact.name:
            values["name"] = push_name
    if key and contact.phone_key is None and await _free(session, contact, Contact.phone_key == key):
        values.update(phone_key=key, phone_number=phone)
    if lid and contact.lid is None and await _free(session, contact, Contact.lid == lid):
        values["lid"] = lid
    if values:
        await session.execute(update(Contact).where(Contact.id == contact.id).values(**values))
        for name, value in values.items():
            set_committed_value(contact, name, value)


async def _free(session: AsyncSession, contact: Contact, condition: ColumnElement[bool]) -> bool:
    """An identity key may move to this contact only if no other contact holds it (no silent merges)."""
    other = await session.scalar(
        select(Contact.id).where(
            Contact.company_id == contact.company_id, Contact.id != contact.id, condition
        )
    )
    return other is None
