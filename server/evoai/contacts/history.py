"""A contact's history: every change to a contact is recorded here with who made it and why.

Types in use: CREATED, UPDATED, BLOCKED, UNBLOCKED, NOTE_ADDED, TAG_ADDED, TAG_REMOVED, STAGE_CHANGED,
DEAL_CREATED, DEAL_STAGE_CHANGED, DEAL_STATUS_CHANGED, IMPORTED, DATA_EXPORTED, AI_ACTION, FOLLOWUP_SENT, ….

Payloads the contact pages read (camelCase keys):
- UPDATED: `{fields: [names]}` (never the values: notes may be private);
- TAG_ADDED / TAG_REMOVED: `{tagId, tagName}`;
- NOTE_ADDED: `{noteId, excerpt}`;
- STAGE_CHANGED: `{fromStageId, toStageId, toStageName, funnelName, …}` — the stage history of
  GET /api/contacts/:id/history is rebuilt from these (`toStageId: null` = left the funnel);
- DEAL_*: `{dealId, title, …}`, DEAL_STAGE_CHANGED with `toStageName`, DEAL_STATUS_CHANGED with `toStatus`;
- any type: `description` (or `summary`), when present, is what the timeline shows.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import ContactEvent

Actor = Literal["user", "ai", "automation", "system"]
# Event types automation listens to (evoai/followups/triggers.py EVENT_TRIGGERS).
TRIGGERING = frozenset(
    {"TAG_ADDED", "STAGE_CHANGED", "DEAL_STAGE_CHANGED", "DEAL_CREATED", "SENTIMENT_DETECTED"}
)
# Event types flows listen to (evoai/flows/triggers.py EVENT_TRIGGERS).
FLOW_TRIGGERING = frozenset({"TAG_ADDED", "STAGE_CHANGED", "CREATED"})


async def record_event(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    type: str,
    actor: Actor = "user",
    user_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> ContactEvent:
    event = ContactEvent(
        id=uuid.uuid4(),
        company_id=company_id,
        contact_id=contact_id,
        type=type,
        actor=actor,
        user_id=user_id,
        payload=payload or {},
    )
    session.add(event)
    await session.flush()
    if type in TRIGGERING:
        # Imported here: follow-ups build on contacts, not the other way round.
        from evoai.followups.triggers import on_contact_events

        await on_contact_events(session, company_id, [(contact_id, type, event.payload)])
    if type in FLOW_TRIGGERING:
        from evoai.flows import triggers as flow_triggers  # flows build on contacts too

        await flow_triggers.on_contact_events(session, company_id, [(contact_id, type, event.payload)])
    return event
