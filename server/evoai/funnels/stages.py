"""A funnel's stages: create, update, reorder, delete (moving its deals and contacts out first).

Positions are kept 0..n-1 in board order; the API shows them 1-based as `order`. Every change holds
the funnel's row lock (one structural change per funnel at a time).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.history import record_event
from evoai.deals import events
from evoai.deals.moves import evacuate_stage, lock_stage
from evoai.exceptions import Conflict, NotFound, ValidationFailed
from evoai.funnels.queries import funnel_stages, get_funnel, stage_out, stages_with_counts
from evoai.funnels.schemas import StageCreate, StageUpdate
from evoai.models import Contact, Deal, Funnel, Stage


async def list_all_stages(session: AsyncSession, company_id: uuid.UUID) -> list[dict[str, Any]]:
    funnels = {
        funnel.id: funnel
        for funnel in (await session.scalars(select(Funnel).where(Funnel.company_id == company_id))).all()
    }
    rows = await stages_with_counts(session, company_id)
    rows.sort(
        key=lambda row: (
            funnels[row[0].funnel_id].position,
            funnels[row[0].funnel_id].created_at,
            row[0].position,
        )
    )
    return [
        {
            **stage_out(stage, counts),
            "funnel": {"id": str(stage.funnel_id), "name": funnels[stage.funnel_id].name},
        }
        for stage, counts in rows
    ]


async def list_funnel_stages(
    session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID
) -> list[dict[str, Any]]:
    funnel = await get_funnel(session, company_id, funnel_id)
    return [
        stage_out(stage, counts)
        for stage, counts in await stages_with_counts(session, company_id, [funnel.id])
    ]


def _renumber(stages: list[Stage]) -> None:
    for position, stage in enumerate(stages):
        if stage.position != position:
            stage.position = position


async def create_stage(
    session: AsyncSession, *, company_id: uuid.UUID, funnel_id: uuid.UUID, data: StageCreate
) -> Stage:
    funnel = await get_funnel(session, company_id, funnel_id, lock=True)
    stages = await funnel_stages(session, company_id, funnel.id)
    stage = Stage(
        id=uuid.uuid4(),
        company_id=company_id,
        funnel_id=funnel.id,
        name=data.name,
        description=data.description,
        color=data.color or "#6B7280",
        position=len(stages),
        probability=data.probability,
        wip_limit=data.wip_limit,
        is_won_stage=data.is_won_stage,
        is_lost_stage=data.is_lost_stage,
    )
    session.add(stage)
    index = len(stages) if data.order is None else min(data.order - 1, len(stages))
    stages.insert(index, stage)
    _renumber(stages)
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)
    return stage


async def _stage_funnel(session: AsyncSession, company_id: uuid.UUID, stage_id: uuid.UUID) -> Funnel:
    funnel_id = await session.scalar(
        select(Stage.funnel_id).where(Stage.id == stage_id, Stage.company_id == company_id)
    )
    if funnel_id is None:
        raise NotFound("Etapa não encontrada")
    return await get_funnel(session, company_id, funnel_id, lock=True)


async def update_stage(
    session: AsyncSession, *, company_id: uuid.UUID, stage_id: uuid.UUID, data: StageUpdate
) -> Stage:
    """A WIP limit below the stage's current OPEN deals is accepted (it refuses new entries only);
    turning a stage into a won/lost one leaves the deals already in it as they are."""
    fields = data.model_fields_set
    if not fields:
        raise ValidationFailed("Nada para atualizar")
    funnel = await _stage_funnel(session, company_id, stage_id)
    stage = await lock_stage(session, company_id, stage_id)
    won = data.is_won_stage if "is_won_stage" in fields else stage.is_won_stage
    lost = data.is_lost_stage if "is_lost_stage" in fields else stage.is_lost_stage
    if won and lost:
        raise ValidationFailed(
            "Dados inválidos — uma etapa não pode ser de ganho e de perda ao mesmo tempo",
            details=[{"field": "isWonStage", "message": "won and lost are exclusive"}],
        )
    for name in ("name", "description", "color", "probability", "wip_limit"):
        if name in fields:
            setattr(stage, name, getattr(data, name))
    stage.is_won_stage, stage.is_lost_stage = bool(won), bool(lost)
    if data.order is not None:
        stages = [s for s in await funnel_stages(session, company_id, funnel.id) if s.id != stage.id]
        stages.insert(min(data.order - 1, len(stages)), stage)
        _renumber(stages)
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)
    return stage


async def reorder_stages(
    session: AsyncSession, *, company_id: uuid.UUID, funnel_id: uuid.UUID, stage_ids: list[uuid.UUID]
) -> None:
    funnel = await get_funnel(session, company_id, funnel_id, lock=True)
    stages = await funnel_stages(session, company_id, funnel.id)
    by_id = {stage.id: stage for stage in stages}
    if len(stage_ids) != len(set(stage_ids)) or set(stage_ids) != set(by_id):
        raise ValidationFailed(
            "Dados inválidos — stageIds: envie todas as etapas do funil, cada uma uma vez",
            details=[{"field": "stageIds", "message": "must list every stage of the funnel once"}],
        )
    _renumber([by_id[stage_id] for stage_id in stage_ids])
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)


async def delete_stage(
    session: AsyncSession, *, company_id: uuid.UUID, stage_id: uuid.UUID, user_id: uuid.UUID | None
) -> dict[str, Any]:
    """Moves the stage's deals and contacts to the previous stage (the next one for the first
    stage), then deletes it. The move ignores the target's WIP limit (logged on each deal). The
    funnel's only stage cannot go (409)."""
    funnel = await _stage_funnel(session, company_id, stage_id)
    stages = await funnel_stages(session, company_id, funnel.id)
    index = next((i for i, s in enumerate(stages) if s.id == stage_id), None)
    if index is None:
        raise NotFound("Etapa não encontrada")
    if len(stages) == 1:
        raise Conflict("A única etapa do funil não pode ser excluída")
    target_id = stages[index - 1].id if index > 0 else stages[index + 1].id
    # Lock order as in moves: the deals first, then the stages.
    await session.execute(
        select(Deal.id)
        .where(Deal.company_id == company_id, Deal.stage_id == stage_id)
        .with_for_update(key_share=True)
    )
    # The doomed stage fully (nothing may start referencing it), the target as any entry does (contacts
    # may still be moved into it meanwhile).
    source = await lock_stage(session, company_id, stage_id, for_delete=True)
    target = await lock_stage(session, company_id, target_id)
    reason = f"Etapa '{source.name}' excluída"
    moved_deals = await evacuate_stage(
        session, company_id=company_id, source=source, target=target, user_id=user_id, reason=reason
    )
    contact_ids = list(
        (
            await session.scalars(
                select(Contact.id)
                .where(Contact.company_id == company_id, Contact.stage_id == source.id)
                .with_for_update(key_share=True)
            )
        ).all()
    )
    for contact_id in contact_ids:
        await record_event(
            session,
            company_id=company_id,
            contact_id=contact_id,
            type="STAGE_CHANGED",
            user_id=user_id,
            payload={
                "fromStageId": str(source.id),
                "fromStageName": source.name,
                "toStageId": str(target.id),
                "toStageName": target.name,
                "funnelId": str(funnel.id),
                "reason": reason,
                "description": f"Movido de '{source.name}' para '{target.name}' (etapa excluída)",
            },
        )
    if contact_ids:
        await session.execute(
            update(Contact)
            .where(Contact.company_id == company_id, Contact.id.in_(contact_ids))
            .values(stage_id=target.id, funnel_id=target.funnel_id, stage_entered_at=datetime.now(UTC))
            .execution_options(synchronize_session=False)
        )
    await session.delete(source)
    await session.flush()
    _renumber([s for s in stages if s.id != source.id])
    await session.flush()
    await events.funnel_updated(session, company_id, funnel.id)
    return {"movedDeals": moved_deals, "movedContacts": len(contact_ids), "targetStageId": str(target.id)}
