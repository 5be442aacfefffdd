"""Sending: a message is stored as PENDING and counted against the plan in the request's transaction,
then `message-worker` hands it to the gateway (SENT), and receipts move it on (DELIVERED, READ)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.company.service import month_period
from evoai.config import Settings
from evoai.exceptions import Conflict, NotFound, Unprocessable, ValidationFailed
from evoai.followups import triggers as followup_triggers
from evoai.kit import clock
from evoai.kit.schemas import RequestSchema
from evoai.models import Company, Contact, Conversation, Message, Profile, WhatsAppInstance
from evoai.notifications import alerts
from evoai.plans import plan_for
from evoai.whatsapp import events
from evoai.whatsapp.identity import digits
from evoai.whatsapp.inbox import emit_conversation, touch_after_send
from evoai.whatsapp.ingest import InstanceInfo, conversation_for_chat
from evoai.whatsapp.providers import jids
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

SEND_JOB = "whatsapp.send"
REACTION_JOB = "whatsapp.send_reaction"
OutboundKind = Literal["text", "image", "video", "audio", "ptt", "document"]


class Target(RequestSchema):
    conversation_id: uuid.UUID | None = None
    instance_id: uuid.UUID | None = None
    to: str | None = Field(default=None, max_length=40)
    reply_to_message_id: uuid.UUID | None = None
    # The spec's optional extras, accepted and unused (the contact comes from the number).
    contact_id: uuid.UUID | None = None
    contact_name: str | None = Field(default=None, max_length=255)
    reply_to_message_text: str | None = Field(default=None, max_length=4096)

    @field_validator("to")
    @classmethod
    def _to(cls, value: str | None) -> str | None:
        if value is None:
            return None
        number = digits(value)
        if not 10 <= len(number) <= 15:
            raise ValueError("informe o número com DDI e DDD, 10 a 15 dígitos")
        return number

    @model_validator(mode="after")
    def _one_target(self) -> Target:
        if self.conversation_id is None and (self.instance_id is None or self.to is None):
            raise ValueError("informe conversationId, ou instanceId e to")
        return self


class SendTextIn(Target):
    text: str = Field(min_length=1, max_length=4096)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a mensagem não pode ser vazia")
        return value


class ReactionIn(RequestSchema):
    message_id: uuid.UUID
    # The spec's; the message already names its instance and conversation.
    instance_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    reaction: str = Field(max_length=16)

    @field_validator("reaction")
    @classmethod
    def _emoji(cls, value: str) -> str:
        # One emoji (possibly with modifiers/ZWJ sequences) or "" to remove; no letters or digits.
        if value and (len(value) > 16 or any(ch.isalnum() or ch.isspace() for ch in value)):
            raise ValueError("envie um único emoji, ou vazio para remover")
        return value


async def _instance(session: AsyncSession, company_id: uuid.UUID, instance_id: uuid.UUID) -> WhatsAppInstance:
    instance = await session.scalar(
        select(WhatsAppInstance).where(
            WhatsAppInstance.id == instance_id, WhatsAppInstance.company_id == company_id
        )
    )
    if instance is None:
        raise NotFound("Instância não encontrada")
    return instance


async def resolve_target(
    session: AsyncSession, company_id: uuid.UUID, target: Target
) -> tuple[Conversation, WhatsAppInstance]:
    if target.conversation_id is not None:
        conversation = await session.scalar(
            select(Conversation).where(
                Conversation.id == target.conversation_id, Conversation.company_id == company_id
            )
        )
        if conversation is None:
            raise NotFound("Conversa não encontrada")
        return conversation, await _instance(session, company_id, conversation.instance_id)
    assert target.instance_id is not None
    assert target.to is not None
    instance = await _instance(session, company_id, target.instance_id)
    info = InstanceInfo.of(instance)
    conversation, _ = await conversation_for_chat(
        session, info, is_group=False, chat_jid=jids.phone_jid(target.to), phone=target.to, lid=None
    )
    return conversation, instance


async def ensure_can_send(
    session: AsyncSession, conversation: Conversation, instance: WhatsAppInstance
) -> None:
    if instance.deleted_at is not None:
        raise Conflict("A instância desta conversa foi excluída")
    if instance.connection_status != "open":
        raise Conflict(f"A instância {instance.name} não está conectada; conecte-a em Conexões")
    if conversation.is_archived:
        raise Conflict("Conversa arquivada; desarquive-a para enviar mensagens")
    if conversation.contact_id is not None:
        blocked = await session.scalar(
            select(Contact.is_blocked).where(Contact.id == conversation.contact_id)
        )
        if blocked:
            raise Conflict("Este contato está bloqueado; desbloqueie-o para enviar mensagens")


async def reserve_quota(session: AsyncSession, company_id: uuid.UUID) -> None:
    """Exact under concurrency: sends of one company are counted one at a time (transaction lock),
    and the PENDING row inserted next is what the following sender counts. A plan without a monthly
    limit takes no lock: its sends (a follow-up batch on many workers) need not wait for each other."""
    plan = plan_for(await session.scalar(select(Company.plan_type).where(Company.id == company_id)) or "free")
    if plan.messages_per_month is None:
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('messages:' || :c))"), {"c": str(company_id)}
    )
    start, end = month_period()
    used = await session.scalar(
        select(func.count())
        .select_from(Message)
        .where(
            Message.company_id == company_id,
            Message.direction.in_(
                ("RECEIVED", "SENT")
            ),  # lets the (company, direction, created_at) index serve
            Message.created_at >= start,
            Message.created_at < end,
        )
    )
    if (used or 0) >= plan.messages_per_month:
        raise Unprocessable(
            f"O plano {plan.name} permite {plan.messages_per_month} mensagens por mês "
            f"e o uso atual é {used}. "
            "As mensagens recebidas continuam chegando; faça upgrade para voltar a enviar."
        )
    await alerts.quota_usage(
        session,
        company_id,
        resource="messages",
        used=(used or 0) + 1,
        limit=plan.messages_per_month,
        plan_name=plan.name,
    )


async def _reply_to(
    session: AsyncSession, conversation: Conversation, message_id: uuid.UUID | None
) -> Message | None:
    if message_id is None:
        return None
    target = await session.scalar(
        select(Message).where(Message.id == message_id, Message.conversation_id == conversation.id)
    )
    if target is None:
        raise ValidationFailed(
            "A mensagem respondida não existe nesta conversa",
            details=[{"field": "replyToMessageId", "message": "não encontrada"}],
        )
    return target


async def _sender_name(session: AsyncSession, message: Message) -> str | None:
    if not message.sent_by_user_id:
        return None
    return await session.scalar(select(Profile.full_name).where(Profile.user_id == message.sent_by_user_id))


async def queue_message(
    session: AsyncSession,
    settings: Settings,
    *,
    conversation: Conversation,
    instance: WhatsAppInstance,
    user_id: uuid.UUID | None,
    kind: OutboundKind,
    text_body: str | None,
    reply_to_id: uuid.UUID | None,
    media: dict[str, Any] | None = None,
    is_bot: bool = False,
    ai_metadata: dict[str, Any] | None = None,
    send_delay_ms: int = 0,
) -> Message:
    await ensure_can_send(session, conversation, instance)
    reply = await _reply_to(session, conversation, reply_to_id)
    await reserve_quota(session, conversation.company_id)
    message = Message(
        id=uuid.uuid4(),
        company_id=conversation.company_id,
        conversation_id=conversation.id,
        instance_id=instance.id,
        direction="SENT",
        kind=kind,
        status="PENDING",
        status_rank=0,
        from_me=True,
        is_bot=is_bot,
        sent_by_user_id=user_id,
        text=text_body,
        reply_to_gateway_id=reply.gateway_message_id if reply else None,
        reply_to_text=reply.text if reply else None,
        sent_at=clock.now(),  # the clock automation decides by (tests move it)
        extra={"replyToId": str(reply.id)} if reply else {},
        reactions={},
        ai_metadata=ai_metadata,
        **(media or {}),
    )
    session.add(message)
    await session.flush()
    await session.refresh(message)
    await touch_after_send(session, conversation, message)
    await session.refresh(conversation)
    await followup_triggers.on_outbound(session, conversation, message.sent_at)
    await enqueue_job(
        session,
        queues.MESSAGE,
        SEND_JOB,
        {"companyId": str(conversation.company_id), "messageId": str(message.id)},
        **({"delay": send_delay_ms} if send_delay_ms > 0 else {}),
    )
    await events.message_sent(session, settings, message, sent_by_name=await _sender_name(session, message))
    await emit_conversation(session, settings, conversation)
    return message


async def react(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, data: ReactionIn
) -> Message:
    message = await session.scalar(
        select(Message)
        .where(Message.id == data.message_id, Message.company_id == company_id)
        .with_for_update()
    )
    if message is None:
        raise NotFound("Mensagem não encontrada")
    if not message.gateway_message_id:
        raise Conflict("Esta mensagem ainda não foi enviada; aguarde para reagir")
    conversation = await session.scalar(
        select(Conversation).where(Conversation.id == message.conversation_id)
    )
    assert conversation is not None
    instance = await _instance(session, company_id, message.instance_id)
    await ensure_can_send(session, conversation, instance)
    reactions = dict(message.reactions or {})
    if data.reaction:
        reactions["me"] = data.reaction
    else:
        reactions.pop("me", None)
    message.reactions = reactions
    await session.flush()
    await enqueue_job(
        session,
        queues.MESSAGE,
        REACTION_JOB,
        {"companyId": str(company_id), "messageId": str(message.id), "emoji": data.reaction},
    )
    name = await _sender_name(session, message)
    await events.message_updated(session, settings, message, sent_by_name=name)
    return message


async def retry(session: AsyncSession, company_id: uuid.UUID, message_id: uuid.UUID) -> Message:
    """FAILED → PENDING (spec 6.2): send an outbound message again that never reached the gateway."""
    message = await session.scalar(
        select(Message).where(Message.id == message_id, Message.company_id == company_id).with_for_update()
    )
    if message is None:
        raise NotFound("Mensagem não encontrada")
    if message.direction != "SENT" or message.status != "FAILED":
        raise Conflict("Só mensagens enviadas com falha podem ser reenviadas")
    if message.gateway_message_id:
        raise Conflict("Esta mensagem chegou ao WhatsApp; envie uma nova em vez de reenviá-la")
    conversation = await session.scalar(
        select(Conversation).where(Conversation.id == message.conversation_id)
    )
    assert conversation is not None
    await ensure_can_send(session, conversation, await _instance(session, company_id, message.instance_id))
    message.status, message.status_rank, message.error = "PENDING", 0, None
    await session.flush()
    await enqueue_job(
        session, queues.MESSAGE, SEND_JOB, {"companyId": str(company_id), "messageId": str(message.id)}
    )
    await events.message_status(session, message)
    return message
