"""What a turn knows: the conversation's state read in one place, and the messages sent to the model."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.memory import has_memories
from evoai.ai.prompting import ContactFacts, default_prompt, generate_prompt
from evoai.ai.schedule import MAX_BURST_MESSAGES
from evoai.ai.schemas import OnboardingData
from evoai.ai.tools import Options, load_options
from evoai.config import Settings
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
from evoai.whatsapp.ordering import in_reading_order

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
    has_memories: bool = False


# A few more than asked for: the newest of them may be reordered within their second (whatsapp.ordering).
SAME_SECOND_EXTRA = 5


async def recent_messages(session: AsyncSession, conversation_id: uuid.UUID, limit: int) -> list[Message]:
    """The conversation's last `limit` messages (not deleted), in reading order (oldest first)."""
    rows = (
        await session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.deleted_at.is_(None))
            .order_by(Message.sent_at.desc(), Message.public_id.desc())
            .limit(limit + SAME_SECOND_EXTRA)
        )
    ).all()
    return in_reading_order(rows)[-limit:] if limit > 0 else []


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


async def _prompt_parts(session: AsyncSession, instance: WhatsAppInstance) -> tuple[str | None, str | None]:
    """(the newest saved version, the prompt the onboarding's answers give)."""
    saved = await session.scalar(
        select(PromptVersion.content)
        .where(PromptVersion.instance_id == instance.id)
        .order_by(PromptVersion.version.desc())
        .limit(1)
    )
    answers = await session.scalar(select(Onboarding.data).where(Onboarding.instance_id == instance.id))
    generated = generate_prompt(OnboardingData.model_validate(answers)) if answers else None
    return saved, generated


async def current_prompt(session: AsyncSession, instance: WhatsAppInstance) -> str:
    """The newest saved version; else the one the onboarding's answers give; else a plain default."""
    saved, generated = await _prompt_parts(session, instance)
    if saved or generated:
        return saved or generated or ""
    company = await session.scalar(select(Company.name).where(Company.id == instance.company_id))
    return default_prompt(company or instance.name)


def with_business_data(prompt: str, generated: str | None) -> str:
    """A prompt written by hand still gets the onboarding's business data (FAQ, hours, products);
    a generated one already is that data."""
    if not generated or generated.strip() in prompt:
        return prompt
    return f"{prompt.strip()}\n\nDados do negócio (do onboarding):\n{generated}"


async def turn_prompt(session: AsyncSession, instance: WhatsAppInstance, draft: str | None = None) -> str:
    """What a turn (or a preview of `draft`) is told: the prompt plus the onboarding's business data."""
    saved, generated = await _prompt_parts(session, instance)
    prompt = draft or saved
    if prompt is None:
        return await current_prompt(session, instance)
    return with_business_data(prompt, generated)


async def contact_facts(session: AsyncSession, contact: Contact | None) -> ContactFacts:
    if contact is None:
        return ContactFacts(None, None, [], None, None, {})
    tags = (
        select(func.coalesce(func.array_agg(aggregate_order_by(Tag.name, Tag.name)), text("'{}'")))
        .join(TagAssignment, TagAssignment.tag_id == Tag.id)
        .where(TagAssignment.contact_id == contact.id)
        .scalar_subquery()
    )
    stage = select(Stage.name).where(Stage.id == contact.stage_id).scalar_subquery()
    funnel = (
        select(Funnel.name).join(Stage, Stage.funnel_id == Funnel.id).where(Stage.id == contact.stage_id)
    ).scalar_subquery()
    names, stage_name, funnel_name = (await session.execute(select(tags, stage, funnel))).one()
    return ContactFacts(
        contact.name or contact.push_name,
        contact.phone_number,
        list(names or []),
        stage_name,
        funnel_name,
        dict(contact.custom_fields or {}),
        contact.ai_profile,
    )


async def snapshot(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, conversation_id: uuid.UUID
) -> Snapshot | str:
    """The turn's inputs, or why there is nothing to answer (few round trips: this is the reply's
    critical path)."""
    row = (
        await session.execute(
            select(Conversation, WhatsAppInstance, Contact)
            .join(WhatsAppInstance, WhatsAppInstance.id == Conversation.instance_id)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .where(Conversation.id == conversation_id, Conversation.company_id == company_id)
        )
    ).first()
    if row is None:
        return "conversation_gone"
    conversation, instance, contact = row
    if conversation.is_group:
        return "group"
    if conversation.is_paused:
        return "paused"
    if instance.deleted_at is not None or not instance.ai_enabled:
        return "ai_off"
    if contact is not None and contact.is_blocked:
        return "blocked"
    # The customer's messages not answered yet, newest first (enough of them to know the burst size).
    unanswered = (
        await session.execute(
            select(Message.id, Message.public_id)
            .where(
                Message.conversation_id == conversation.id,
                Message.direction == "RECEIVED",
                Message.deleted_at.is_(None),
                Message.public_id > (conversation.ai_answered_through or 0),
            )
            .order_by(Message.public_id.desc())
            .limit(MAX_BURST_MESSAGES)
        )
    ).all()
    if not unanswered:
        return "answered"
    history = await recent_messages(session, conversation.id, HISTORY_MESSAGES)
    return Snapshot(
        conversation=conversation,
        instance=instance,
        contact=contact,
        latest_id=unanswered[0].id,
        latest_public_id=unanswered[0].public_id,
        burst=len(unanswered),
        history=history,
        prompt=await turn_prompt(session, instance),
        facts=await contact_facts(session, contact),
        options=await load_options(session, company_id, contact),
        has_memories=await has_memories(
            session,
            settings,
            company_id=company_id,
            contact_id=contact.id if contact else None,
            instance_id=instance.id,
        ),
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
