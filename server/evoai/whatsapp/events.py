"""The live events of the WhatsApp domain (docs/api-whatsapp.md), recorded in the outbox of the
caller's transaction so they reach the company's browsers only after it commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.models import Message, WhatsAppInstance
from evoai.realtime.publisher import company_room
from evoai.whatsapp import serialise
from evoai.worker.enqueue import emit_event


async def instance_status(session: AsyncSession, instance: WhatsAppInstance) -> None:
    await emit_event(
        session,
        company_room(instance.company_id),
        "instance-status",
        {"instance": serialise.instance_out(instance)},
    )


async def message_status(session: AsyncSession, message: Message) -> None:
    await emit_event(
        session,
        company_room(message.company_id),
        "message-status",
        {
            "conversationId": str(message.conversation_id),
            "messageId": str(message.id),
            "messageKeyId": message.gateway_message_id,
            "status": message.status,
            "error": message.error,
        },
    )


async def message_updated(
    session: AsyncSession, settings: Settings, message: Message, *, sent_by_name: str | None = None
) -> None:
    payload: dict[str, Any] = {
        "conversationId": str(message.conversation_id),
        "message": await serialise.message_payload(settings, message, sent_by_name=sent_by_name),
    }
    await emit_event(session, company_room(message.company_id), "message-updated", payload)


async def new_message(
    session: AsyncSession, settings: Settings, message: Message, conversation: dict[str, Any]
) -> None:
    """A message arrived (or was typed on the company's phone); `conversation` is its list entry."""
    payload = {
        "conversationId": str(message.conversation_id),
        "message": await serialise.message_payload(settings, message),
        "conversation": conversation,
    }
    await emit_event(session, company_room(message.company_id), "new-message", payload)


async def message_sent(
    session: AsyncSession, settings: Settings, message: Message, *, sent_by_name: str | None
) -> None:
    """A member (or the AI) queued a message; it goes out through message-worker."""
    payload = {
        "conversationId": str(message.conversation_id),
        "message": await serialise.message_payload(settings, message, sent_by_name=sent_by_name),
    }
    await emit_event(session, company_room(message.company_id), "message-sent", payload)
