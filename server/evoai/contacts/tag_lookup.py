"""Tags of many contacts at once, for lists that show them (inbox, contacts)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import Tag, TagAssignment


def tag_brief(tag: Tag) -> dict[str, Any]:
    return {"id": str(tag.id), "name": tag.name, "color": tag.color}


async def tags_by_contact(
    session: AsyncSession, contact_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    ids = {contact_id for contact_id in contact_ids if contact_id}
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return found
    rows = await session.execute(
        select(TagAssignment.contact_id, Tag)
        .join(Tag, Tag.id == TagAssignment.tag_id)
        .where(TagAssignment.contact_id.in_(ids))
        .order_by(Tag.name)
    )
    for contact_id, tag in rows.all():
        found[contact_id].append(tag_brief(tag))
    return found
