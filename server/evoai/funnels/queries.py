"""Loading funnels and stages (always company-scoped), with the counts their JSON shapes carry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deals.serialise import iso, money
from evoai.exceptions import NotFound
from evoai.models import Contact, Deal, Funnel, Stage


@dataclass(frozen=True, slots=True)
class StageCounts:
    deals: int = 0
    open_deals: int = 0
    value: Decimal = Decimal("0")
    contacts: int = 0


async def get_funnel(
    session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID, *, lock: bool = False
) -> Funnel:
    """The funnel; `lock` takes its row lock, which every structural change of the funnel holds, so
    changes to one funnel's stages happen one at a time. NO KEY UPDATE: rows that merely reference
    the funnel (a new deal, a stage period, a contact) are not held up, so they cannot deadlock
    with a structural change that waits for a stage they hold."""
    query = select(Funnel).where(Funnel.id == funnel_id, Funnel.company_id == company_id)
    if lock:
        query = query.with_for_update(key_share=True)
    funnel = await session.scalar(query.execution_options(populate_existing=True))
    if funnel is None:
        raise NotFound("Funil não encontrado")
    return funnel


async def lock_company_funnels(session: AsyncSession, company_id: uuid.UUID) -> None:
    """Serialises the company's funnel creations, renames and default changes (names are unique
    ignoring case and exactly one funnel is the default)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('funnels:' || :company))"), {"company": str(company_id)}
    )


async def funnel_stages(session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID) -> list[Stage]:
    return list(
        (
            await session.scalars(
                select(Stage)
                .where(Stage.company_id == company_id, Stage.funnel_id == funnel_id)
                .order_by(Stage.position, Stage.created_at, Stage.id)
                .execution_options(populate_existing=True)
            )
        ).all()
    )


async def stages_with_counts(
    session: AsyncSession, company_id: uuid.UUID, funnel_ids: Sequence[uuid.UUID] | None = None
) -> list[tuple[Stage, StageCounts]]:
    """The stages of `funnel_ids` (all the company's when None) in board order, each with its deal
    counts (all, OPEN), the value of its deals and the contacts sitting in it: one query."""
    deal_counts = select(
        Deal.stage_id.label("stage_id"),
        func.count().label("deals"),
        func.count().filter(Deal.status == "OPEN").label("open_deals"),
        func.coalesce(func.sum(Deal.value), 0).label("value"),
    ).where(Deal.company_id == company_id)
    stage_scope = select(Stage.id).where(Stage.company_id == company_id)
    if funnel_ids is not None:
        deal_counts = deal_counts.where(Deal.funnel_id.in_(funnel_ids))
        stage_scope = stage_scope.where(Stage.funnel_id.in_(funnel_ids))
    deals = deal_counts.group_by(Deal.stage_id).subquery("deal_counts")
    contacts = (
        select(Contact.stage_id.label("stage_id"), func.count().label("contacts"))
        .where(Contact.company_id == company_id, Contact.stage_id.in_(stage_scope))
        .group_by(Contact.stage_id)
        .subquery("contact_counts")
    )
    query = (
        select(
            Stage,
            func.coalesce(deals.c.deals, 0),
            func.coalesce(deals.c.open_deals, 0),
            func.coalesce(deals.c.value, 0),
            func.coalesce(contacts.c.contacts, 0),
        )
        .outerjoin(deals, deals.c.stage_id == Stage.id)
        .outerjoin(contacts, contacts.c.stage_id == Stage.id)
        .where(Stage.company_id == company_id)
        .order_by(Stage.funnel_id, Stage.position, Stage.created_at, Stage.id)
        .execution_options(populate_existing=True)
    )
    if funnel_ids is not None:
        query = query.where(Stage.funnel_id.in_(funnel_ids))
    rows = (await session.execute(query)).all()
    return [(row[0], StageCounts(int(row[1]), int(row[2]), Decimal(row[3]), int(row[4]))) for row in rows]


def stage_out(stage: Stage, counts: StageCounts) -> dict[str, Any]:
    return {
        "id": str(stage.id),
        "publicId": stage.public_id,
        "funnelId": str(stage.funnel_id),
        "name": stage.name,
        "description": stage.description,
        "color": stage.color,
        "order": stage.position + 1,
        "probability": stage.probability,
        "wipLimit": stage.wip_limit,
        "isWonStage": stage.is_won_stage,
        "isLostStage": stage.is_lost_stage,
        "dealCount": counts.deals,
        "openDealCount": counts.open_deals,
        "dealValue": money(counts.value),
        "contactCount": counts.contacts,
        "createdAt": iso(stage.created_at),
        "updatedAt": iso(stage.updated_at),
    }


def funnel_out(funnel: Funnel, stages: list[tuple[Stage, StageCounts]]) -> dict[str, Any]:
    return {
        "id": str(funnel.id),
        "publicId": funnel.public_id,
        "name": funnel.name,
        "description": funnel.description,
        "color": funnel.color,
        "isDefault": funnel.is_default,
        "order": funnel.position + 1,
        "stageCount": len(stages),
        "dealCount": sum(counts.deals for _, counts in stages),
        "openDealCount": sum(counts.open_deals for _, counts in stages),
        "contactCount": sum(counts.contacts for _, counts in stages),
        "totalValue": money(sum((counts.value for _, counts in stages), Decimal("0"))),
        "stages": [stage_out(stage, counts) for stage, counts in stages],
        "createdAt": iso(funnel.created_at),
        "updatedAt": iso(funnel.updated_at),
    }


async def funnel_view(session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID) -> dict[str, Any]:
    funnel = await get_funnel(session, company_id, funnel_id)
    return funnel_out(funnel, await stages_with_counts(session, company_id, [funnel.id]))


async def stage_view(session: AsyncSession, company_id: uuid.UUID, stage_id: uuid.UUID) -> dict[str, Any]:
    funnel_id = await session.scalar(
        select(Stage.funnel_id).where(Stage.id == stage_id, Stage.company_id == company_id)
    )
    if funnel_id is not None:
        for stage, counts in await stages_with_counts(session, company_id, [funnel_id]):
            if stage.id == stage_id:
                return stage_out(stage, counts)
    raise NotFound("Etapa não encontrada")
