"""What a turn knows: the conversation's state read in one place, and the messages sent to the model."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.prompting import ContactFacts, default_prompt, generate_prompt
from evoai.ai.schemas import OnboardingData
from evoai.ai.tools import Options, load_options
from evoai.models import (
    Company,
    Contact,
    Conversation,
    Funnel,
    Message,
    Onboarding,
    PromptVersion,
    Stage,
    Tag,
    TagAssignment,
    WhatsAppInstance,
)

HISTORY_MESSAGES = 20
KIND_LABELS = {
    "image": "[imagem]",
    "video": "[vídeo]",
    "audio": "[áudio]",
    "voice": "[mensagem de voz]",
    "document": "[documento]",
    "sticker": "[figurinha]",
    "location": "[localização]",
    "contact": "[contato]",
}


@dataclass
class Snapshot:
    conversation: Conversation
    instance: WhatsAppInstance
    contact: Contact | None
    latest_id: uuid.UUID
    latest_public_id: int
    burst: int  # customer messages not answered yet
    history: list[Message]
    prompt: str
    facts: ContactFacts
    options: Options


async def latest_inbound(session: AsyncSession, conversation_id: uuid.UUID) -> tuple[uuid.UUID, int] | None:
    row = (
        await session.execute(
            select(Message.id, Message.public_id)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == "RECEIVED",
                Message.deleted_at.is_(None),
            )
            .order_by(Message.public_id.desc())
            .limit(1)
        )
    ).first()
    return (row.id, row.public_id) if row else None


async def current_prompt(session: AsyncSession, instance: WhatsAppInstance) -> str:
    """The newest saved version; else the one the onboarding's answers give; else a plain default."""
    saved = await session.scalar(
        select(PromptVersion.content)
        .where(PromptVersion.instance_id == instance.id)
        .order_by(PromptVersion.version.desc())
        .limit(1)
    )
    if saved:
        return saved
    onboarding = await session.get(Onboarding, instance.id)
    if onboarding is not None and onboarding.data:
        return generate_prompt(OnboardingData.model_validate(onboarding.data))
    company = await session.scalar(select(Company.name).where(Company.id == instance.company_id))
    return default_prompt(company or instance.name)


async def contact_facts(session: AsyncSession, contact: Contact | None) -> ContactFacts:
    if contact is None:
        return ContactFacts(None, None, [], None, None, {})
    tags = list(
        (
            await session.scalars(
                select(Tag.name)
                .join(TagAssignment, TagAssignment.tag_id == Tag.id)
                .where(TagAssignment.contact_id == contact.id)
                .order_by(Tag.name)
            )
        ).all()
    )
    stage = funnel = None
    if contact.stage_id is not None:
        row = (
            await session.execute(
                select(Stage.name, Funnel.name)
                .join(Funnel, Funnel.id == Stage.funnel_id)
                .where(Stage.id == contact.stage_id)
            )
        ).first()
        if row:
            stage, funnel = row
    return ContactFacts(
        contact.name or contact.push_name,
        contact.phone_number,
        tags,
        stage,
        funnel,
        dict(contact.custom_fields or {}),
        contact.ai_profile,
    )


async def snapshot(
    session: AsyncSession, company_id: uuid.UUID, conversation_id: uuid.UUID
) -> Snapshot | str:
    """The turn's inputs, or why there is nothing to answer."""
    conversation = await session.scalar(
        select(Conversation).where(Conversation.id == conversation_id, Conversation.company_id == company_id)
    )
    if conversation is None:
        return "conversation_gone"
    if conversation.is_group:
        return "group"
    if conversation.is_paused:
        return "paused"
    instance = await session.scalar(
        select(WhatsAppInstance).where(WhatsAppInstance.id == conversation.instance_id)
    )
    if instance is None or instance.deleted_at is not None or not instance.ai_enabled:
        return "ai_off"
    contact = None
    if conversation.contact_id is not None:
        contact = await session.scalar(select(Contact).where(Contact.id == conversation.contact_id))
        if contact is not None and contact.is_blocked:
            return "blocked"
    latest = await latest_inbound(session, conversation.id)
    answered = conversation.ai_answered_through or 0
    if latest is None or latest[1] <= answered:
        return "answered"
    burst = await session.scalar(
        select(func.count()).select_from(
            select(Message.id)
            .where(
                Message.conversation_id == conversation.id,
                Message.direction == "RECEIVED",
                Message.public_id > answered,
            )
            .limit(100)
            .subquery()
        )
    )
    history = list(
        (
            await session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation.id, Message.deleted_at.is_(None))
                .order_by(Message.sent_at.desc(), Message.public_id.desc())
                .limit(HISTORY_MESSAGES)
            )
        ).all()
    )
    history.reverse()
    return Snapshot(
        conversation=conversation,
        instance=instance,
        contact=contact,
        latest_id=latest[0],
        latest_public_id=latest[1],
        burst=burst or 0,
        history=history,
        prompt=await current_prompt(session, instance),
        facts=await contact_facts(session, contact),
        options=await load_options(session, company_id, contact),
    )


def message_text(message: Message) -> str:
    label = KIND_LABELS.get(message.kind, "")
    text = (message.text or "").strip()
    return " ".join(p for p in (label, text) if p) or "[mensagem]"


def chat_messages(system: str, history: list[Message]) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
    for message in history:
        role = "user" if message.direction == "RECEIVED" else "assistant"
        messages.append({"role": role, "content": message_text(message)})
    return messages
