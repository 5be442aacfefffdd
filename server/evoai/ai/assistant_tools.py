"""The internal assistant's read-only tools: each answers a question about the member's own company
with one query (row-level security scopes it too), in a compact shape for the model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.serialise import tags_of
from evoai.dashboard import service as dashboard
from evoai.kit.text import like_pattern
from evoai.models import Contact, Conversation, Deal, Funnel, Message, Stage, Tag, TagAssignment

LIMIT = 15


def _function(name: str, description: str, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties or {}, "additionalProperties": False},
        },
    }


TOOLS = [
    _function(
        "waiting_conversations",
        "Conversas em que o cliente mandou a última mensagem e ninguém respondeu, as mais antigas primeiro.",
    ),
    _function(
        "find_contacts",
        "Procura contatos por nome, telefone ou e-mail, e/ou por tag.",
        {"query": {"type": "string"}, "tag": {"type": "string"}},
    ),
    _function(
        "funnel_overview",
        "Negócios abertos por etapa (quantidade e valor) de um funil; sem nome, o funil padrão.",
        {"funnel": {"type": "string"}},
    ),
    _function(
        "metrics",
        "Métricas do período: mensagens, conversas ativas, novos contatos, negócios, respostas da IA.",
        {"period": {"type": "string", "enum": ["today", "7d", "30d", "90d"]}},
    ),
    _function(
        "attention_needed",
        "Conversas que a análise da IA marcou com sentimento negativo ou urgência alta/crítica.",
    ),
]


def _who(name: str | None, push: str | None, phone: str | None) -> str:
    return name or push or phone or "sem nome"


async def waiting_conversations(
    session: AsyncSession, company_id: uuid.UUID, now: datetime
) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(Conversation, Contact.name, Contact.push_name, Message.text)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .outerjoin(Message, Message.id == Conversation.last_message_id)
            .where(
                Conversation.company_id == company_id,
                Conversation.is_archived.is_(False),
                Conversation.is_group.is_(False),
                Conversation.last_inbound_at.is_not(None),
                Conversation.last_inbound_at >= Conversation.last_message_at,
            )
            .order_by(Conversation.last_inbound_at)
            .limit(LIMIT)
        )
    ).all()
    return [
        {
            "conversationId": str(c.id),
            "contact": _who(name, push, c.contact_number),
            "waitingMinutes": int((now - c.last_inbound_at).total_seconds() // 60)
            if c.last_inbound_at
            else None,
            "lastMessage": (text or "")[:200],
        }
        for c, name, push, text in rows
    ]


async def find_contacts(
    session: AsyncSession, company_id: uuid.UUID, query: str | None, tag: str | None
) -> list[dict[str, Any]]:
    statement = select(Contact).where(Contact.company_id == company_id)
    if query:
        statement = statement.where(Contact.search_text.like(like_pattern(query)))
    if tag:
        statement = statement.where(
            Contact.id.in_(
                select(TagAssignment.contact_id)
                .join(Tag, Tag.id == TagAssignment.tag_id)
                .where(Tag.company_id == company_id, func.lower(Tag.name) == tag.lower())
            )
        )
    contacts = list(
        (await session.scalars(statement.order_by(Contact.last_activity_at.desc()).limit(LIMIT))).all()
    )
    tags = await tags_of(session, company_id, [c.id for c in contacts])
    return [
        {
            "contactId": str(c.id),
            "name": _who(c.name, c.push_name, None),
            "phone": c.phone_number,
            "email": c.email,
            "tags": [t.name for t in tags.get(c.id, [])],
            "blocked": c.is_blocked,
        }
        for c in contacts
    ]


async def funnel_overview(session: AsyncSession, company_id: uuid.UUID, name: str | None) -> dict[str, Any]:
    funnel_filter = func.lower(Funnel.name) == name.lower() if name else Funnel.is_default.is_(True)
    funnel = await session.scalar(
        select(Funnel).where(Funnel.company_id == company_id, funnel_filter).limit(1)
    )
    if funnel is None:
        return {"error": f"funil '{name}' não encontrado" if name else "nenhum funil padrão"}
    rows = (
        await session.execute(
            select(Stage.name, func.count(Deal.id), func.coalesce(func.sum(Deal.value), 0))
            .outerjoin(Deal, and_(Deal.stage_id == Stage.id, Deal.status == "OPEN"))
            .where(Stage.company_id == company_id, Stage.funnel_id == funnel.id)
            .group_by(Stage.id, Stage.name, Stage.position)
            .order_by(Stage.position)
        )
    ).all()
    return {
        "funnel": funnel.name,
        "stages": [{"stage": s, "openDeals": int(n), "value": float(v)} for s, n, v in rows],
    }


async def metrics(
    session: AsyncSession, company_id: uuid.UUID, period: str | None, now: datetime
) -> dict[str, Any]:
    zone = await dashboard.company_zone(session, company_id, None)
    chosen: Any = period if period in ("today", "7d", "30d", "90d") else "7d"
    data = await dashboard.metrics(session, company_id, dashboard.window(zone, chosen, None, None, now), now)
    data.pop("series", None)  # the daily series would only cost tokens
    return {"periodName": chosen, **data}


async def attention_needed(session: AsyncSession, company_id: uuid.UUID) -> list[dict[str, Any]]:
    sentiment = Conversation.ai_state["sentiment"].astext
    urgency = Conversation.ai_state["urgency"].astext
    rows = (
        await session.execute(
            select(Conversation, Contact.name, Contact.push_name)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .where(
                Conversation.company_id == company_id,
                Conversation.is_archived.is_(False),
                (sentiment == "negative") | urgency.in_(("high", "critical")),
            )
            .order_by(Conversation.last_message_at.desc().nulls_last())
            .limit(LIMIT)
        )
    ).all()
    return [
        {
            "conversationId": str(c.id),
            "contact": _who(name, push, c.contact_number),
            "sentiment": (c.ai_state or {}).get("sentiment"),
            "urgency": (c.ai_state or {}).get("urgency"),
            "summary": (c.ai_state or {}).get("summary"),
        }
        for c, name, push in rows
    ]


async def run(session: AsyncSession, company_id: uuid.UUID, name: str, arguments: dict[str, Any]) -> Any:
    now = datetime.now(UTC)
    if name == "waiting_conversations":
        return await waiting_conversations(session, company_id, now)
    if name == "find_contacts":
        query, tag = arguments.get("query"), arguments.get("tag")
        return await find_contacts(
            session, company_id, str(query) if query else None, str(tag) if tag else None
        )
    if name == "funnel_overview":
        funnel = arguments.get("funnel")
        return await funnel_overview(session, company_id, str(funnel) if funnel else None)
    if name == "metrics":
        return await metrics(session, company_id, arguments.get("period"), now)
    if name == "attention_needed":
        return await attention_needed(session, company_id)
    return {"error": f"ferramenta desconhecida: {name}"}
