"""SQL conditions on a contact shared by the contact list and the inbox's filters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import exists, func, or_, select

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


def matches_text(company_id: uuid.UUID, pattern: str) -> Any:
    """The contact's folded search text is LIKE `pattern` (kit/text.py like_pattern), answered by the
    trigram index through `contact_search_ids` (migration 0013: RLS keeps a plain LIKE on contacts
    from using the index; the function applies the tenant policy's test itself)."""
    found = func.contact_search_ids(company_id, pattern).column_valued("contact_id")
    return Contact.id.in_(select(found))
