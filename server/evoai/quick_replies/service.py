"""Quick-reply rules: who sees and changes which reply, unique shortcuts, rendering."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deps import Member
from evoai.exceptions import Conflict, Forbidden, NotFound
from evoai.kit.text import ACCENTED, PLAIN, like_pattern
from evoai.models import Company, Contact, Conversation, Profile, QuickReply
from evoai.quick_replies.schemas import QuickReplyIn, QuickReplyOut, QuickReplyUpdate, RenderIn, Scope
from evoai.quick_replies.variables import DEFAULT_TIMEZONE, ContactFacts, RenderContext, render

COMPANY_EDITORS = frozenset({"admin", "coordinator"})
UNIQUE_VIOLATION = "23505"


def scope_of(reply: QuickReply) -> Scope:
    return "company" if reply.user_id is None else "personal"


def reply_out(reply: QuickReply) -> dict[str, Any]:
    out = QuickReplyOut(
        id=reply.id,
        shortcut=reply.shortcut,
        title=reply.title,
        content=reply.content,
        scope=scope_of(reply),
        created_by=reply.user_id,
        updated_at=reply.updated_at,
    )
    return out.model_dump(mode="json", by_alias=True)


def _visible(member: Member) -> Select[QuickReply]:
    """Every query starts here: the company's replies plus the caller's own, never a colleague's."""
    return select(QuickReply).where(
        QuickReply.company_id == member.company_id,
        or_(QuickReply.user_id.is_(None), QuickReply.user_id == member.user_id),
    )


def _fold(column: Any) -> Any:
    return func.translate(func.lower(column), ACCENTED, PLAIN)


def _require_editor(member: Member, scope: Scope) -> None:
    # Personal replies reach this point only for their owner (_visible hides the others).
    if scope == "company" and member.role not in COMPANY_EDITORS:
        raise Forbidden("Apenas administradores e coordenadores podem gerenciar respostas rápidas da empresa")


async def list_replies(session: AsyncSession, member: Member, search: str | None) -> list[QuickReply]:
    query = _visible(member)
    term = (search or "").strip().removeprefix("/")
    if term:
        pattern = like_pattern(term)
        query = query.where(
            or_(
                _fold(QuickReply.shortcut).like(pattern),
                _fold(QuickReply.title).like(pattern),
                _fold(QuickReply.content).like(pattern),
            )
        )
    # Alphabetical by shortcut; when both scopes use one, the caller's own comes first.
    personal_first = case((QuickReply.user_id.is_(None), 1), else_=0)
    query = query.order_by(func.lower(QuickReply.shortcut), personal_first, QuickReply.id)
    return list((await session.scalars(query)).all())


async def get_reply(session: AsyncSession, member: Member, reply_id: uuid.UUID) -> QuickReply:
    reply = await session.scalar(_visible(member).where(QuickReply.id == reply_id))
    if reply is None:
        raise NotFound("Resposta rápida não encontrada")
    return reply


async def _save(session: AsyncSession, reply: QuickReply, changes: dict[str, Any] | None = None) -> None:
    """Write now inside a savepoint, so a taken shortcut (the unique index, which also settles two
    concurrent requests) becomes a 409 and leaves the request's transaction usable. The changes are
    applied inside it because opening a savepoint flushes whatever is pending."""
    changes = changes or {}
    # Read before the savepoint: rolling it back expires the row, and async code cannot lazy-load.
    shortcut = changes.get("shortcut", reply.shortcut)
    where = "da empresa" if changes.get("user_id", reply.user_id) is None else "pessoais"
    try:
        async with session.begin_nested():
            for field, value in changes.items():
                setattr(reply, field, value)
            session.add(reply)
            await session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != UNIQUE_VIOLATION:
            raise
        raise Conflict(
            f"O atalho /{shortcut} já está em uso nas respostas {where}",
            details=[{"field": "shortcut", "message": "atalho já em uso"}],
        ) from exc
    await session.refresh(reply)


async def create_reply(session: AsyncSession, member: Member, data: QuickReplyIn) -> QuickReply:
    _require_editor(member, data.scope)
    reply = QuickReply(
        company_id=member.company_id,
        user_id=None if data.scope == "company" else member.user_id,
        shortcut=data.shortcut,
        title=data.title,
        content=data.content,
    )
    await _save(session, reply)
    return reply


async def update_reply(
    session: AsyncSession, member: Member, reply_id: uuid.UUID, data: QuickReplyUpdate
) -> QuickReply:
    reply = await get_reply(session, member, reply_id)
    _require_editor(member, scope_of(reply))
    changes = data.model_dump(include={"shortcut", "title", "content"}, exclude_none=True)
    if data.scope is not None and data.scope != scope_of(reply):
        # Moving between scopes needs the right to both: a member cannot publish to the company.
        _require_editor(member, data.scope)
        changes["user_id"] = None if data.scope == "company" else member.user_id
    await _save(session, reply, changes)
    return reply


async def delete_reply(session: AsyncSession, member: Member, reply_id: uuid.UUID) -> None:
    reply = await get_reply(session, member, reply_id)
    _require_editor(member, scope_of(reply))
    await session.delete(reply)
    await session.flush()


async def _contact_facts(session: AsyncSession, member: Member, data: RenderIn) -> ContactFacts:
    contact_id = data.contact_id
    if data.conversation_id is not None:  # wins over contactId: it is what the chat box sends
        conversation = await session.scalar(
            select(Conversation).where(
                Conversation.id == data.conversation_id, Conversation.company_id == member.company_id
            )
        )
        if conversation is None:
            raise NotFound("Conversa não encontrada")
        if conversation.contact_id is None:
            # A group, or a contact erased on request: only what the conversation itself knows.
            phone = None if conversation.is_group else conversation.contact_number
            return ContactFacts(name=conversation.title, phone=phone)
        contact_id = conversation.contact_id
    if contact_id is None:
        return ContactFacts()
    contact = await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.company_id == member.company_id)
    )
    if contact is None:
        raise NotFound("Contato não encontrado")
    return ContactFacts(contact.name, contact.push_name, contact.phone_number, contact.email)


async def render_reply(
    session: AsyncSession, member: Member, reply_id: uuid.UUID, data: RenderIn, now: datetime
) -> str:
    reply = await get_reply(session, member, reply_id)
    contact = await _contact_facts(session, member, data)
    company = await session.scalar(select(Company).where(Company.id == member.company_id))
    user_name = await session.scalar(select(Profile.full_name).where(Profile.user_id == member.user_id))
    context = RenderContext(
        contact=contact,
        company_name=company.name if company else "",
        user_name=user_name or "",
        timezone=(company.timezone if company else None) or DEFAULT_TIMEZONE,
        now=now,
    )
    return render(reply.content, context)
