"""The team notifications the product raises (docs/api-crm.md, Notifications), one function each.

Every alert carries a dedupe key, so a retried job or a repeated check never notifies twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import Membership
from evoai.notifications.service import notify

QUOTA_THRESHOLDS = (100, 80)
QuotaResource = Literal["contacts", "messages"]
_RESOURCE_NAMES = {"contacts": "contatos", "messages": "mensagens deste mês"}


async def _admins(session: AsyncSession, company_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Membership.user_id).where(Membership.company_id == company_id, Membership.role == "admin")
    )
    return list(rows.all())


async def quota_usage(
    session: AsyncSession,
    company_id: uuid.UUID,
    *,
    resource: QuotaResource,
    used: int,
    limit: int | None,
    plan_name: str,
) -> None:
    """Warn the admins once a month when usage reaches 80 % and again at 100 %."""
    if not limit:
        return
    percent = used * 100 // limit
    threshold = next((t for t in QUOTA_THRESHOLDS if percent >= t), None)
    if threshold is None:
        return
    month = datetime.now(UTC).strftime("%Y-%m")
    what = _RESOURCE_NAMES[resource]
    title = f"Limite de {what} atingido" if threshold == 100 else f"{threshold}% do limite de {what} usado"
    await notify(
        session,
        company_id=company_id,
        user_ids=await _admins(session, company_id),
        type="quota_warning",
        title=title,
        body=f"O plano {plan_name} permite {limit} {what}; o uso atual é {used}.",
        data={"resource": resource, "percent": threshold, "limit": limit, "used": used},
        dedupe_key=f"quota:{company_id}:{resource}:{month}:{threshold}",
    )


async def deal_won(
    session: AsyncSession,
    company_id: uuid.UUID,
    *,
    deal_id: uuid.UUID,
    title: str,
    value: Decimal,
    closed_at: datetime,
) -> None:
    await notify(
        session,
        company_id=company_id,
        user_ids=None,
        type="deal_won",
        title=f"Negócio ganho: {title}",
        body=f"Valor: R$ {value:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."),
        data={"dealId": str(deal_id), "title": title, "value": float(value)},
        dedupe_key=f"deal_won:{deal_id}:{closed_at.isoformat()}",
    )


async def conversation_alert(
    session: AsyncSession,
    company_id: uuid.UUID,
    *,
    type: Literal["hot_lead", "negative_sentiment", "ai_handover"],
    title: str,
    body: str,
    conversation_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    reason: str,
    dedupe_key: str,
) -> None:
    """Alerts raised about a conversation (by the AI or its analysis, issue 5)."""
    await notify(
        session,
        company_id=company_id,
        user_ids=None,
        type=type,
        title=title,
        body=body,
        data={
            "conversationId": str(conversation_id),
            "contactId": str(contact_id) if contact_id else None,
            "reason": reason,
        },
        dedupe_key=f"{type}:{dedupe_key}",
    )


async def followup_failed(
    session: AsyncSession, company_id: uuid.UUID, *, followup_id: uuid.UUID, contact_name: str, reason: str
) -> None:
    await notify(
        session,
        company_id=company_id,
        user_ids=None,
        type="followup_failed",
        title=f"Follow-up não enviado para {contact_name}",
        body=reason,
        data={"followupId": str(followup_id), "reason": reason},
        dedupe_key=f"followup_failed:{followup_id}",
    )
