"""Contacts in funnels (the spec's contact cards): moving a contact to a stage or another funnel, and
the contacts that could be added to a funnel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.contacts import criteria
from evoai.contacts.history import Actor, record_event
from evoai.deals import events
from evoai.deals.cards import AvatarSigner
from evoai.deals.moves import get_stage
from evoai.deals.serialise import iso
from evoai.exceptions import NotFound, ValidationFailed
from evoai.funnels.queries import get_funnel
from evoai.kit.text import like_pattern
from evoai.models import Contact, Funnel, Stage


def _display_name(contact: Contact) -> str | None:
    return contact.name or contact.push_name or contact.phone_number


def _current_stage(stage: Stage | None, funnel_name: str | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {
        "id": str(stage.id),
        "name": stage.name,
        "color": stage.color,
        "funnelId": str(stage.funnel_id),
        "funnelName": funnel_name,
    }


async def _first_stage(session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID) -> Stage:
    """The first stage that is neither won nor lost, else the first one."""
    stage = await session.scalar(
        select(Stage)
        .where(Stage.company_id == company_id, Stage.funnel_id == funnel_id)
        .order_by((Stage.is_won_stage | Stage.is_lost_stage).asc(), Stage.position, Stage.created_at)
        .limit(1)
    )
    if stage is None:
        raise NotFound("O funil não tem etapas")
    return stage


async def move_contact(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    stage_id: uuid.UUID | None = None,
    funnel_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None,
    actor: Actor = "user",
    reason: str | None = None,
) -> dict[str, Any]:
    """Put a contact in `stage_id`, or in `funnel_id` (at `stage_id` when given, else its first
    stage). Logs STAGE_CHANGED in the contact's history when the stage changes."""
    contact = await session.scalar(
        select(Contact)
        .where(Contact.id == contact_id, Contact.company_id == company_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if contact is None:
        raise NotFound("Contato não encontrado")
    if funnel_id is not None:
        funnel = await get_funnel(session, company_id, funnel_id)
        if stage_id is not None:
            stage = await get_stage(session, company_id, stage_id)
            if stage.funnel_id != funnel.id:
                raise ValidationFailed(
                    "Dados inválidos — stageId: a etapa não pertence ao funil escolhido",
                    details=[{"field": "stageId", "message": "stage of another funnel"}],
                )
        else:
            stage = await _first_stage(session, company_id, funnel.id)
    elif stage_id is not None:
        stage = await get_stage(session, company_id, stage_id)
        funnel = await get_funnel(session, company_id, stage.funnel_id)
    else:  # the schemas require one of them
        raise ValidationFailed("Informe stageId ou funnelId")

    if contact.stage_id != stage.id:
        previous = None
        if contact.stage_id is not None:
            previous = await session.scalar(
                select(Stage).where(Stage.id == contact.stage_id, Stage.company_id == company_id)
            )
        now = datetime.now(UTC)
        contact.funnel_id = stage.funnel_id
        contact.stage_id = stage.id
        contact.stage_entered_at = now
        await record_event(
            session,
            company_id=company_id,
            contact_id=contact.id,
            type="STAGE_CHANGED",
            actor=actor,
            user_id=user_id,
            payload={
                "fromStageId": str(previous.id) if previous else None,
                "fromStageName": previous.name if previous else None,
                "fromFunnelId": str(previous.funnel_id) if previous else None,
                "toStageId": str(stage.id),
                "toStageName": stage.name,
                "toFunnelId": str(stage.funnel_id),
                "funnelName": funnel.name,
                "reason": reason,
                "description": f"Movido para '{stage.name}' ({funnel.name})",
            },
        )
        await session.flush()
        await events.contact_updated(session, company_id, contact.id)
    await session.refresh(contact)
    return {
        "id": str(contact.id),
        "name": _display_name(contact),
        "phoneNumber": contact.phone_number,
        "currentStage": _current_stage(stage, funnel.name),
        "stageEnteredAt": iso(contact.stage_entered_at),
        "updatedAt": iso(contact.updated_at),
    }


async def available_contacts(
    session: AsyncSession,
    settings: Settings,
    company_id: uuid.UUID,
    funnel_id: uuid.UUID,
    *,
    search: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Contacts not in this funnel (no stage, or a stage of another funnel), most recently active
    first."""
    funnel = await get_funnel(session, company_id, funnel_id)
    query = (
        select(Contact, Stage, Funnel.name)
        .outerjoin(Stage, and_(Stage.id == Contact.stage_id, Stage.company_id == company_id))
        .outerjoin(Funnel, and_(Funnel.id == Stage.funnel_id, Funnel.company_id == company_id))
        .where(Contact.company_id == company_id, or_(Stage.id.is_(None), Stage.funnel_id != funnel.id))
        .order_by(Contact.last_activity_at.desc().nulls_last(), Contact.created_at.desc(), Contact.id)
        .limit(limit)
    )
    if search:
        query = query.where(await criteria.matches_text(session, company_id, like_pattern(search)))
    signer = AvatarSigner(settings)
    return [
        {
            "id": str(contact.id),
            "name": _display_name(contact),
            "phoneNumber": contact.phone_number,
            "avatarUrl": await signer.url(contact.avatar_key),
            "currentStage": _current_stage(stage, funnel_name),
        }
        for contact, stage, funnel_name in (await session.execute(query)).all()
    ]
