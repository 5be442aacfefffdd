"""Moving deals between stages, and the rules every entry into a stage obeys.

One service for every caller (the API now, the AI and automations later): it takes an `actor` and an
optional reason and knows nothing of HTTP.

Locking: a deal row is locked before a stage row, everywhere (create, move, reopen, duplicate, stage
deletion), so two operations never wait on each other in a cycle. The WIP limit counts the target
stage's OPEN deals while its row is locked (SELECT … FOR NO KEY UPDATE): every entry into a stage
takes that lock, so of concurrent moves into a stage with one free slot exactly one gets in. The
NO KEY variant (used for every row this domain locks to update: deals, stages, funnels, contacts)
still lets other transactions reference the row (a history entry for a contact, a clone pointing at
a deal, a contact moved into a stage), which a plain FOR UPDATE would block and could turn into a
deadlock; only rows about to be deleted take the full FOR UPDATE.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import structlog
from sqlalchemy import ColumnElement, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from evoai.config import Settings
from evoai.contacts.history import record_event
from evoai.deals import events
from evoai.deals.activities import Actor, log_activity
from evoai.deals.cards import CLOSED_ON_BOARD
from evoai.exceptions import Conflict, NotFound, ValidationFailed
from evoai.models import Deal, DealStagePeriod, Stage
from evoai.notifications import alerts

log = structlog.get_logger(__name__)

# Board positions: fractional, so a drop between two cards rewrites one row. A column is renumbered
# when two neighbours get too close for a midpoint.
POSITION_STEP = 1024.0
MIN_POSITION_GAP = 1e-6
# Won and lost columns show the deals closed in this window (and any OPEN ones).


class WipLimitReached(Conflict):
    code = "wip_limit"


class DealClosed(Conflict):
    code = "deal_closed"


@dataclass(frozen=True, slots=True)
class MoveResult:
    deal: Deal
    from_stage: Stage
    to_stage: Stage
    changed_stage: bool


# ----------------------------------------------------------------------------- loading and locking


async def lock_deal(
    session: AsyncSession, company_id: uuid.UUID, deal_id: uuid.UUID, *, for_delete: bool = False
) -> Deal:
    deal = await session.scalar(
        select(Deal)
        .where(Deal.id == deal_id, Deal.company_id == company_id)
        .with_for_update(key_share=not for_delete)
        .execution_options(populate_existing=True)
    )
    if deal is None:
        raise NotFound("Negócio não encontrado")
    return deal


async def get_stage(session: AsyncSession, company_id: uuid.UUID, stage_id: uuid.UUID) -> Stage:
    stage = await session.scalar(select(Stage).where(Stage.id == stage_id, Stage.company_id == company_id))
    if stage is None:
        raise NotFound("Etapa não encontrada")
    return stage


async def lock_stage(
    session: AsyncSession, company_id: uuid.UUID, stage_id: uuid.UUID, *, for_delete: bool = False
) -> Stage:
    """The stage, locked until the transaction ends: hold this before counting its OPEN deals.
    A stage deleted meanwhile is a 404 once the lock is granted."""
    stage = await session.scalar(
        select(Stage)
        .where(Stage.id == stage_id, Stage.company_id == company_id)
        .with_for_update(key_share=not for_delete)
        .execution_options(populate_existing=True)
    )
    if stage is None:
        raise NotFound("Etapa não encontrada")
    return stage


def closes_deals(stage: Stage) -> bool:
    return stage.is_won_stage or stage.is_lost_stage


async def open_deal_count(
    session: AsyncSession, stage: Stage, *, exclude_deal_id: uuid.UUID | None = None
) -> int:
    query = (
        select(func.count())
        .select_from(Deal)
        .where(Deal.company_id == stage.company_id, Deal.stage_id == stage.id, Deal.status == "OPEN")
    )
    if exclude_deal_id is not None:
        query = query.where(Deal.id != exclude_deal_id)
    return int(await session.scalar(query) or 0)


async def ensure_wip(
    session: AsyncSession, stage: Stage, *, exclude_deal_id: uuid.UUID | None = None
) -> None:
    """Refuse one more OPEN deal in `stage` when it is at its WIP limit. The caller holds lock_stage."""
    if stage.wip_limit is None:
        return
    count = await open_deal_count(session, stage, exclude_deal_id=exclude_deal_id)
    if count >= stage.wip_limit:
        raise WipLimitReached(
            f"A etapa {stage.name} está no limite de {stage.wip_limit} negócios em aberto",
            details=[
                {
                    "field": "stageId",
                    "stageId": str(stage.id),
                    "stageName": stage.name,
                    "wipLimit": stage.wip_limit,
                    "openDeals": count,
                }
            ],
        )


# ----------------------------------------------------------------------------- positions


async def last_position(
    session: AsyncSession, stage: Stage, *, exclude_deal_id: uuid.UUID | None = None
) -> float:
    query = select(func.max(Deal.position)).where(
        Deal.company_id == stage.company_id, Deal.stage_id == stage.id
    )
    if exclude_deal_id is not None:
        query = query.where(Deal.id != exclude_deal_id)
    top = await session.scalar(query)
    return (top or 0.0) + POSITION_STEP


async def _renumber(session: AsyncSession, stage: Stage) -> None:
    await session.execute(
        text(
            "UPDATE deals AS d SET position = r.rn * :step FROM ("
            " SELECT id, row_number() OVER (ORDER BY position, created_at, id) AS rn"
            " FROM deals WHERE company_id = :company AND stage_id = :stage"
            ") AS r WHERE d.id = r.id"
        ),
        {"step": POSITION_STEP, "company": stage.company_id, "stage": stage.id},
    )


def on_board(stage: Stage) -> ColumnElement[bool]:
    """Which deals of `stage` its board column shows (as funnels/board.py does)."""
    visible = Deal.status == "OPEN"
    if closes_deals(stage):
        return or_(visible, Deal.closed_at >= datetime.now(UTC) - CLOSED_ON_BOARD)
    return visible


async def position_for(
    session: AsyncSession, stage: Stage, *, index: int | None, exclude_deal_id: uuid.UUID | None
) -> float:
    """The position that puts a card at `index` of the stage's board column (None: last)."""
    if index is None:
        return await last_position(session, stage, exclude_deal_id=exclude_deal_id)
    query = (
        select(Deal.position)
        .where(Deal.company_id == stage.company_id, Deal.stage_id == stage.id, on_board(stage))
        .order_by(Deal.position, Deal.created_at, Deal.id)
    )
    if exclude_deal_id is not None:
        query = query.where(Deal.id != exclude_deal_id)
    for _ in range(2):
        column = list((await session.scalars(query)).all())
        index = min(index, len(column))
        before = column[index - 1] if index > 0 else None
        after = column[index] if index < len(column) else None
        if after is None:
            return (before if before is not None else 0.0) + POSITION_STEP
        if before is None:
            return after - POSITION_STEP
        middle = (before + after) / 2
        if after - before > MIN_POSITION_GAP and before < middle < after:
            return middle
        await _renumber(session, stage)
    return await last_position(session, stage, exclude_deal_id=exclude_deal_id)


def set_position(deal: Deal, position: float) -> None:
    deal.position = position
    # A renumbered column may have changed the stored value under an equal in-memory one.
    flag_modified(deal, "position")


# ----------------------------------------------------------------------------- stage periods


async def close_period(session: AsyncSession, deal: Deal, at: datetime) -> None:
    await session.flush()
    await session.execute(
        update(DealStagePeriod)
        .where(
            DealStagePeriod.company_id == deal.company_id,
            DealStagePeriod.deal_id == deal.id,
            DealStagePeriod.exited_at.is_(None),
        )
        .values(exited_at=at)
        .execution_options(synchronize_session=False)
    )


def open_period(session: AsyncSession, deal: Deal, at: datetime) -> None:
    session.add(
        DealStagePeriod(
            id=uuid.uuid4(),
            company_id=deal.company_id,
            deal_id=deal.id,
            funnel_id=deal.funnel_id,
            stage_id=deal.stage_id,
            entered_at=at,
        )
    )


async def enter_stage(session: AsyncSession, deal: Deal, stage: Stage, position: float, at: datetime) -> None:
    """Put an existing deal in `stage`: ends its current stay, starts one in the new stage."""
    await close_period(session, deal, at)
    deal.stage_id = stage.id
    deal.funnel_id = stage.funnel_id
    deal.stage_entered_at = at
    deal.last_activity_at = at
    set_position(deal, position)
    open_period(session, deal, at)
    await session.flush()


# ----------------------------------------------------------------------------- status


def stage_change_metadata(source: Stage, target: Stage, reason: str | None) -> dict[str, Any]:
    return {
        "fromStageId": str(source.id),
        "fromStageName": source.name,
        "toStageId": str(target.id),
        "toStageName": target.name,
        "funnelId": str(target.funnel_id),
        "reason": reason,
    }


async def contact_event(
    session: AsyncSession,
    deal: Deal,
    type: str,
    *,
    actor: Actor,
    user_id: uuid.UUID | None,
    payload: dict[str, Any],
    description: str,
) -> None:
    """The deal's change in its contact's history (`description` is what the timeline shows)."""
    if deal.contact_id is None:
        return
    await record_event(
        session,
        company_id=deal.company_id,
        contact_id=deal.contact_id,
        type=type,
        actor=actor,
        user_id=user_id,
        payload={"dealId": str(deal.id), "title": deal.title, **payload, "description": description[:500]},
    )


async def close_deal(
    session: AsyncSession,
    deal: Deal,
    status: Literal["WON", "LOST"],
    *,
    lost_reason: str | None = None,
    actor: Actor = "user",
    user_id: uuid.UUID | None = None,
    reason: str | None = None,
) -> None:
    """OPEN → WON | LOST: sets closedAt, ends the stage stay, logs it, tells the team of a win."""
    now = datetime.now(UTC)
    previous = deal.status
    deal.status = status
    deal.closed_at = now
    deal.lost_reason = lost_reason if status == "LOST" else None
    await close_period(session, deal, now)
    metadata = {"fromStatus": previous, "toStatus": status, "lostReason": deal.lost_reason, "reason": reason}
    description = "Negócio marcado como ganho" if status == "WON" else f"Negócio perdido: {lost_reason}"
    log_activity(
        session, deal, "STATUS_CHANGED", description, actor=actor, user_id=user_id, metadata=metadata
    )
    outcome = "ganho" if status == "WON" else f"perdido: {lost_reason}"
    await contact_event(
        session,
        deal,
        "DEAL_STATUS_CHANGED",
        actor=actor,
        user_id=user_id,
        payload=metadata,
        description=f"Negócio '{deal.title}' {outcome}",
    )
    if status == "WON":
        await alerts.deal_won(
            session, deal.company_id, deal_id=deal.id, title=deal.title, value=deal.value, closed_at=now
        )


async def close_on_entry(
    session: AsyncSession,
    deal: Deal,
    stage: Stage,
    *,
    lost_reason: str | None,
    actor: Actor,
    user_id: uuid.UUID | None,
    reason: str | None,
) -> None:
    """Entering a won (lost) stage marks an OPEN deal WON (LOST)."""
    if deal.status != "OPEN":
        return
    if stage.is_won_stage:
        await close_deal(session, deal, "WON", actor=actor, user_id=user_id, reason=reason)
    elif stage.is_lost_stage:
        why = (lost_reason or "").strip() or f"Movido para {stage.name}"
        await close_deal(
            session, deal, "LOST", lost_reason=why[:500], actor=actor, user_id=user_id, reason=reason
        )


# ----------------------------------------------------------------------------- the move


async def move_deal(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    stage_id: uuid.UUID,
    position: int | None = None,
    actor: Actor = "user",
    user_id: uuid.UUID | None = None,
    reason: str | None = None,
    lost_reason: str | None = None,
) -> MoveResult:
    """Move a deal to `stage_id` of its funnel, at board index `position` (None: last).

    Same stage: only reorders (allowed for closed deals too). Another stage: the deal must be OPEN
    (409 deal_closed), the stage in the same funnel (400) and under its WIP limit (409 wip_limit).
    A won (lost) stage closes the deal WON (LOST)."""
    deal = await lock_deal(session, company_id, deal_id)
    target = await lock_stage(session, company_id, stage_id)
    if target.funnel_id != deal.funnel_id:
        raise ValidationFailed(
            "Dados inválidos — stageId: a etapa pertence a outro funil",
            details=[{"field": "stageId", "message": "stage of another funnel"}],
        )
    source = await get_stage(session, company_id, deal.stage_id)
    if target.id == source.id:
        set_position(deal, await position_for(session, target, index=position, exclude_deal_id=deal.id))
        await session.flush()
        await events.deal_updated(session, settings, company_id, deal.id, from_stage_id=source.id)
        return MoveResult(deal, source, target, changed_stage=False)
    if deal.status != "OPEN":
        state = "ganho" if deal.status == "WON" else "perdido"
        raise DealClosed(f"Este negócio está {state}; um administrador precisa reabri-lo antes de movê-lo")
    if not closes_deals(target):
        await ensure_wip(session, target, exclude_deal_id=deal.id)
    new_position = await position_for(session, target, index=position, exclude_deal_id=deal.id)
    await enter_stage(session, deal, target, new_position, datetime.now(UTC))
    metadata = stage_change_metadata(source, target, reason)
    log_activity(
        session,
        deal,
        "STAGE_CHANGED",
        f"Movido de '{source.name}' para '{target.name}'",
        actor=actor,
        user_id=user_id,
        metadata=metadata,
    )
    await contact_event(
        session,
        deal,
        "DEAL_STAGE_CHANGED",
        actor=actor,
        user_id=user_id,
        payload=metadata,
        description=f"Negócio '{deal.title}' movido de '{source.name}' para '{target.name}'",
    )
    await close_on_entry(
        session, deal, target, lost_reason=lost_reason, actor=actor, user_id=user_id, reason=reason
    )
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal.id, from_stage_id=source.id)
    return MoveResult(deal, source, target, changed_stage=True)


async def evacuate_stage(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    source: Stage,
    target: Stage,
    user_id: uuid.UUID | None,
    reason: str,
) -> int:
    """Move every deal of `source` (about to be deleted) to the end of `target`, keeping each deal's
    status. The WIP limit is not applied (the deals must go somewhere) but an overflow is logged.
    The caller holds the deals' and both stages' locks (see funnels.stages.delete_stage)."""
    deals = list(
        (
            await session.scalars(
                select(Deal)
                .where(Deal.company_id == company_id, Deal.stage_id == source.id)
                .order_by(Deal.position, Deal.created_at, Deal.id)
                .with_for_update(key_share=True)
                .execution_options(populate_existing=True)
            )
        ).all()
    )
    if not deals:
        return 0
    overflow = False
    if target.wip_limit is not None:
        moving_open = sum(1 for deal in deals if deal.status == "OPEN")
        overflow = await open_deal_count(session, target) + moving_open > target.wip_limit
        if overflow:
            log.info("deals.wip_limit_ignored", stage_id=str(target.id), wip_limit=target.wip_limit)
    start = await last_position(session, target)
    now = datetime.now(UTC)
    metadata = {**stage_change_metadata(source, target, reason), "forced": True, "wipLimitIgnored": overflow}
    for offset, deal in enumerate(deals):
        if deal.status == "OPEN":
            await enter_stage(session, deal, target, start + offset * POSITION_STEP, now)
        else:  # a closed deal's stay already ended; it only changes column
            deal.stage_id = target.id
            deal.stage_entered_at = now
            set_position(deal, start + offset * POSITION_STEP)
        log_activity(
            session,
            deal,
            "STAGE_CHANGED",
            f"Movido de '{source.name}' para '{target.name}' (etapa excluída)",
            user_id=user_id,
            metadata=metadata,
        )
        await contact_event(
            session,
            deal,
            "DEAL_STAGE_CHANGED",
            actor="user",
            user_id=user_id,
            payload=metadata,
            description=f"Negócio '{deal.title}' movido para '{target.name}' (etapa excluída)",
        )
    await session.flush()
    return len(deals)
