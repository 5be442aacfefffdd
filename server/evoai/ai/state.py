"""A conversation's AI state (spec ai.md, GET /api/ai/conversations/:id/state): whether the AI
answers it, its analysis, and the actions of its recent turns."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.exceptions import NotFound
from evoai.models import Conversation, Message, WhatsAppInstance

RECENT_TURNS = 20


async def conversation_state(
    session: AsyncSession, company_id: uuid.UUID, conversation_id: uuid.UUID
) -> dict[str, Any]:
    row = (
        await session.execute(
            select(Conversation, WhatsAppInstance)
            .join(WhatsAppInstance, WhatsAppInstance.id == Conversation.instance_id)
            .where(Conversation.id == conversation_id, Conversation.company_id == company_id)
        )
    ).first()
    if row is None:
        raise NotFound("Conversa não encontrada")
    conversation, instance = row
    turns = (
        await session.execute(
            select(Message.id, Message.sent_at, Message.ai_metadata)
            .where(
                Message.conversation_id == conversation.id,
                Message.is_bot,
                Message.ai_metadata["actions"].is_not(None),
            )
            .order_by(Message.sent_at.desc())
            .limit(RECENT_TURNS)
        )
    ).all()
    actions = [
        {**action, "messageId": str(message_id)}
        for message_id, _, metadata in turns
        for action in (metadata or {}).get("actions", [])
    ]
    count = await session.scalar(select(func.count()).where(Message.conversation_id == conversation.id))
    analysis = conversation.ai_state or {}
    return {
        "conversationId": str(conversation.id),
        "aiEnabled": bool(instance.ai_enabled) and not conversation.is_group,
        "isPaused": conversation.is_paused,
        "pausedReason": conversation.paused_reason,
        "autonomyLevel": instance.ai_autonomy,
        "sentiment": analysis.get("sentiment"),
        "urgency": analysis.get("urgency"),
        "intent": analysis.get("intent"),
        "topics": analysis.get("topics", []),
        "summary": analysis.get("summary"),
        "suggestedResponse": analysis.get("suggestedReply"),
        "lastAnalyzedAt": analysis.get("analyzedAt"),
        "messageCount": count or 0,
        "lastTurnAt": turns[0].sent_at.isoformat() if turns else None,
        "actionsPerformed": actions,
    }
