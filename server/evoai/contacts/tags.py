"""Tags: the company's labels for contacts, and who carries which.

Ids of another company (or of nothing) are a 404 for the whole request, bulk ones included: nothing
is half done, and another company's ids cannot be told apart from missing ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import String, Uuid, delete, func, literal, literal_column, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.history import Actor
from evoai.contacts.schemas import TagIn, TagMerge, TagUpdate
from evoai.contacts.serialise import tag_out
from evoai.contacts.service import announce
from evoai.deps import Member
from evoai.exceptions import Conflict, NotFound
from evoai.models import Contact, ContactEvent, Tag, TagAssignment


class TagExists(Conflict):
    code = "tag_exists"


_EXISTS = "Já existe uma tag com este nome"


def _count_query(company_id: uuid.UUID) -> Any:
    return (
        select(Tag, func.count(TagAssignment.contact_id))
        .outerjoin(TagAssignment, TagAssignment.tag_id == Tag.id)
        .where(Tag.company_id == company_id)
        .group_by(Tag.id)
    )


async def list_tags(session: AsyncSession, company_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await session.execute(_count_query(company_id).order_by(func.lower(Tag.name), Tag.id))
    return [tag_out(tag, int(count)) for tag, count in rows.all()]


async def tag_view(session: AsyncSession, company_id: uuid.UUID, tag_id: uuid.UUID) -> dict[str, Any]:
    row = (
        await session.execute(
            _count_query(company_id).where(Tag.id == tag_id).execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise NotFound("Tag não encontrada")
    return tag_out(row[0], int(row[1]))


async def get_tag(session: AsyncSession, company_id: uuid.UUID, tag_id: uuid.UUID) -> Tag:
    tag = await session.scalar(select(Tag).where(Tag.id == tag_id, Tag.company_id == company_id))
    if tag is None:
        raise NotFound("Tag não encontrada")
    return tag


async def create_tag(session: AsyncSession, company_id: uuid.UUID, data: TagIn) -> uuid.UUID:
    # The unique index on lower(name) decides, so two concurrent creations cannot both win.
    tag_id: uuid.UUID | None = await session.scalar(
        insert(Tag)
        .values(
            id=uuid.uuid4(),
            company_id=company_id,
            name=data.name,
            color=data.color,
            description=data.description,
            is_ai_managed=data.is_ai_managed,
        )
        .on_conflict_do_nothing()
        .returning(Tag.id)
    )
    if tag_id is None:
        raise TagExists(_EXISTS, details=[{"field": "name", "code": "tag_exists", "message": _EXISTS}])
    return tag_id


async def update_tag(session: AsyncSession, tag: Tag, data: TagUpdate) -> None:
    values = {
        column: getattr(data, column)
        for column in ("name", "color", "description", "is_ai_managed")
        if column in data.model_fields_set
    }
    if not values:
        return
    try:
        async with session.begin_nested():
            await session.execute(update(Tag).where(Tag.id == tag.id).values(**values))
    except IntegrityError:
        raise TagExists(
            _EXISTS, details=[{"field": "name", "code": "tag_exists", "message": _EXISTS}]
        ) from None


async def delete_tag(session: AsyncSession, tag: Tag) -> None:
    carriers = await _carriers(session, tag.company_id, [tag.id])
    await session.execute(delete(Tag).where(Tag.id == tag.id, Tag.company_id == tag.company_id))
    await announce(session, tag.company_id, carriers)


async def _carriers(
    session: AsyncSession, company_id: uuid.UUID, tag_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(TagAssignment.contact_id)
        .where(TagAssignment.company_id == company_id, TagAssignment.tag_id.in_(tag_ids))
        .distinct()
    )
    return list(rows.all())


async def ensure_all(
    session: AsyncSession, company_id: uuid.UUID, model: type[Tag] | type[Contact], ids: Iterable[uuid.UUID]
) -> None:
    wanted = set(ids)
    found = set(
        (
            await session.scalars(
                select(model.id).where(model.company_id == company_id, model.id.in_(wanted))
            )
        ).all()
    )
    missing = wanted - found
    if missing:
        what = "Tag não encontrada" if model is Tag else "Contato não encontrado"
        raise NotFound(what, details=[{"field": "id", "code": "not_found", "ids": sorted(map(str, missing))}])


async def merge_tags(session: AsyncSession, member: Member, data: TagMerge) -> dict[str, Any]:
    company_id = member.company_id
    sources = [tag_id for tag_id in dict.fromkeys(data.source_tag_ids) if tag_id != data.target_tag_id]
    await ensure_all(session, company_id, Tag, [*sources, data.target_tag_id])
    carriers = await _carriers(session, company_id, sources)
    if sources:
        await session.execute(
            insert(TagAssignment)
            .from_select(
                ["contact_id", "tag_id", "company_id", "assigned_by"],
                select(
                    TagAssignment.contact_id,
                    literal(data.target_tag_id, Uuid),
                    literal(company_id, Uuid),
                    literal(member.user_id, Uuid),
                )
                .where(TagAssignment.company_id == company_id, TagAssignment.tag_id.in_(sources))
                .distinct(),
            )
            .on_conflict_do_nothing()
        )
        await session.execute(delete(Tag).where(Tag.company_id == company_id, Tag.id.in_(sources)))
    await announce(session, company_id, carriers)
    target = await tag_view(session, company_id, data.target_tag_id)
    return {"merged": len(sources), "contactsUpdated": len(carriers), "targetTag": target}


async def change_tags(
    session: AsyncSession,
    member: Member,
    contact_ids: list[uuid.UUID],
    tag_ids: list[uuid.UUID],
    action: Literal["add", "remove"],
) -> int:
    return await apply_tags(
        session,
        company_id=member.company_id,
        user_id=member.user_id,
        contact_ids=contact_ids,
        tag_ids=tag_ids,
        action=action,
    )


async def apply_tags(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    user_id: uuid.UUID | None,
    contact_ids: list[uuid.UUID],
    tag_ids: list[uuid.UUID],
    action: Literal["add", "remove"],
    actor: Actor = "user",
    reason: str | None = None,
) -> int:
    """Add or remove every tag on every contact; pairs already so are skipped. Each real change is
    logged in the contact's history in the same statement (by `actor`, with `reason`). Returns how
    many pairs changed."""
    contact_ids, tag_ids = list(dict.fromkeys(contact_ids)), list(dict.fromkeys(tag_ids))
    await ensure_all(session, company_id, Contact, contact_ids)
    await ensure_all(session, company_id, Tag, tag_ids)
    wanted = (
        select(Contact.id, Tag.id)
        .join_from(Contact, Tag, true())
        .where(
            Contact.company_id == company_id,
            Contact.id.in_(contact_ids),
            Tag.company_id == company_id,
            Tag.id.in_(tag_ids),
        )
    )
    if action == "add":
        changed: Any = (
            insert(TagAssignment)
            .from_select(
                ["contact_id", "tag_id", "company_id", "assigned_by"],
                wanted.add_columns(literal(company_id, Uuid), literal(user_id, Uuid)),
            )
            .on_conflict_do_nothing()
            .returning(TagAssignment.contact_id, TagAssignment.tag_id)
            .cte("changed")
        )
    else:
        changed = (
            delete(TagAssignment)
            .where(
                TagAssignment.company_id == company_id,
                TagAssignment.contact_id.in_(contact_ids),
                TagAssignment.tag_id.in_(tag_ids),
            )
            .returning(TagAssignment.contact_id, TagAssignment.tag_id)
            .cte("changed")
        )
    logged = (
        insert(ContactEvent)
        .from_select(
            ["id", "company_id", "contact_id", "type", "actor", "user_id", "payload"],
            select(
                func.gen_random_uuid(),
                literal(company_id, Uuid),
                changed.c.contact_id,
                literal_column("'TAG_ADDED'" if action == "add" else "'TAG_REMOVED'"),
                literal(actor, String),
                literal(user_id, Uuid),
                func.jsonb_strip_nulls(
                    func.jsonb_build_object(
                        literal_column("'tagId'"),
                        Tag.id,
                        literal_column("'tagName'"),
                        Tag.name,
                        literal_column("'reason'"),
                        literal(reason, String),
                    )
                ),
            ).join_from(changed, Tag, Tag.id == changed.c.tag_id),
        )
        .add_cte(changed)
        .returning(ContactEvent.contact_id, ContactEvent.type, ContactEvent.payload)
    )
    rows = (await session.execute(logged)).all()
    touched = [row.contact_id for row in rows]
    if touched:
        await announce(session, company_id, touched)
    if action == "add" and rows:
        from evoai.followups.triggers import on_contact_events  # follow-ups build on contacts

        await on_contact_events(session, company_id, [(r.contact_id, r.type, r.payload) for r in rows])
        from evoai.flows import triggers as flow_triggers  # flows build on contacts too

        await flow_triggers.on_contact_events(
            session, company_id, [(r.contact_id, r.type, r.payload) for r in rows]
        )
    return len(touched)
