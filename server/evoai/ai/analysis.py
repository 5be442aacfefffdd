"""Conversation analysis (ENABLE_AI_ANALYSIS): sentiment, urgency, intent, topics, engagement,
summary and a suggested reply, plus what it tells about the contact (the contact's AI profile).

Refreshed after new messages at most every ANALYSIS_INTERVAL (the scheduler's sweep queues the due
ones), or on demand. Stored in whatsapp_conversations.ai_state, which the inbox filters and shows.
A negative sentiment or a high/critical urgency notifies the team once per conversation and day,
and is logged as SENTIMENT_DETECTED in the contact's history for follow-up rules."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import DateTime, and_, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.context import chat_messages, recent_messages
from evoai.ai.llm import LLM, model_access
from evoai.config import Settings
from evoai.contacts.fields import display_name
from evoai.contacts.history import record_event
from evoai.exceptions import AppError, Unprocessable
from evoai.models import Contact, Conversation
from evoai.notifications import alerts
from evoai.whatsapp.inbox import emit_conversation, get_conversation
from evoai.worker import queues
from evoai.worker.context import JobContext
from evoai.worker.enqueue import enqueue_job

log = structlog.get_logger(__name__)
ANALYSIS_JOB = "ai.analyze"
ANALYSIS_INTERVAL = timedelta(minutes=10)
HISTORY = 30
SENTIMENTS = ("positive", "neutral", "negative", "mixed")
URGENCIES = ("low", "medium", "high", "critical")
ALARMING_URGENCY = ("high", "critical")
SWEEP_BATCH = 200

INSTRUCTIONS = """Você analisa uma conversa de WhatsApp entre uma empresa e um cliente.
Responda somente com um objeto JSON com estas chaves:
- "sentiment": "positive", "neutral", "negative" ou "mixed" (o sentimento do cliente)
- "urgency": "low", "medium", "high" ou "critical"
- "intent": a intenção principal do cliente em poucas palavras (ex.: "purchase_inquiry", "support_request")
- "topics": até 8 assuntos curtos
- "engagement": de 0 a 100, o quanto o cliente está engajado
- "summary": resumo da conversa em até 3 frases
- "suggestedReply": a próxima mensagem que a equipe poderia enviar
- "profile": {"interests": [...], "preferences": [...], "keyFacts": [...], "communicationStyle": "..."} \
sobre o cliente, só com o que a conversa mostra"""


def _strings(value: Any, limit: int, size: int = 120) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v).strip()[:size] for v in value if str(v).strip()][:limit]


class Profile(BaseModel):
    interests: list[str] = Field(default_factory=list)
    preferences: list[str] = Field(default_factory=list)
    key_facts: list[str] = Field(default_factory=list, alias="keyFacts")
    communication_style: str | None = Field(default=None, alias="communicationStyle")

    @field_validator("interests", "preferences", "key_facts", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> list[str]:
        return _strings(value, 10)

    @field_validator("communication_style", mode="before")
    @classmethod
    def _style(cls, value: Any) -> str | None:
        return str(value).strip()[:200] or None if value else None


class Analysis(BaseModel):
    """What the model answered, made safe: unknown values fall back, texts are bounded."""

    sentiment: str = "neutral"
    urgency: str = "low"
    intent: str | None = None
    topics: list[str] = Field(default_factory=list)
    engagement: int = 50
    summary: str | None = None
    suggested_reply: str | None = Field(default=None, alias="suggestedReply")
    profile: Profile = Field(default_factory=Profile)

    @field_validator("sentiment", mode="before")
    @classmethod
    def _sentiment(cls, value: Any) -> str:
        return str(value).lower() if str(value).lower() in SENTIMENTS else "neutral"

    @field_validator("urgency", mode="before")
    @classmethod
    def _urgency(cls, value: Any) -> str:
        return str(value).lower() if str(value).lower() in URGENCIES else "low"

    @field_validator("intent", "summary", "suggested_reply", mode="before")
    @classmethod
    def _text(cls, value: Any) -> str | None:
        return str(value).strip()[:1000] or None if value else None

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: Any) -> list[str]:
        return _strings(value, 8, 60)

    @field_validator("engagement", mode="before")
    @classmethod
    def _engagement(cls, value: Any) -> int:
        try:
            return max(0, min(100, int(float(value))))
        except (TypeError, ValueError):
            return 50

    @field_validator("profile", mode="before")
    @classmethod
    def _profile(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


def parse(content: str) -> Analysis:
    try:
        raw = json.loads(content[content.find("{") : content.rfind("}") + 1] or "{}")
    except json.JSONDecodeError:
        raw = {}
    try:
        return Analysis.model_validate(raw if isinstance(raw, dict) else {})
    except ValidationError:
        return Analysis()


def is_fresh(state: dict[str, Any] | None, latest_public_id: int | None, now: datetime) -> bool:
    """Nothing new since the last analysis, or it is less than ANALYSIS_INTERVAL old."""
    if not state or not state.get("analyzedAt"):
        return False
    if latest_public_id is not None and latest_public_id <= int(state.get("analyzedThrough") or 0):
        return True
    return now - datetime.fromisoformat(state["analyzedAt"]) < ANALYSIS_INTERVAL


def state_out(conversation_id: uuid.UUID, state: dict[str, Any] | None) -> dict[str, Any] | None:
    if not state or not state.get("analyzedAt"):
        return None
    return {
        "conversationId": str(conversation_id),
        "sentiment": state.get("sentiment"),
        "urgency": state.get("urgency"),
        "intent": state.get("intent"),
        "topics": state.get("topics", []),
        "engagement": state.get("engagement"),
        "summary": state.get("summary"),
        "suggestedReply": state.get("suggestedReply"),
        "analyzedAt": state.get("analyzedAt"),
    }


async def analyze(
    ctx: JobContext, company_id: uuid.UUID, conversation_id: uuid.UUID, *, force: bool
) -> dict[str, Any]:
    """The conversation's analysis, refreshed when due (or forced). Raises AIUnavailable (422)."""
    if not ctx.settings.ENABLE_AI_ANALYSIS:
        raise Unprocessable("A análise de conversas está desativada (ENABLE_AI_ANALYSIS=false)")
    now = datetime.now(UTC)
    async with ctx.transaction(company_id=company_id) as session:
        conversation = await get_conversation(session, company_id, conversation_id)
        history = await recent_messages(session, conversation.id, HISTORY)
        latest = max((m.public_id for m in history if m.direction == "RECEIVED"), default=None)
        if not force and is_fresh(conversation.ai_state, latest, now):
            return state_out(conversation.id, conversation.ai_state) or {}
        if not history:
            raise Unprocessable("A conversa ainda não tem mensagens para analisar")
        access = await model_access(session, ctx.settings, company_id)
    result = await LLM(ctx.settings, ctx.factory).chat(
        access,
        company_id=company_id,
        feature="analysis",
        messages=chat_messages(INSTRUCTIONS, history),
        json_mode=True,
        temperature=0.0,
        max_tokens=700,
    )
    analysis = parse(result.content)
    async with ctx.transaction(company_id=company_id) as session:
        return await _store(session, ctx.settings, company_id, conversation_id, analysis, latest, now)


async def _store(
    session: AsyncSession,
    settings: Settings,
    company_id: uuid.UUID,
    conversation_id: uuid.UUID,
    analysis: Analysis,
    latest: int | None,
    now: datetime,
) -> dict[str, Any]:
    conversation = await session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id, Conversation.company_id == company_id)
        .with_for_update()
    )
    if conversation is None:
        return {}
    previous = conversation.ai_state or {}
    state = {
        **previous,
        "sentiment": analysis.sentiment,
        "urgency": analysis.urgency,
        "intent": analysis.intent,
        "topics": analysis.topics,
        "engagement": analysis.engagement,
        "summary": analysis.summary,
        "suggestedReply": analysis.suggested_reply,
        "analyzedAt": now.isoformat(),
        "analyzedThrough": latest or 0,
    }
    conversation.ai_state = state
    contact = None
    if conversation.contact_id is not None:
        contact = await session.scalar(select(Contact).where(Contact.id == conversation.contact_id))
    if contact is not None:
        _merge_profile(contact, analysis.profile, now)
    alarming = analysis.sentiment == "negative" or analysis.urgency in ALARMING_URGENCY
    was_alarming = previous.get("sentiment") == "negative" or previous.get("urgency") in ALARMING_URGENCY
    if alarming and not was_alarming:
        await _alert(session, conversation, contact, analysis, now)
    await session.flush()
    await emit_conversation(session, settings, conversation)
    return state_out(conversation.id, state) or {}


def _merge_profile(contact: Contact, profile: Profile, now: datetime) -> None:
    """New findings join the old ones (most recent first, bounded): one conversation rarely says it all."""
    old = contact.ai_profile or {}

    def merged(key: str, new: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for item in [*new, *old.get(key, [])]:
            seen.setdefault(item.lower(), item)
        return list(seen.values())[:15]

    contact.ai_profile = {
        "interests": merged("interests", profile.interests),
        "preferences": merged("preferences", profile.preferences),
        "keyFacts": merged("keyFacts", profile.key_facts),
        "communicationStyle": profile.communication_style or old.get("communicationStyle"),
    }
    contact.ai_profile_updated_at = now


async def _alert(
    session: AsyncSession,
    conversation: Conversation,
    contact: Contact | None,
    analysis: Analysis,
    now: datetime,
) -> None:
    who = display_name(contact) if contact else "Cliente"
    reason = f"sentimento {analysis.sentiment}, urgência {analysis.urgency}"
    await alerts.conversation_alert(
        session,
        conversation.company_id,
        type="negative_sentiment",
        title="Cliente insatisfeito ou urgente",
        body=f"{who}: {analysis.summary or reason}",
        conversation_id=conversation.id,
        contact_id=contact.id if contact else None,
        reason=reason,
        dedupe_key=f"{conversation.id}:{now.date()}",
    )
    if contact is not None:
        await record_event(
            session,
            company_id=conversation.company_id,
            contact_id=contact.id,
            type="SENTIMENT_DETECTED",
            actor="ai",
            payload={
                "conversationId": str(conversation.id),
                "sentiment": analysis.sentiment,
                "urgency": analysis.urgency,
                "summary": analysis.summary,
            },
        )


async def run_analysis(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """The queued refresh: due conversations only; a disabled AI is not an error to retry."""
    try:
        state = await analyze(
            ctx, uuid.UUID(data["companyId"]), uuid.UUID(data["conversationId"]), force=False
        )
    except AppError as exc:
        return {"analysis": "skipped", "reason": exc.message}
    return {"analysis": "done" if state else "none"}


async def schedule_due(session: AsyncSession, now: datetime | None = None) -> int:
    """The scheduler's sweep (across companies): conversations with customer messages newer than their
    analysis and an analysis older than ANALYSIS_INTERVAL (or none), active in the last day."""
    now = now or datetime.now(UTC)
    analyzed_at = cast(Conversation.ai_state["analyzedAt"].astext, DateTime(timezone=True))
    rows = (
        await session.execute(
            select(Conversation.id, Conversation.company_id)
            .where(
                Conversation.last_inbound_at > now - timedelta(days=1),
                Conversation.is_group.is_(False),
                or_(
                    analyzed_at.is_(None),
                    and_(analyzed_at < now - ANALYSIS_INTERVAL, Conversation.last_inbound_at > analyzed_at),
                ),
            )
            .order_by(Conversation.last_inbound_at.desc())
            .limit(SWEEP_BATCH)
        )
    ).all()
    bucket = int(now.timestamp() // ANALYSIS_INTERVAL.total_seconds())
    for conversation_id, company_id in rows:
        await enqueue_job(
            session,
            queues.MESSAGE,
            ANALYSIS_JOB,
            {"companyId": str(company_id), "conversationId": str(conversation_id)},
            jobId=f"analysis-{conversation_id}-{bucket}",
        )
    return len(rows)
