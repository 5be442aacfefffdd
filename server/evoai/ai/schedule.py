"""When a customer writes, the AI's turn is scheduled after the instance's quiet window.

Each inbound message schedules its own delayed job; the job that fires finds out whether its message
is still the newest of the burst (see evoai/ai/reply.py), so a burst gets one answer without a timer
to reset. Kept apart from reply.py so the webhook's hot path imports nothing of the AI."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

REPLY_JOB = "ai.reply"
MAX_QUIET_SECONDS = 60
# A customer who keeps typing is answered after this many messages without waiting for silence.
MAX_BURST_MESSAGES = 20


async def schedule_turn(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message_id: uuid.UUID,
    delay_ms: int,
    instructions: str | None = None,
) -> None:
    payload = {
        "companyId": str(company_id),
        "conversationId": str(conversation_id),
        "messageId": str(message_id),
        **({"instructions": instructions} if instructions else {}),
    }
    options = {"delay": delay_ms} if delay_ms > 0 else {}
    await enqueue_job(session, queues.MESSAGE, REPLY_JOB, payload, **options)
