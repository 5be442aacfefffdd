"""Funnels: list, create (with a first stage), rename, make default, delete."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.history import record_event
from evoai.deals import events
from evoai.exceptions import Conflict
from evoai.funnels.queries import (
    StageCounts,
    funnel_out,
    funnel_stages,
    get_funnel,
    lock_company_funnels,
    stages_with_counts,
)
from evoai.funnels.schemas import FunnelCreate, FunnelUpdate
from evoai.models import Contact, Deal, Funnel, Stage

FIRST_STAGE = {"name": "Novo", "color": "#6B7280", "probability": 10}


async def list_funnels(session: AsyncSession, company_id: uuid.UUID) -> list[dict[str, Any]]:
    funnels = (
        await session.scalars(
            select(Funnel)
            .where(Funnel.company_id == company_id)
            .order_by(Funnel.position, Funnel.created_at, Funnel.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    by_funnel: dict[uuid.UUID, list[tuple[Stage, StageCounts]]] = defaultdict(list)
    for stage, counts in await stages_with_counts(session, company_id):
        by_funnel[stage.funnel_id].append((stage, counts))
    return [funnel_out(funnel, by_funnel[funnel.id]) for funnel in funnels]


async def _ensure_unique_name(
    session: AsyncSession, company_id: uuid.UUID, name: str, *, except_id: uuid.UUID | None = None
) -> None:
    query = select(Funnel.id).where(Funnel.company_id == company_id, func.lower(Funnel.name) == name.lower())
    if except_id is not None:
        query = query.where(Funnel.id != except_id)
    if await session.scalar(query) is not None:
        raise Conflict(
            "Já existe um funil com este nome",
            details=[{"field": "name", "message": "already in use"}],
        )


async def create_funnel(
    session: AsyncSession, *, company_id: uuid.UUID, user_id: uuid.UUID | None, data: FunnelCreate
) -> Funnel:
    """A funnel with one stage ("Novo"); the company's first funnel becomes its default."""
    await lock_company_funnels(session, company_id)
    await _ensure_unique_name(session, company_id, data.name)
    has_default = await session.scalar(
        select(Funnel.id).where(Funnel.company_id == company_id, Funnel.is_default.is_(True))
    )
    last = await session.scalar(select(func.max(Funnel.position)).where(Funnel.company_id == company_id))
    funnel = Funnel(
        id=uuid.uuid4(),
        company_id=company_id,
        name=data.name,
        description=data.description,
        color=data.color or "#4F46E5",
        position=0 if last is None else last + 1,
        is_default=has_default is None,
        created_by=user_id,
    )
    session.add(funnel)
    await session.flush()
    session.add(Stage(id=uuid.uuid4(), company_id=company_id, funnel_id=funnel.id, position=0, **FIRST_STAGE))
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)
    return funnel


async def update_funnel(
    session: AsyncSession, *, company_id: uuid.UUID, funnel_id: uuid.UUID, data: FunnelUpdate
) -> Funnel:
    fields = data.model_fields_set
    await lock_company_funnels(session, company_id)
    funnel = await get_funnel(session, company_id, funnel_id, lock=True)
    if "name" in fields and data.name is not None and data.name != funnel.name:
        await _ensure_unique_name(session, company_id, data.name, except_id=funnel.id)
        funnel.name = data.name
    if "description" in fields:
        funnel.description = data.description
    if "color" in fields and data.color is not None:
        funnel.color = data.color
    if data.is_default and not funnel.is_default:
        # Clear the old default first: the partial unique index allows one per company.
        await session.execute(
            update(Funnel)
            .where(Funnel.company_id == company_id, Funnel.is_default.is_(True), Funnel.id != funnel.id)
            .values(is_default=False)
            .execution_options(synchronize_session=False)
        )
        funnel.is_default = True
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)
    return funnel


async def delete_funnel(
    session: AsyncSession, *, company_id: uuid.UUID, funnel_id: uuid.UUID, user_id: uuid.UUID | None
) -> None:
    """Refused for the default funnel and for one holding deals. Its contacts leave it (their history
    says so); its stages go with it."""
    funnel = await get_funnel(session, company_id, funnel_id, lock=True)
    if funnel.is_default:
        raise Conflict("O funil padrão não pode ser excluído; torne outro funil o padrão antes")
    stages = await funnel_stages(session, company_id, funnel.id)
    stage_ids = [stage.id for stage in stages]
    # Entering a stage takes its lock: holding them all, no deal can arrive while we count. (NO KEY:
    # a contact being moved in is not blocked, so it cannot deadlock with us; the deletion below
    # then waits for it and clears its stage.)
    if stage_ids:
        await session.execute(select(Stage.id).where(Stage.id.in_(stage_ids)).with_for_update(key_share=True))
    deals = int(
        await session.scalar(
            select(func.count())
            .select_from(Deal)
            .where(Deal.company_id == company_id, Deal.funnel_id == funnel.id)
        )
        or 0
    )
    if deals:
        noun = "negócio" if deals == 1 else "negócios"
        raise Conflict(
            f"O funil tem {deals} {noun}; mova-os para outro funil ou exclua-os antes",
            details=[{"field": "id", "dealCount": deals}],
        )
    names = {stage.id: stage.name for stage in stages}
    members = (
        await session.execute(
            select(Contact.id, Contact.stage_id)
            .where(
                Contact.company_id == company_id,
                or_(
                    Contact.stage_id.in_(stage_ids),
                    and_(Contact.funnel_id == funnel.id, Contact.stage_id.is_(None)),
                ),
            )
            .with_for_update(key_share=True)
        )
    ).all()
    for contact_id, stage_id in members:
        await record_event(
            session,
            company_id=company_id,
            contact_id=contact_id,
            type="STAGE_CHANGED",
            user_id=user_id,
            payload={
                "fromStageId": str(stage_id) if stage_id else None,
                "fromStageName": names.get(stage_id) if stage_id else None,
                "fromFunnelId": str(funnel.id),
                "toStageId": None,
                "toStageName": None,
                "reason": "funnel_deleted",
                "description": f"Saiu do funil '{funnel.name}' (funil excluído)",
                "funnelName": funnel.name,
            },
        )
    if members:
        await session.execute(
            update(Contact)
            .where(Contact.company_id == company_id, Contact.id.in_([m[0] for m in members]))
            .values(funnel_id=None, stage_id=None, stage_entered_at=None)
            .execution_options(synchronize_session=False)
        )
    await session.delete(funnel)
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)
