"""Realtime events of the CRM board (docs/api-crm.md, Realtime events), sent once the transaction
commits (outbox)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.deals.cards import board_index, load_card
from evoai.realtime.publisher import company_room
from evoai.worker.enqueue import emit_event


async def deal_updated(
    session: AsyncSession,
    settings: Settings,
    company_id: uuid.UUID,
    deal_id: uuid.UUID,
    *,
    from_stage_id: uuid.UUID | None = None,
) -> None:
    card = await load_card(session, settings, company_id, deal_id)
    if card is None:
        return
    card["position"] = await board_index(session, company_id, deal_id)
    payload = {"deal": card, "fromStageId": str(from_stage_id) if from_stage_id else None}
    await emit_event(session, company_room(company_id), "deal-updated", payload)


async def deal_deleted(
    session: AsyncSession, company_id: uuid.UUID, deal_id: uuid.UUID, stage_id: uuid.UUID
) -> None:
    await emit_event(
        session, company_room(company_id), "deal-deleted", {"id": str(deal_id), "stageId": str(stage_id)}
    )


async def funnel_updated(session: AsyncSession, company_id: uuid.UUID, funnel_id: uuid.UUID) -> None:
    await emit_event(session, company_room(company_id), "funnel-updated", {"id": str(funnel_id)})


async def contact_updated(session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID) -> None:
    await emit_event(session, company_room(company_id), "contact-updated", {"id": str(contact_id)})
