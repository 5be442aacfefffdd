"""A deal's notes: rich text sanitised on the way in; only the author or an admin changes one."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.deals import events
from evoai.deals.activities import Actor, log_activity
from evoai.deals.richtext import html_to_text, sanitise_html, text_to_html
from evoai.deals.schemas import NoteIn
from evoai.deals.serialise import note_out, people
from evoai.deals.service import get_deal
from evoai.exceptions import Forbidden, NotFound, ValidationFailed
from evoai.models import DealNote


def _body(content: str | None, content_html: str | None) -> tuple[str, str]:
    """(plain text, sanitised HTML): the HTML wins and gives the text unless the text is sent too;
    plain text alone becomes escaped paragraphs."""
    if content_html is not None and content_html.strip():
        clean = sanitise_html(content_html)
        text = content.strip() if content and content.strip() else html_to_text(clean)
        return text, clean
    if content is not None and content.strip():
        return content.strip(), text_to_html(content)
    return "", ""


def _require_something(title: str | None, text: str) -> None:
    if not (title or text):
        raise ValidationFailed(
            "Dados inválidos — a nota precisa de um título ou de conteúdo",
            details=[{"field": "content", "message": "title, content or contentHtml is required"}],
        )


async def _note(
    session: AsyncSession, company_id: uuid.UUID, deal_id: uuid.UUID, note_id: uuid.UUID
) -> DealNote:
    note = await session.scalar(
        select(DealNote).where(
            DealNote.id == note_id, DealNote.deal_id == deal_id, DealNote.company_id == company_id
        )
    )
    if note is None:
        raise NotFound("Nota não encontrada")
    return note


def _may_change(note: DealNote, user_id: uuid.UUID, is_admin: bool) -> None:
    if not is_admin and note.user_id != user_id:
        raise Forbidden("Apenas o autor da nota ou um administrador pode alterá-la")


async def _out(session: AsyncSession, note: DealNote) -> dict[str, Any]:
    await session.refresh(note)
    return note_out(note, await people(session, [note.user_id]))


async def list_notes(
    session: AsyncSession, company_id: uuid.UUID, deal_id: uuid.UUID
) -> list[dict[str, Any]]:
    await get_deal(session, company_id, deal_id)
    notes = (
        await session.scalars(
            select(DealNote)
            .where(DealNote.company_id == company_id, DealNote.deal_id == deal_id)
            .order_by(DealNote.created_at.desc(), DealNote.id.desc())
        )
    ).all()
    names = await people(session, (note.user_id for note in notes))
    return [note_out(note, names) for note in notes]


async def create_note(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    data: NoteIn,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> dict[str, Any]:
    deal = await get_deal(session, company_id, deal_id)
    text, clean = _body(data.content, data.content_html)
    _require_something(data.title, text)
    note = DealNote(
        id=uuid.uuid4(),
        company_id=company_id,
        deal_id=deal.id,
        user_id=user_id,
        title=data.title,
        content=text,
        content_html=clean,
    )
    session.add(note)
    summary = data.title or text
    log_activity(
        session,
        deal,
        "NOTE_ADDED",
        f"Nota adicionada: {summary[:120]}",
        actor=actor,
        user_id=user_id,
        metadata={"noteId": str(note.id)},
    )
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal.id)
    return await _out(session, note)


async def update_note(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    note_id: uuid.UUID,
    data: NoteIn,
    user_id: uuid.UUID,
    is_admin: bool,
) -> dict[str, Any]:
    fields = data.model_fields_set
    if not fields:
        raise ValidationFailed("Nada para atualizar")
    await get_deal(session, company_id, deal_id)
    note = await _note(session, company_id, deal_id, note_id)
    _may_change(note, user_id, is_admin)
    title = data.title if "title" in fields else note.title
    text, clean = note.content, note.content_html
    if fields & {"content", "content_html"}:
        text, clean = _body(data.content, data.content_html)
    _require_something(title, text)
    note.title, note.content, note.content_html = title, text, clean
    await session.flush()
    return await _out(session, note)


async def delete_note(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    note_id: uuid.UUID,
    user_id: uuid.UUID,
    is_admin: bool,
) -> None:
    await get_deal(session, company_id, deal_id)
    note = await _note(session, company_id, deal_id, note_id)
    _may_change(note, user_id, is_admin)
    await session.delete(note)
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal_id)
