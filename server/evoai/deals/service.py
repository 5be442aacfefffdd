"""Deals: create, read, list, update (status OPEN → WON | LOST is final), reopen, duplicate, delete.

Services never commit; the request (or the job) owns the transaction.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.deals import events
from evoai.deals.activities import Actor, list_activities, log_activity
from evoai.deals.cards import card_select, cards_out, fetch_rows
from evoai.deals.moves import (
    DealClosed,
    close_deal,
    close_on_entry,
    close_period,
    closes_deals,
    contact_event,
    ensure_wip,
    enter_stage,
    get_stage,
    last_position,
    lock_deal,
    lock_stage,
    open_period,
)
from evoai.deals.schemas import DealCreate, DealUpdate
from evoai.deals.serialise import iso, money, people, person
from evoai.exceptions import Conflict, NotFound, ValidationFailed
from evoai.kit.text import folded, like_pattern
from evoai.models import Contact, Deal, DealAttachment, DealNote, Funnel, Stage

DealStatus = Literal["OPEN", "WON", "LOST"]
_PHONE_LIKE = re.compile(r"^[\d\s()+.-]+$")


def search_condition(term: str) -> ColumnElement[bool]:
    """Title, contact name (or push name, e-mail) or phone; needs Contact joined. Case and accents
    are ignored; a phone typed with punctuation ("(11) 9999-0000") matches its digits."""
    pattern = like_pattern(term)
    conditions: list[ColumnElement[bool]] = [
        folded(Deal.title).like(pattern),
        Contact.search_text.like(pattern),
    ]
    digits = re.sub(r"\D", "", term)
    if len(digits) >= 3 and _PHONE_LIKE.match(term.strip()):
        conditions.append(Contact.phone_number.like(f"%{digits}%"))
    return or_(*conditions)


async def get_deal(session: AsyncSession, company_id: uuid.UUID, deal_id: uuid.UUID) -> Deal:
    deal = await session.scalar(select(Deal).where(Deal.id == deal_id, Deal.company_id == company_id))
    if deal is None:
        raise NotFound("Negócio não encontrado")
    return deal


async def _contact_exists(session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    found = await session.scalar(
        select(Contact.id).where(Contact.id == contact_id, Contact.company_id == company_id)
    )
    if found is None:
        raise NotFound("Contato não encontrado")


# ----------------------------------------------------------------------------- reading


async def deal_detail(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, deal_id: uuid.UUID
) -> dict[str, Any]:
    ids = select(Deal.id).where(Deal.company_id == company_id, Deal.id == deal_id)
    query = (
        card_select(company_id, ids)
        .join(Stage, and_(Stage.id == Deal.stage_id, Stage.company_id == company_id))
        .join(Funnel, and_(Funnel.id == Deal.funnel_id, Funnel.company_id == company_id))
        .add_columns(Stage.name, Stage.position, Funnel.name)
        # Read by name below (row.deal holds the whole row).
        .add_columns(Deal.description, Deal.cloned_from_deal_id, Deal.closed_at, Deal.lost_reason)
        .add_columns(Deal.created_by, Deal.created_at, Deal.updated_at)
    )
    rows = await fetch_rows(session, query)
    if not rows:
        raise NotFound("Negócio não encontrado")
    row = rows[0]
    deal = row.deal
    [card] = await cards_out(rows, settings)
    stage_name, stage_position, funnel_name = row.extra[:3]
    names = await people(session, [deal.created_by])
    return {
        **card,
        "description": deal.description,
        "clonedFromDealId": str(deal.cloned_from_deal_id) if deal.cloned_from_deal_id else None,
        "stage": {
            "id": str(deal.stage_id),
            "name": stage_name,
            "order": stage_position + 1,
            "funnel": {"id": str(deal.funnel_id), "name": funnel_name},
        },
        "closedAt": iso(deal.closed_at),
        "lostReason": deal.lost_reason,
        "createdBy": person(deal.created_by, names),
        "activities": await list_activities(session, company_id, deal.id, limit=50),
        "createdAt": iso(deal.created_at),
        "updatedAt": iso(deal.updated_at),
    }


async def list_deals(
    session: AsyncSession,
    settings: Settings,
    company_id: uuid.UUID,
    *,
    funnel_id: uuid.UUID | None = None,
    stage_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
    status: DealStatus | None = None,
    search: str | None = None,
    page: int = 1,
    limit: int = 50,
) -> dict[str, Any]:
    conditions: list[ColumnElement[bool]] = [Deal.company_id == company_id]
    if funnel_id is not None:
        conditions.append(Deal.funnel_id == funnel_id)
    if stage_id is not None:
        conditions.append(Deal.stage_id == stage_id)
    if contact_id is not None:
        conditions.append(Deal.contact_id == contact_id)
    if status is not None:
        conditions.append(Deal.status == status)
    ids = select(Deal.id).where(*conditions)
    if search:
        ids = ids.outerjoin(
            Contact, and_(Contact.id == Deal.contact_id, Contact.company_id == company_id)
        ).where(search_condition(search))
    total = int(await session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    query = (
        card_select(company_id, ids)
        .order_by(Deal.created_at.desc(), Deal.id.desc())
        .limit(limit)
        .offset((page - 1) * limit)
    )
    cards = await cards_out(await fetch_rows(session, query), settings)
    return {
        "deals": cards,
        "pagination": {
            "page": page,
            "limit": limit,
            "total": total,
            "totalPages": math.ceil(total / limit) if total else 0,
        },
    }


# ----------------------------------------------------------------------------- writing


async def _start_deal(
    session: AsyncSession, stage: Stage, *, now: datetime, user_id: uuid.UUID | None, **fields: Any
) -> Deal:
    """An OPEN deal at the end of `stage` (created or copied), with its first stage period."""
    deal = Deal(
        id=uuid.uuid4(),
        company_id=stage.company_id,
        funnel_id=stage.funnel_id,
        stage_id=stage.id,
        status="OPEN",
        position=await last_position(session, stage),
        stage_entered_at=now,
        last_activity_at=now,
        created_by=user_id,
        **fields,
    )
    session.add(deal)
    await session.flush()
    open_period(session, deal, now)
    return deal


async def create_deal(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    data: DealCreate,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> Deal:
    """A new deal at the end of its stage; into a won/lost stage it is created closed. 409 wip_limit
    when the stage is full."""
    stage = await lock_stage(session, company_id, data.stage_id)
    if data.contact_id is not None:
        await _contact_exists(session, company_id, data.contact_id)
    if not closes_deals(stage):
        await ensure_wip(session, stage)
    now = datetime.now(UTC)
    deal = await _start_deal(
        session,
        stage,
        now=now,
        user_id=user_id,
        contact_id=data.contact_id,
        title=data.title,
        description=data.description,
        value=data.value,
        currency=data.currency,
        expected_close_date=data.expected_close_date,
        priority=data.priority,
    )
    metadata = {"stageId": str(stage.id), "stageName": stage.name, "value": money(deal.value)}
    log_activity(
        session,
        deal,
        "CREATED",
        f"Negócio criado em '{stage.name}'",
        actor=actor,
        user_id=user_id,
        metadata=metadata,
    )
    await contact_event(
        session,
        deal,
        "DEAL_CREATED",
        actor=actor,
        user_id=user_id,
        payload={**metadata, "funnelId": str(stage.funnel_id)},
        description=f"Negócio '{deal.title}' criado em '{stage.name}'",
    )
    await close_on_entry(
        session, deal, stage, lost_reason=f"Criado em {stage.name}", actor=actor, user_id=user_id, reason=None
    )
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal.id)
    return deal


_SIMPLE_FIELDS = {
    "title": "title",
    "currency": "currency",
    "expected_close_date": "expectedCloseDate",
    "priority": "priority",
}


async def update_deal(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    data: DealUpdate,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> Deal:
    fields = data.model_fields_set
    if not fields:
        raise ValidationFailed("Nada para atualizar")
    deal = await lock_deal(session, company_id, deal_id)
    new_status = data.status if data.status is not None else deal.status
    if deal.status != "OPEN" and new_status != deal.status:
        state = "ganho" if deal.status == "WON" else "perdido"
        raise DealClosed(
            f"Este negócio está {state}; um administrador precisa reabri-lo antes de mudar o status"
        )
    if "lost_reason" in fields and data.lost_reason is not None and new_status != "LOST":
        raise ValidationFailed(
            "Dados inválidos — lostReason: só vale para negócios perdidos (status LOST)",
            details=[{"field": "lostReason", "message": "only with status LOST"}],
        )
    closing_lost = deal.status == "OPEN" and new_status == "LOST"
    if closing_lost and not data.lost_reason:
        raise ValidationFailed(
            "Dados inválidos — lostReason: informe o motivo da perda",
            details=[{"field": "lostReason", "message": "required when status is LOST"}],
        )

    changes: dict[str, Any] = {}
    for name, label in _SIMPLE_FIELDS.items():
        if name in fields and getattr(deal, name) != getattr(data, name):
            before, after = getattr(deal, name), getattr(data, name)
            changes[label] = {
                "from": iso(before) if name == "expected_close_date" else before,
                "to": iso(after) if name == "expected_close_date" else after,
            }
            setattr(deal, name, after)
    if "description" in fields and deal.description != data.description:
        changes["description"] = {"changed": True}
        deal.description = data.description
    if deal.status == "LOST" and data.lost_reason and data.lost_reason != deal.lost_reason:
        changes["lostReason"] = {"from": deal.lost_reason, "to": data.lost_reason}
        deal.lost_reason = data.lost_reason
    if changes:
        log_activity(
            session,
            deal,
            "UPDATED",
            f"Alterado: {', '.join(changes)}",
            actor=actor,
            user_id=user_id,
            metadata={"changes": changes},
        )
    if data.value is not None and data.value != deal.value:
        before_value = deal.value
        deal.value = data.value
        log_activity(
            session,
            deal,
            "VALUE_CHANGED",
            f"Valor alterado de {money(before_value):.2f} para {money(data.value):.2f}",
            actor=actor,
            user_id=user_id,
            metadata={"from": money(before_value), "to": money(data.value)},
        )
    if deal.status == "OPEN" and new_status in ("WON", "LOST"):
        await close_deal(
            session,
            deal,
            "WON" if new_status == "WON" else "LOST",
            lost_reason=data.lost_reason,
            actor=actor,
            user_id=user_id,
        )
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal.id)
    return deal


async def reopen_deal(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    reason: str,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> Deal:
    """WON/LOST → OPEN (admins). A deal sitting in a won/lost stage goes to the funnel's first stage
    that is neither; the WIP limit of the stage it ends up in applies (409 wip_limit when full)."""
    deal = await lock_deal(session, company_id, deal_id)
    if deal.status == "OPEN":
        raise Conflict("Este negócio já está em aberto")
    current = await get_stage(session, company_id, deal.stage_id)
    target_id = current.id
    if closes_deals(current):
        first_open = await session.scalar(
            select(Stage.id)
            .where(
                Stage.company_id == company_id,
                Stage.funnel_id == deal.funnel_id,
                Stage.is_won_stage.is_(False),
                Stage.is_lost_stage.is_(False),
            )
            .order_by(Stage.position, Stage.created_at)
            .limit(1)
        )
        if first_open is None:
            raise Conflict("O funil não tem uma etapa em aberto para onde reabrir o negócio")
        target_id = first_open
    target = await lock_stage(session, company_id, target_id)
    await ensure_wip(session, target, exclude_deal_id=deal.id)
    previous_status = deal.status
    now = datetime.now(UTC)
    deal.status = "OPEN"
    deal.closed_at = None
    deal.lost_reason = None
    if target.id != current.id:
        await enter_stage(
            session, deal, target, await last_position(session, target, exclude_deal_id=deal.id), now
        )
    else:
        await close_period(session, deal, now)
        open_period(session, deal, now)
    metadata = {
        "reason": reason,
        "fromStatus": previous_status,
        "toStatus": "OPEN",
        "fromStageId": str(current.id),
        "fromStageName": current.name,
        "toStageId": str(target.id),
        "toStageName": target.name,
    }
    log_activity(
        session,
        deal,
        "REOPENED",
        f"Negócio reaberto: {reason}",
        actor=actor,
        user_id=user_id,
        metadata=metadata,
    )
    await contact_event(
        session,
        deal,
        "DEAL_STATUS_CHANGED",
        actor=actor,
        user_id=user_id,
        payload=metadata,
        description=f"Negócio '{deal.title}' reaberto: {reason}",
    )
    await session.flush()
    await events.deal_updated(session, settings, company_id, deal.id, from_stage_id=current.id)
    return deal


async def duplicate_deal(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    funnel_id: uuid.UUID,
    stage_id: uuid.UUID,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
) -> Deal:
    """A copy of a deal (fields and notes, not attachments) in another funnel/stage; the original is
    unchanged except for its CLONED activity. The target stage's rules apply as for a new deal."""
    # The source is locked before the target stage (the order every move follows): its activity row
    # and last_activity_at are written below.
    source = await lock_deal(session, company_id, deal_id)
    funnel = await session.scalar(
        select(Funnel).where(Funnel.id == funnel_id, Funnel.company_id == company_id)
    )
    if funnel is None:
        raise NotFound("Funil não encontrado")
    stage = await lock_stage(session, company_id, stage_id)
    if stage.funnel_id != funnel.id:
        raise ValidationFailed(
            "Dados inválidos — stageId: a etapa não pertence ao funil escolhido",
            details=[{"field": "stageId", "message": "stage of another funnel"}],
        )
    if not closes_deals(stage):
        await ensure_wip(session, stage)
    source_stage = await get_stage(session, company_id, source.stage_id)
    now = datetime.now(UTC)
    clone = await _start_deal(
        session,
        stage,
        now=now,
        user_id=user_id,
        contact_id=source.contact_id,
        cloned_from_deal_id=source.id,
        title=source.title,
        description=source.description,
        value=source.value,
        currency=source.currency,
        expected_close_date=source.expected_close_date,
        priority=source.priority,
    )
    notes = (
        await session.scalars(
            select(DealNote)
            .where(DealNote.company_id == company_id, DealNote.deal_id == source.id)
            .order_by(DealNote.created_at)
        )
    ).all()
    session.add_all(
        DealNote(
            id=uuid.uuid4(),
            company_id=company_id,
            deal_id=clone.id,
            user_id=note.user_id,
            title=note.title,
            content=note.content,
            content_html=note.content_html,
            created_at=note.created_at,
            updated_at=note.updated_at,
        )
        for note in notes
    )
    log_activity(
        session,
        clone,
        "CLONED",
        f"Copiado do negócio #{source.public_id} ('{source_stage.name}')",
        actor=actor,
        user_id=user_id,
        metadata={
            "direction": "from",
            "sourceDealId": str(source.id),
            "sourceFunnelId": str(source.funnel_id),
            "sourceStageId": str(source_stage.id),
            "sourceStageName": source_stage.name,
            "notesCopied": len(notes),
        },
    )
    log_activity(
        session,
        source,
        "CLONED",
        f"Copiado para '{funnel.name}' / '{stage.name}'",
        actor=actor,
        user_id=user_id,
        metadata={
            "direction": "to",
            "clonedDealId": str(clone.id),
            "funnelId": str(funnel.id),
            "funnelName": funnel.name,
            "stageId": str(stage.id),
            "stageName": stage.name,
        },
    )
    await contact_event(
        session,
        clone,
        "DEAL_CREATED",
        actor=actor,
        user_id=user_id,
        payload={"stageId": str(stage.id), "stageName": stage.name, "clonedFromDealId": str(source.id)},
        description=f"Negócio '{clone.title}' copiado para '{funnel.name}' / '{stage.name}'",
    )
    await close_on_entry(
        session,
        clone,
        stage,
        lost_reason=f"Criado em {stage.name}",
        actor=actor,
        user_id=user_id,
        reason=None,
    )
    await session.flush()
    await events.deal_updated(session, settings, company_id, clone.id)
    await events.deal_updated(session, settings, company_id, source.id)
    return clone


async def delete_deal(
    session: AsyncSession, *, company_id: uuid.UUID, deal_id: uuid.UUID, user_id: uuid.UUID | None
) -> list[str]:
    """Deletes the deal with its notes, activities, attachments and stage periods (cascades) and
    returns the attachment files' storage keys for the caller to remove once the deletion commits."""
    deal = await lock_deal(session, company_id, deal_id, for_delete=True)
    keys = list(
        (
            await session.scalars(
                select(DealAttachment.file_key).where(
                    DealAttachment.company_id == company_id, DealAttachment.deal_id == deal.id
                )
            )
        ).all()
    )
    await contact_event(
        session,
        deal,
        "DEAL_DELETED",
        actor="user",
        user_id=user_id,
        payload={"status": deal.status},
        description=f"Negócio '{deal.title}' excluído",
    )
    stage_id = deal.stage_id
    await session.delete(deal)
    await session.flush()
    await events.deal_deleted(session, company_id, deal_id, stage_id)
    return keys
