"""The team's screens ask for follow-ups again when they change.

One `followups-changed` event per company and transaction, without a payload: a rule switched off may
cancel thousands at once, and every list (queue, history, a conversation's panel, counts) is simply
asked again."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.realtime.publisher import company_room
from evoai.worker.enqueue import emit_once

EVENT = "followups-changed"


async def changed(session: AsyncSession, company_id: uuid.UUID) -> None:
    await emit_once(session, company_room(company_id), EVENT, {})
