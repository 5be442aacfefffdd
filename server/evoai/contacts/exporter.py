"""GET /api/contacts/export: the filtered list as CSV, streamed in batches from its own session."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.contacts import filters
from evoai.contacts.csv_io import BOM, EXPORT_COLUMNS, TAG_SEPARATOR, csv_lines
from evoai.models import Contact, Funnel, Stage, Tag, TagAssignment

_BATCH = 500


def _query(where: list[Any], sort: str) -> Any:
    tag_names = (
        select(
            func.string_agg(
                Tag.name, aggregate_order_by(literal_column(f"'{TAG_SEPARATOR}'"), func.lower(Tag.name))
            )
        )
        .select_from(TagAssignment)
        .join(Tag, Tag.id == TagAssignment.tag_id)
        .where(TagAssignment.contact_id == Contact.id)
        .scalar_subquery()
    )
    return (
        select(
            func.coalesce(Contact.name, Contact.push_name),
            Contact.phone_number,
            Contact.email,
            tag_names,
            Stage.name,
            Funnel.name,
            Contact.is_blocked,
            Contact.created_at,
            Contact.last_activity_at,
            Contact.notes,
        )
        .outerjoin(Stage, Stage.id == Contact.stage_id)
        .outerjoin(Funnel, Funnel.id == Stage.funnel_id)
        .where(*where)
        .order_by(*filters.order_by(sort))
    )


def _cells(row: Any) -> list[Any]:
    name, phone, email, tags, stage, funnel, blocked, created, active, notes = row
    return [
        name,
        phone,
        email,
        tags,
        stage,
        funnel,
        "true" if blocked else "false",
        created.isoformat() if created else None,
        active.isoformat() if active else None,
        notes,
    ]


async def export_csv(
    factory: async_sessionmaker[AsyncSession],
    *,
    company_id: uuid.UUID,
    user_id: uuid.UUID,
    wanted: filters.ContactFilters,
) -> AsyncIterator[bytes]:
    """The request's session is committed and closed while this still streams, so the rows come
    through a session of their own (same tenant, so RLS applies as to the request)."""
    yield (BOM + csv_lines([list(EXPORT_COLUMNS)])).encode()
    async with factory() as session:
        session.info.update(company_id=company_id, user_id=user_id)
        where = await filters.conditions(session, company_id, wanted)
        query = _query(where, wanted.sort).execution_options(yield_per=_BATCH)
        result = await session.stream(query)
        async for rows in result.partitions():
            yield csv_lines([_cells(row) for row in rows]).encode()
