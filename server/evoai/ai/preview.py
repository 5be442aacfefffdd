""" "Test your assistant": the instance's prompt (or a draft) answers a sample message. Nothing is
sent and nothing is changed: the tools the level allows are offered, and their calls only described."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.context import Snapshot, turn_prompt
from evoai.ai.llm import model_access
from evoai.ai.memory import has_memories
from evoai.ai.prompting import ContactFacts
from evoai.ai.reply import converse
from evoai.ai.split import split_reply
from evoai.ai.tools import Turn, load_options
from evoai.models import Conversation, Message, WhatsAppInstance
from evoai.worker.context import JobContext

SAMPLE_CONTACT = ContactFacts("Cliente de teste", None, [], None, None, {})


async def preview(
    session: AsyncSession, ctx: JobContext, instance: WhatsAppInstance, sample: str, draft: str | None
) -> dict[str, Any]:
    access = await model_access(session, ctx.settings, instance.company_id)
    now = datetime.now(UTC)
    conversation = Conversation(id=uuid.uuid4(), company_id=instance.company_id, instance_id=instance.id)
    message = Message(id=uuid.uuid4(), direction="RECEIVED", kind="text", text=sample, sent_at=now)
    options = await load_options(session, instance.company_id, None)
    snap = Snapshot(
        conversation=conversation,
        instance=instance,
        contact=None,
        latest_id=message.id,
        latest_public_id=0,
        burst=1,
        history=[message],
        prompt=await turn_prompt(session, instance, draft),
        facts=SAMPLE_CONTACT,
        options=options,
        has_memories=await has_memories(
            session, ctx.settings, company_id=instance.company_id, contact_id=None, instance_id=instance.id
        ),
    )
    turn = Turn(
        id=uuid.uuid4(),
        company_id=instance.company_id,
        conversation=conversation,
        contact=None,
        level=instance.ai_autonomy,
        options=options,
        dry_run=True,
    )
    text, fallback = await converse(ctx, access, snap, turn)
    return {
        "reply": text,
        "parts": split_reply(text),
        "fallback": fallback,
        "actions": turn.actions,
        "model": access.model,
        "autonomyLevel": turn.level,
    }
