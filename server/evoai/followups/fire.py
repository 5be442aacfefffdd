"""The followup-worker's job: a follow-up's alarm rings; everything is checked again and it is sent,
moved (outside hours, too soon), or closed with its reason in the contact's history.

Exactly one outcome, whatever races it: the row is locked (FOR UPDATE) while deciding and while
handing the message to the outbound queue, and only a PENDING row is acted on. A customer's reply
(evoai/followups/triggers.py on_inbound) updates the same row, so it waits for that lock: either the
reply lands first and this finds RESPONDED, or the follow-up is SENT first and the reply starts a
new sequence. Two workers with the same alarm: the second finds SENT. A model call (writing the
message or validating it) never holds the lock: the row is checked again after it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import structlog
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.llm import AIUnavailable, ModelFailed, model_access
from evoai.contacts.tags import apply_tags
from evoai.exceptions import AppError, Conflict, Unprocessable
from evoai.followups import compose, history, live
from evoai.followups.engine import arm_soon, place, window_of
from evoai.followups.triggers import sent_in_sequence
from evoai.funnels.contacts import move_contact
from evoai.kit import clock
from evoai.models import Contact, Conversation, Deal, Followup, FollowupRule, TagAssignment, WhatsAppInstance
from evoai.notifications import alerts
from evoai.observability import metrics
from evoai.whatsapp.outbound import queue_message
from evoai.worker.context import JobContext

log = structlog.get_logger(__name__)

EARLY = timedelta(seconds=1)  # an alarm earlier than this is stale (the follow-up was moved)
PRIORITY_PAUSE = timedelta(minutes=1)
RETRY_BASE = timedelta(minutes=5)

Outcome = Literal["send", "cancel", "responded", "reschedule", "fail"]


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str | None = None
    at: datetime | None = None  # reschedule: when


SEND = Decision("send")


async def _lock(session: AsyncSession, followup_id: uuid.UUID) -> Followup | None:
    return await session.scalar(select(Followup).where(Followup.id == followup_id).with_for_update())


async def _has_tag(session: AsyncSession, contact_id: uuid.UUID, tag_ids: list[str]) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    TagAssignment.contact_id == contact_id,
                    TagAssignment.tag_id.in_([uuid.UUID(t) for t in tag_ids]),
                )
            )
        )
    )


async def _in_stages(
    session: AsyncSession, contact: Contact, stage_ids: list[str], deal_id: str | None
) -> bool:
    """The contact (or one of its open deals, or the deal that triggered) sits in one of the stages."""
    wanted = [uuid.UUID(s) for s in stage_ids]
    if contact.stage_id in wanted:
        return True
    deals = select(Deal.id).where(Deal.stage_id.in_(wanted), Deal.status == "OPEN")
    deals = (
        deals.where(Deal.id == uuid.UUID(deal_id)) if deal_id else deals.where(Deal.contact_id == contact.id)
    )
    return bool(await session.scalar(select(exists(deals))))


async def _last_sent_to(session: AsyncSession, conversation_id: uuid.UUID) -> datetime | None:
    return await session.scalar(
        select(func.max(Followup.sent_at)).where(
            Followup.conversation_id == conversation_id, Followup.status == "SENT"
        )
    )


async def _outranked(session: AsyncSession, row: Followup, rule: FollowupRule | None, now: datetime) -> bool:
    """Another follow-up of this conversation, of a higher-priority rule, is due now: it goes first."""
    priority = rule.priority if rule else 0
    return bool(
        await session.scalar(
            select(
                exists().where(
                    Followup.conversation_id == row.conversation_id,
                    Followup.status == "PENDING",
                    Followup.id != row.id,
                    Followup.scheduled_for <= now,
                    FollowupRule.id == Followup.rule_id,
                    FollowupRule.priority > priority,
                )
            )
        )
    )


async def decide(
    session: AsyncSession, ctx: JobContext, row: Followup, now: datetime
) -> tuple[Decision, FollowupRule | None, Conversation | None]:
    rule = (
        await session.scalar(select(FollowupRule).where(FollowupRule.id == row.rule_id))
        if row.rule_id
        else None
    )
    if rule is None:
        return Decision("cancel", "A regra foi excluída"), None, None
    if not rule.is_active:
        return Decision("cancel", "A regra foi desativada"), rule, None
    late = now - row.scheduled_for
    if late > timedelta(minutes=ctx.settings.FOLLOWUP_CATCHUP_MINUTES):
        minutes = int(late.total_seconds() // 60)
        return (
            Decision("cancel", f"Atrasado {minutes} min (plataforma indisponível); não enviado"),
            rule,
            None,
        )
    conversation = await session.scalar(select(Conversation).where(Conversation.id == row.conversation_id))
    if conversation is None:
        return Decision("cancel", "A conversa foi excluída"), rule, None
    # Strict here: a trigger right after the customer's message (a flow tagging it) must not count
    # that message as the answer. Replies arriving later are caught by on_inbound, with tolerance.
    if conversation.last_inbound_at is not None and conversation.last_inbound_at > row.basis_at:
        return Decision("responded", "O cliente respondeu"), rule, conversation
    contact = (
        await session.scalar(select(Contact).where(Contact.id == conversation.contact_id))
        if conversation.contact_id
        else None
    )
    if contact is not None and contact.is_blocked:
        return Decision("cancel", "O contato está bloqueado"), rule, conversation
    if conversation.is_archived:
        return Decision("cancel", "A conversa está arquivada"), rule, conversation
    if conversation.is_paused and row.source == "rule":
        return Decision("cancel", "A conversa está pausada (atendimento humano)"), rule, conversation
    if rule.instance_id is not None and rule.instance_id != conversation.instance_id:
        return Decision("cancel", "A conversa é de outra instância"), rule, conversation
    conditions, context = rule.conditions or {}, row.context or {}
    if contact is not None:
        excluded = conditions.get("excludeTagIds") or []
        if excluded and await _has_tag(session, contact.id, excluded):
            return Decision("cancel", "O contato tem uma tag excluída pela regra"), rule, conversation
        included = conditions.get("includeStageIds") or []
        if included and not await _in_stages(session, contact, included, None):
            return Decision("cancel", "O contato não está nas etapas da regra"), rule, conversation
        if context.get("stageId") and not await _in_stages(
            session, contact, [context["stageId"]], context.get("dealId")
        ):
            return Decision("cancel", "A etapa mudou desde o gatilho"), rule, conversation
        if context.get("tagId") and not await _has_tag(session, contact.id, [context["tagId"]]):
            return Decision("cancel", "A tag do gatilho foi removida"), rule, conversation
    if (
        row.source == "rule"
        and await sent_in_sequence(session, rule, conversation) >= rule.max_followups_per_contact
    ):
        return (
            Decision("cancel", f"Limite de {rule.max_followups_per_contact} follow-ups atingido"),
            rule,
            conversation,
        )
    window = await window_of(session, rule, row.company_id)
    opens = place(window, now)
    if opens > now + EARLY:
        return Decision("reschedule", "Fora do horário de envio", opens), rule, conversation
    last_sent = await _last_sent_to(session, conversation.id)
    if (
        last_sent is not None
        and rule.min_interval_hours
        and last_sent + timedelta(hours=rule.min_interval_hours) > now
    ):
        at = place(window, last_sent + timedelta(hours=rule.min_interval_hours))
        return Decision("reschedule", "Intervalo mínimo entre follow-ups", at), rule, conversation
    since = rule.min_hours_since_response
    if since and conversation.last_inbound_at and conversation.last_inbound_at + timedelta(hours=since) > now:
        at = place(window, conversation.last_inbound_at + timedelta(hours=since))
        return Decision("reschedule", "Cliente respondeu há pouco", at), rule, conversation
    if await _outranked(session, row, rule, now):
        return (
            Decision("reschedule", "Outro follow-up de maior prioridade vai antes", now + PRIORITY_PAUSE),
            rule,
            conversation,
        )
    return SEND, rule, conversation


async def close(session: AsyncSession, ctx: JobContext, row: Followup, decision: Decision) -> dict[str, Any]:
    """Apply a decision other than send."""
    now = clock.now()
    row.updated_at = now
    row.reason = (decision.reason or "")[:300] or None
    if decision.outcome == "reschedule":
        assert decision.at is not None
        row.scheduled_for = decision.at
        await live.changed(session, row.company_id)
        await session.flush()
        await arm_soon(session, [(row.id, row.company_id, row.scheduled_for)])
        return {"outcome": "rescheduled", "at": decision.at.isoformat(), "reason": decision.reason}
    if decision.outcome == "fail" and row.attempt < row.max_attempts:
        await history.record(
            session,
            company_id=row.company_id,
            contact_id=row.contact_id,
            followup_id=row.id,
            rule_name=row.rule_name,
            status="FAILED",
            reason=f"{decision.reason} (tentativa {row.attempt} de {row.max_attempts}; haverá outra)",
        )
        row.scheduled_for = now + RETRY_BASE * row.attempt
        row.attempt += 1
        await session.flush()
        await arm_soon(session, [(row.id, row.company_id, row.scheduled_for)])
        return {"outcome": "retry", "attempt": row.attempt, "reason": decision.reason}
    status = {"cancel": "CANCELLED", "responded": "RESPONDED", "fail": "FAILED"}[decision.outcome]
    row.status, row.closed_at = status, now
    await session.flush()
    await history.record(
        session,
        company_id=row.company_id,
        contact_id=row.contact_id,
        followup_id=row.id,
        rule_name=row.rule_name,
        status=status,
        reason=decision.reason,
    )
    if status == "FAILED":
        name = await session.scalar(
            select(func.coalesce(Contact.name, Contact.push_name, Contact.phone_number)).where(
                Contact.id == row.contact_id
            )
        )
        await alerts.followup_failed(
            session,
            row.company_id,
            followup_id=row.id,
            contact_name=name or "contato",
            reason=row.reason or "",
        )
    log.info("followup.closed", followup_id=str(row.id), status=status, reason=decision.reason)
    return {"outcome": status.lower(), "reason": decision.reason}


async def send(
    session: AsyncSession,
    ctx: JobContext,
    row: Followup,
    rule: FollowupRule,
    conversation: Conversation,
    text: str,
) -> dict[str, Any]:
    """Hand the message to the outbound queue and mark the follow-up SENT, in one transaction."""
    if not text.strip():
        return await close(session, ctx, row, Decision("fail", "A mensagem ficou vazia"))
    instance = await session.scalar(
        select(WhatsAppInstance).where(WhatsAppInstance.id == conversation.instance_id)
    )
    now = clock.now()
    try:
        async with session.begin_nested():
            # SENT before the message exists: the message restarts the NO_RESPONSE clock, which
            # must schedule the next follow-up, not move this one.
            row.status, row.sent_at, row.closed_at, row.text, row.updated_at = "SENT", now, now, text, now
            row.reason = None
            await session.flush()
            assert instance is not None
            message = await queue_message(
                session,
                ctx.settings,
                conversation=conversation,
                instance=instance,
                user_id=row.created_by if row.source == "manual" else None,
                kind="text",
                text_body=text,
                reply_to_id=None,
                is_bot=True,
                ai_metadata={"followup": {"id": str(row.id), "rule": row.rule_name}},
            )
    except Unprocessable as exc:  # the plan's message quota: waiting will not help this month
        await session.refresh(row)
        return await close(session, ctx, row, Decision("cancel", exc.message))
    except (Conflict, AppError, AssertionError) as exc:  # instance disconnected, deleted…: try again later
        await session.refresh(row)
        reason = getattr(exc, "message", None) or "A instância não está disponível"
        return await close(session, ctx, row, Decision("fail", reason))
    row.message_id = message.id
    await session.flush()
    await history.record(
        session,
        company_id=row.company_id,
        contact_id=row.contact_id,
        followup_id=row.id,
        rule_name=row.rule_name,
        status="SENT",
    )
    await _post_actions(session, row, rule)
    log.info("followup.sent", followup_id=str(row.id), message_id=str(message.id))
    return {"outcome": "sent", "messageId": str(message.id)}


async def _post_actions(session: AsyncSession, row: Followup, rule: FollowupRule) -> None:
    post = rule.post_actions or {}
    if row.contact_id is None:
        return
    reason = f"Follow-up enviado ({rule.name})"
    if post.get("addTagIds"):
        await apply_tags(
            session,
            company_id=row.company_id,
            user_id=None,
            contact_ids=[row.contact_id],
            tag_ids=[uuid.UUID(t) for t in post["addTagIds"]],
            action="add",
            actor="automation",
            reason=reason,
        )
    if post.get("moveToStageId"):
        try:
            async with session.begin_nested():
                await move_contact(
                    session,
                    company_id=row.company_id,
                    contact_id=row.contact_id,
                    stage_id=uuid.UUID(post["moveToStageId"]),
                    user_id=None,
                    actor="automation",
                    reason=reason,
                )
        except AppError as exc:  # the stage was deleted since: the message still went out
            log.warning("followup.post_action_failed", followup_id=str(row.id), error=exc.message)


async def fire(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    result = await _fire(ctx, uuid.UUID(data["companyId"]), uuid.UUID(data["followupId"]))
    metrics.followups.labels(outcome=result["outcome"]).inc()
    return result


async def _fire(ctx: JobContext, company_id: uuid.UUID, followup_id: uuid.UUID) -> dict[str, Any]:
    async with ctx.transaction(company_id=company_id) as session:
        row = await _lock(session, followup_id)
        if row is None or row.status != "PENDING":
            return {"outcome": "skipped", "status": row.status if row else None}
        now = clock.now()
        if row.scheduled_for > now + EARLY:
            return {"outcome": "early"}  # a stale alarm: the follow-up was moved and has its own
        decision, rule, conversation = await decide(session, ctx, row, now)
        if decision is not SEND:
            return await close(session, ctx, row, decision)
        assert rule is not None
        assert conversation is not None
        needs_model = rule.action_type == "AI_GENERATED" or rule.ai_validation_enabled
        facts = await compose.facts_of(session, conversation, with_history=needs_model)
        if not needs_model:
            return await send(
                session,
                ctx,
                row,
                rule,
                conversation,
                compose.from_template(rule.action_template or "", facts),
            )
    # The model writes (and/or judges) with no transaction open; then everything is checked again.
    try:
        async with ctx.transaction(company_id=company_id) as session:
            access = await model_access(session, ctx.settings, company_id)
        if rule.action_type == "AI_GENERATED":
            text = await compose.write(ctx, access, rule, facts)
        else:
            text = compose.from_template(rule.action_template or "", facts)
        verdict = (
            await compose.approve(ctx, access, rule, facts, text)
            if rule.ai_validation_enabled
            else (True, "")
        )
        failure = None
    except (AIUnavailable, ModelFailed) as exc:
        text, verdict, failure = (
            "",
            (False, ""),
            f"IA indisponível: {getattr(exc, 'message', str(exc))[:200]}",
        )
    async with ctx.transaction(company_id=company_id) as session:
        row = await _lock(session, followup_id)
        if row is None or row.status != "PENDING":
            return {"outcome": "skipped", "status": row.status if row else None}
        decision, rule, conversation = await decide(session, ctx, row, clock.now())
        if decision is not SEND:
            return await close(session, ctx, row, decision)
        if failure:
            return await close(session, ctx, row, Decision("fail", failure))
        if not verdict[0]:
            return await close(
                session, ctx, row, Decision("cancel", f"Validação da IA: {verdict[1] or 'não enviar agora'}")
            )
        assert rule is not None
        assert conversation is not None
        return await send(session, ctx, row, rule, conversation, text)
