"""What schedules follow-ups, called inside the transaction that made the change:

- an outbound message (ours, the AI's, a follow-up's, or typed on the company's phone) starts or
  moves the NO_RESPONSE clock of the conversation;
- a customer's message turns the conversation's pending follow-ups into RESPONDED;
- contact events (tag added, stage entered or changed, deal created, sentiment detected) schedule
  the rules listening for them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.followups import history
from evoai.followups.engine import Trigger, schedule
from evoai.kit import clock
from evoai.kit.fast_sql import FastStatement
from evoai.models import Conversation, Followup, FollowupRule

# WhatsApp timestamps are whole seconds (rounded down): a reply stamped T was written in [T, T + 1 s),
# so it may come after a message of ours sent at T + 0.4 s. Counted as an answer, never missed.
WHOLE_SECOND = timedelta(seconds=1)

# Contact event type -> the rule triggers it may fire.
EVENT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "TAG_ADDED": ("TAG_ADDED",),
    "STAGE_CHANGED": ("STAGE_ENTERED", "STAGE_CHANGED"),
    "DEAL_STAGE_CHANGED": ("STAGE_ENTERED", "STAGE_CHANGED"),
    "DEAL_CREATED": ("DEAL_CREATED", "STAGE_ENTERED"),
    "SENTIMENT_DETECTED": ("SENTIMENT_DETECTED",),
}


async def active_rules(
    session: AsyncSession, company_id: uuid.UUID, types: Sequence[str]
) -> list[FollowupRule]:
    return list(
        (
            await session.scalars(
                select(FollowupRule).where(
                    FollowupRule.company_id == company_id,
                    FollowupRule.trigger_type.in_(types),
                    FollowupRule.is_active.is_(True),
                )
            )
        ).all()
    )


async def sent_in_sequence(session: AsyncSession, rule: FollowupRule, conversation: Conversation) -> int:
    """Follow-ups this rule sent in the conversation since the customer last wrote (a reply starts a
    new sequence)."""
    query = select(func.count()).where(
        Followup.rule_id == rule.id,
        Followup.conversation_id == conversation.id,
        Followup.status == "SENT",
    )
    if conversation.last_inbound_at is not None:
        query = query.where(Followup.sent_at > conversation.last_inbound_at)
    return int(await session.scalar(query) or 0)


async def on_outbound(session: AsyncSession, conversation: Conversation, at: datetime) -> None:
    if conversation.is_group:
        return
    for rule in await active_rules(session, conversation.company_id, ("NO_RESPONSE",)):
        if rule.instance_id is not None and rule.instance_id != conversation.instance_id:
            continue
        if await sent_in_sequence(session, rule, conversation) >= rule.max_followups_per_contact:
            continue
        trigger = Trigger(rule, conversation.id, conversation.contact_id, at, {})
        await schedule(session, trigger, replace=True)


_CLOSE_ANSWERED = FastStatement(
    update(Followup)
    .where(
        Followup.conversation_id == bindparam("conversation_id"),
        Followup.status == "PENDING",
        Followup.basis_at < bindparam("before"),
    )
    .values(
        status="RESPONDED",
        reason="O cliente respondeu",
        closed_at=bindparam("now"),
        updated_at=bindparam("now"),
    )
    .returning(Followup.id, Followup.company_id, Followup.contact_id, Followup.rule_name)
)


async def on_inbound(session: AsyncSession, conversation_id: uuid.UUID, at: datetime) -> int:
    """The customer wrote: what was pending for a silence that has ended is RESPONDED."""
    rows = await _CLOSE_ANSWERED.rows(
        session, conversation_id=conversation_id, before=at + WHOLE_SECOND, now=clock.now()
    )
    for row in rows:
        await history.record(
            session,
            company_id=row["company_id"],
            contact_id=row["contact_id"],
            followup_id=row["id"],
            rule_name=row["rule_name"],
            status="RESPONDED",
            reason="O cliente respondeu",
        )
    return len(rows)


def _matches(rule: FollowupRule, event_type: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The context to re-check when it fires, or None when this event is not the rule's trigger."""
    config = rule.trigger_config
    kind = rule.trigger_type
    if kind == "TAG_ADDED" and event_type == "TAG_ADDED":
        tags = config.get("tagIds") or []
        return {"tagId": payload.get("tagId")} if not tags or str(payload.get("tagId")) in tags else None
    stage_id = payload.get("stageId") if event_type == "DEAL_CREATED" else payload.get("toStageId")
    funnel_id = payload.get("funnelId") or payload.get("toFunnelId")
    deal = {"dealId": payload["dealId"]} if payload.get("dealId") else {}
    if kind == "STAGE_ENTERED" and stage_id and str(stage_id) in (config.get("stageIds") or []):
        return {"stageId": str(stage_id), **deal}
    if kind == "STAGE_CHANGED" and event_type != "DEAL_CREATED" and stage_id:
        wanted = config.get("funnelId")
        return {"stageId": str(stage_id), **deal} if not wanted or wanted == str(funnel_id) else None
    if kind == "DEAL_CREATED" and event_type == "DEAL_CREATED":
        wanted = config.get("funnelId")
        return deal if not wanted or wanted == str(funnel_id) else None
    if kind == "SENTIMENT_DETECTED" and event_type == "SENTIMENT_DETECTED":
        wanted = config.get("sentiments") or []
        sentiment = payload.get("sentiment")
        return {"sentiment": sentiment} if not wanted or sentiment in wanted else None
    return None


async def _conversation_of(
    session: AsyncSession, contact_id: uuid.UUID, instance_id: uuid.UUID | None
) -> Conversation | None:
    """The contact's most recent one-to-one chat (on the rule's instance, when it names one)."""
    query = select(Conversation).where(
        Conversation.contact_id == contact_id, Conversation.is_group.is_(False)
    )
    if instance_id is not None:
        query = query.where(Conversation.instance_id == instance_id)
    return await session.scalar(query.order_by(Conversation.last_message_at.desc().nulls_last()).limit(1))


async def on_contact_events(
    session: AsyncSession, company_id: uuid.UUID, events: Sequence[tuple[uuid.UUID, str, dict[str, Any]]]
) -> int:
    wanted = {t for _, kind, _ in events for t in EVENT_TRIGGERS.get(kind, ())}
    if not wanted:
        return 0
    rules = await active_rules(session, company_id, sorted(wanted))
    scheduled = 0
    now = clock.now()
    for contact_id, kind, payload in events:
        for rule in rules:
            context = _matches(rule, kind, payload)
            if context is None:
                continue
            conversation = await _conversation_of(session, contact_id, rule.instance_id)
            if conversation is None:
                continue  # nobody to write to yet; the rule applies to contacts with a chat
            trigger = Trigger(rule, conversation.id, contact_id, now, context)
            scheduled += await schedule(session, trigger, replace=False) is not None
    return scheduled
