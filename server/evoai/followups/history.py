"""Follow-ups in the contact's history (contact_events FOLLOWUP_<STATUS>), with the reason."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.history import record_event
from evoai.followups import live

LABELS = {
    "SCHEDULED": "Follow-up agendado",
    "SENT": "Follow-up enviado",
    "RESPONDED": "Follow-up dispensado: o cliente respondeu",
    "CANCELLED": "Follow-up cancelado",
    "FAILED": "Follow-up falhou",
    "SKIPPED": "Follow-up ignorado",
}


async def record(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    followup_id: uuid.UUID,
    rule_name: str,
    status: str,
    reason: str | None = None,
    user_id: uuid.UUID | None = None,
) -> None:
    await live.changed(session, company_id)
    if contact_id is None:
        return
    label = LABELS.get(status, status)
    description = f"{label} ({rule_name})" + (f": {reason}" if reason else "")
    await record_event(
        session,
        company_id=company_id,
        contact_id=contact_id,
        type=f"FOLLOWUP_{status}",
        actor="user" if user_id else "automation",
        user_id=user_id,
        payload={
            "followupId": str(followup_id),
            "ruleName": rule_name,
            "reason": reason,
            "description": description[:500],
        },
    )
