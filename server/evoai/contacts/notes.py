"""Notes the team writes about a contact. Only the author or an admin deletes one."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.history import record_event
from evoai.contacts.serialise import note_out, user_names
from evoai.contacts.service import announce
from evoai.deps import Member
from evoai.exceptions import Forbidden, NotFound
from evoai.models import Contact, ContactNote

EXCERPT = 200


async def list_notes(session: AsyncSession, contact: Contact) -> list[dict[str, Any]]:
    notes = list(
        (
            await session.scalars(
                select(ContactNote)
                .where(ContactNote.company_id == contact.company_id, ContactNote.contact_id == contact.id)
                .order_by(ContactNote.created_at.desc(), ContactNote.id)
            )
        ).all()
    )
    names = await user_names(session, {n.user_id for n in notes if n.user_id})
    return [note_out(note, names) for note in notes]


async def add_note(session: AsyncSession, member: Member, contact: Contact, content: str) -> dict[str, Any]:
    note = ContactNote(
        id=uuid.uuid4(),
        company_id=contact.company_id,
        contact_id=contact.id,
        user_id=member.user_id,
        content=content,
    )
    session.add(note)
    await session.flush()
    await session.refresh(note)
    await record_event(
        session,
        company_id=contact.company_id,
        contact_id=contact.id,
        type="NOTE_ADDED",
        user_id=member.user_id,
        payload={"noteId": str(note.id), "excerpt": content[:EXCERPT]},
    )
    await announce(session, contact.company_id, [contact.id])
    return note_out(note, await user_names(session, {member.user_id}))


async def delete_note(session: AsyncSession, member: Member, contact: Contact, note_id: uuid.UUID) -> None:
    note = await session.scalar(
        select(ContactNote).where(
            ContactNote.id == note_id,
            ContactNote.contact_id == contact.id,
            ContactNote.company_id == contact.company_id,
        )
    )
    if note is None:
        raise NotFound("Nota não encontrada")
    if note.user_id != member.user_id and not member.is_admin:
        raise Forbidden("Apenas o autor da nota ou um administrador pode excluí-la")
    await session.execute(delete(ContactNote).where(ContactNote.id == note.id))
    await announce(session, contact.company_id, [contact.id])
