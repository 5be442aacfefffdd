"""SQL conditions on a contact shared by the contact list and the inbox's filters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import ARRAY, Uuid, any_, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import Contact, Deal, TagAssignment


def has_tags(tag_ids: Sequence[uuid.UUID], match: Literal["all", "any"] = "any") -> Any:
    """The contact carries any (or all) of the tags."""
    if match == "all":
        return select(func.count()).select_from(TagAssignment).where(
            TagAssignment.contact_id == Contact.id, TagAssignment.tag_id.in_(tag_ids)
        ).scalar_subquery() == len(set(tag_ids))
    return exists().where(TagAssignment.contact_id == Contact.id, TagAssignment.tag_id.in_(tag_ids))


def _open_deal(*conditions: Any) -> Any:
    return exists().where(Deal.contact_id == Contact.id, Deal.status == "OPEN", *conditions)


def in_funnel(funnel_id: uuid.UUID) -> Any:
    """The contact sits in the funnel itself or has an OPEN deal there."""
    return or_(Contact.funnel_id == funnel_id, _open_deal(Deal.funnel_id == funnel_id))


def in_stage(stage_id: uuid.UUID) -> Any:
    return or_(Contact.stage_id == stage_id, _open_deal(Deal.stage_id == stage_id))


# A search with at most this many matches reads them by primary key; a commoner one walks the list's
# own order and stops at the page (benchmarks.md, "Contact search": 65 ms -> 2 ms for a rare term).
SEARCH_BY_ID_MAX = 300


async def matches_text(session: AsyncSession, company_id: uuid.UUID, pattern: str) -> Any:
    """The contact's folded search text is LIKE `pattern` (kit/text.py like_pattern).

    Under RLS a LIKE on contacts cannot use the trigram index, so the matches are first asked of
    `contact_search_ids` (migration 0013, which applies the tenant policy's test itself), capped."""
    found = await session.scalars(select(func.contact_search_ids(company_id, pattern, SEARCH_BY_ID_MAX + 1)))
    ids = list(found)
    if len(ids) <= SEARCH_BY_ID_MAX:
        return Contact.id == any_(bindparam("search_ids", ids, type_=ARRAY(Uuid)))
    return Contact.search_text.like(pattern)
