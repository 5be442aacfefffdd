"""The AI's turn in `message-worker`: exactly one answer per burst of customer messages.

- Each inbound message schedules a job after the quiet window (schedule.py). The job of a message
  that is no longer the newest steps aside (the newest one's job answers the whole burst), unless
  the burst reached MAX_BURST_MESSAGES.
- One turn per conversation at a time: a lease on the conversation row (ai_turn_id/ai_turn_until).
  A job that finds it taken comes back a little later.
- The answer is committed in one transaction with `ai_answered_through` (the newest customer message
  it answers), and only if no newer customer message arrived while the model was thinking;
  otherwise it is dropped and that newer message's job starts a new turn. Retries of a job that
  already committed find the burst answered, so nothing is sent twice.
- Tool calls run as they come, each in its own transaction (the model needs their results); a turn
  whose answer is then dropped keeps its actions, which are logged in the contact's history."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.context import Snapshot, chat_messages, latest_inbound, snapshot
from evoai.ai.llm import LLM, AIUnavailable, ModelAccess, ModelFailed, model_access
from evoai.ai.memory import relevant_memories
from evoai.ai.prompting import system_message
from evoai.ai.schedule import MAX_BURST_MESSAGES, REPLY_JOB
from evoai.ai.split import split_reply, typing_delays
from evoai.ai.tools import HANDOVER_REPLY, Turn, run_tool, tools_for
from evoai.db import system_session
from evoai.exceptions import AppError
from evoai.models import Conversation, Message, Usage, WhatsAppInstance
from evoai.whatsapp.outbound import queue_message
from evoai.whatsapp.tasks import send_message
from evoai.worker import queues
from evoai.worker.context import JOB_ATTEMPT, JobContext
from evoai.worker.enqueue import committed_outbox_ids, enqueue_job

log = structlog.get_logger(__name__)
MAX_ROUNDS = 4  # model calls per turn: tool results go back to the model
BUSY_RETRY_MS = 2000
SAFETY_NET_MS = 120_000  # the first part's queued send, in case this job dies before sending it


def _lease_seconds(ctx: JobContext) -> float:
    return ctx.settings.AI_TIMEOUT_SECONDS * (ctx.settings.AI_MAX_RETRIES + 1) + 15


async def _take_lease(
    session: AsyncSession,
    ctx: JobContext,
    company_id: uuid.UUID,
    conversation_id: uuid.UUID,
    turn_id: uuid.UUID,
) -> bool:
    """A concurrent job's UPDATE waits for this transaction, then finds the lease taken."""
    now = datetime.now(UTC)
    taken = await session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.company_id == company_id,
            or_(Conversation.ai_turn_id.is_(None), Conversation.ai_turn_until < now),
        )
        .values(ai_turn_id=turn_id, ai_turn_until=now + timedelta(seconds=_lease_seconds(ctx)))
        .returning(Conversation.id)
        .execution_options(synchronize_session=False)
    )
    return taken.first() is not None


def _lease(conversation_id: uuid.UUID, turn_id: uuid.UUID, ctx: JobContext | None) -> Any:
    """The UPDATE that renews this turn's lease (with `ctx`) or ends it (without)."""
    values: dict[str, Any] = (
        {"ai_turn_until": datetime.now(UTC) + timedelta(seconds=_lease_seconds(ctx))}
        if ctx is not None
        else {"ai_turn_id": None, "ai_turn_until": None}
    )
    return (
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.ai_turn_id == turn_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def _end_lease(
    ctx: JobContext, company_id: uuid.UUID, conversation_id: uuid.UUID, turn_id: uuid.UUID, usage: list[Usage]
) -> None:
    """A turn that ended in an error gives the lease back (and accounts its model calls)."""
    async with ctx.transaction(company_id=company_id) as session:
        session.add_all(usage)
        await session.execute(_lease(conversation_id, turn_id, None))


async def reply(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id = uuid.UUID(data["companyId"])
    conversation_id = uuid.UUID(data["conversationId"])
    trigger_id = uuid.UUID(data["messageId"])
    turn_id = uuid.uuid4()
    async with ctx.transaction(company_id=company_id) as session:
        if not await _take_lease(session, ctx, company_id, conversation_id, turn_id):
            waits = int(data.get("busyWaits", 0)) + 1
            await enqueue_job(
                session,
                queues.MESSAGE,
                REPLY_JOB,
                {**data, "busyWaits": waits},
                delay=BUSY_RETRY_MS * min(waits, 5),
            )
            return {"turn": "busy"}
        prepared = await _prepare(session, ctx, company_id, conversation_id, trigger_id)
        if isinstance(prepared, dict):
            await session.execute(_lease(conversation_id, turn_id, None))
            return prepared
    snap, access = prepared
    turn = Turn(
        id=turn_id,
        company_id=company_id,
        conversation=snap.conversation,
        contact=snap.contact,
        level=snap.instance.ai_autonomy,
        options=snap.options,
        instructions=data.get("instructions") or None,
    )
    finished = False
    try:
        text, fallback = await converse(ctx, access, snap, turn)
        result = await _commit(ctx, snap, turn, text, fallback=fallback, model=access.model)
        finished = True
        return result
    finally:
        if not finished:
            await _end_lease(ctx, company_id, conversation_id, turn_id, turn.usage)


async def _prepare(
    session: AsyncSession,
    ctx: JobContext,
    company_id: uuid.UUID,
    conversation_id: uuid.UUID,
    trigger_id: uuid.UUID,
) -> tuple[Snapshot, ModelAccess] | dict[str, Any]:
    """The turn's inputs and model, or why there is nothing to do."""
    snap = await snapshot(session, ctx.settings, company_id, conversation_id)
    if isinstance(snap, str):
        return {"turn": "skipped", "reason": snap}
    if snap.latest_id != trigger_id and snap.burst < MAX_BURST_MESSAGES:
        return {"turn": "skipped", "reason": "newer_message"}  # its own job answers the burst
    try:
        access = await model_access(session, ctx.settings, company_id)
    except AIUnavailable as exc:
        log.info("ai.turn_skipped", reason=exc.message)
        return {"turn": "skipped", "reason": "ai_unavailable"}
    return snap, access


async def converse(ctx: JobContext, access: ModelAccess, snap: Snapshot, turn: Turn) -> tuple[str, bool]:
    """Ask the model, running its tool calls, until it answers in text. (text, whether it is the
    fallback)."""
    llm = LLM(ctx.settings, ctx.factory)
    memories = await _memories(ctx, llm, access, snap) if snap.has_memories else []
    system = system_message(snap.prompt, snap.facts, turn.level, memories)
    if turn.instructions:
        system += f"\n\nInstruções desta automação para esta resposta: {turn.instructions}"
    messages = chat_messages(system, snap.history)
    tools = tools_for(turn.level, turn.options) or None
    text = ""
    try:
        for _ in range(MAX_ROUNDS):
            result = await llm.chat(
                access,
                company_id=turn.company_id,
                feature="preview" if turn.dry_run else "reply",
                messages=messages,
                tools=tools,
                usage_sink=None if turn.dry_run else turn.usage,
            )
            text = result.content
            if not result.tool_calls:
                break
            messages.append(result.assistant_message())
            for call in result.tool_calls:
                async with ctx.transaction(company_id=turn.company_id) as session:
                    if not turn.dry_run:  # tools and the next model call take time: keep the lease
                        await session.execute(_lease(turn.conversation.id, turn.id, ctx))
                    action = await run_tool(session, ctx.settings, turn, call)
                result_text = json.dumps({"status": action["status"], "detail": action.get("detail")})
                messages.append({"role": "tool", "tool_call_id": call.id, "content": result_text})
    except ModelFailed as exc:
        log.warning("ai.turn_fallback", error=str(exc), circuit_open=exc.circuit_open)
        return snap.instance.ai_fallback_reply or ctx.settings.AI_FALLBACK_REPLY, True
    if turn.handed_over and not text.strip():
        text = HANDOVER_REPLY
    return text, False


async def _memories(ctx: JobContext, llm: LLM, access: ModelAccess, snap: Snapshot) -> list[str]:
    """FAQ, knowledge and this customer's earlier messages closest to what they just wrote, minus
    what the history already shows."""
    burst: list[str] = []
    for message in reversed(snap.history):
        if message.direction != "RECEIVED":
            break
        if message.text:
            burst.insert(0, message.text)
    shown = {m.text for m in snap.history if m.text}
    async with ctx.transaction(company_id=snap.conversation.company_id) as session:
        found = await relevant_memories(
            session,
            llm,
            access,
            company_id=snap.conversation.company_id,
            contact_id=snap.contact.id if snap.contact else None,
            instance_id=snap.instance.id,
            query="\n".join(burst),
            known=True,  # the snapshot checked
        )
    return [memory for memory in found if memory not in shown]


async def _commit(
    ctx: JobContext, snap: Snapshot, turn: Turn, text: str, *, fallback: bool, model: str
) -> dict[str, Any]:
    async with system_session(ctx.factory, company_id=turn.company_id) as session:
        result, first = await _write_answer(session, ctx, snap, turn, text, fallback=fallback, model=model)
    # The customer waits on the send; the team's live events travel meanwhile.
    after: list[Awaitable[object]] = [ctx.relay.relay(ids)] if (ids := committed_outbox_ids(session)) else []
    if first is not None:
        after.append(_send_now(ctx, turn.company_id, first.id))
    await asyncio.gather(*after)
    return result


async def _write_answer(
    session: AsyncSession,
    ctx: JobContext,
    snap: Snapshot,
    turn: Turn,
    text: str,
    *,
    fallback: bool,
    model: str,
) -> tuple[dict[str, Any], Message | None]:
    """The answer's transaction: it is written only if it still answers the newest customer message."""
    conversation = await session.scalar(
        select(Conversation)
        .where(Conversation.id == snap.conversation.id, Conversation.company_id == turn.company_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    session.add_all(turn.usage)  # whatever the turn decides, its model calls are accounted
    if conversation is None:
        return {"turn": "skipped", "reason": "conversation_gone"}, None
    if conversation.ai_turn_id == turn.id:  # the turn ends with this transaction, whatever it decides
        conversation.ai_turn_id, conversation.ai_turn_until = None, None
    latest = await latest_inbound(session, conversation.id)
    if latest is None or latest[1] != snap.latest_public_id:
        log.info("ai.turn_dropped", conversation=str(conversation.id))
        return {"turn": "dropped", "reason": "newer_message", "actions": len(turn.actions)}, None
    if (conversation.ai_answered_through or 0) >= snap.latest_public_id:
        return {"turn": "skipped", "reason": "answered"}, None
    conversation.ai_answered_through = snap.latest_public_id
    if conversation.is_paused and not turn.handed_over:
        # A person took over while the model was thinking: their answer wins.
        return {"turn": "skipped", "reason": "paused"}, None
    parts = split_reply(text)
    if not parts:
        return {"turn": "answered", "messages": 0, "actions": len(turn.actions)}, None
    instance = await session.scalar(select(WhatsAppInstance).where(WhatsAppInstance.id == snap.instance.id))
    assert instance is not None
    metadata = {
        "turnId": str(turn.id),
        "model": model,
        "autonomyLevel": turn.level,
        "fallback": fallback,
        "answersThrough": str(snap.latest_id),
        "actions": turn.actions,
    }
    delays = typing_delays(parts, ctx.settings.AI_TYPING_MS_PER_CHAR, ctx.settings.AI_TYPING_MAX_MS)
    try:
        first: Message | None = None
        for index, (part, delay) in enumerate(zip(parts, delays, strict=True)):
            queued = await queue_message(
                session,
                ctx.settings,
                conversation=conversation,
                instance=instance,
                user_id=None,
                kind="text",
                text_body=part,
                reply_to_id=None,
                is_bot=True,
                ai_metadata=metadata if index == 0 else {"turnId": str(turn.id), "part": index + 1},
                # The first part is sent by this job right after the commit; its queued job
                # is the safety net, and finds it sent.
                send_delay_ms=delay if index else SAFETY_NET_MS,
            )
            first = first or queued
    except AppError as exc:
        # Not connected, blocked meanwhile, quota used up: nothing to retry; the burst stays
        # answered so a retry cannot send it later out of context.
        log.warning("ai.turn_not_sent", reason=exc.message)
        return {"turn": "not_sent", "reason": exc.message}, first  # the parts queued before still go
    answered = {
        "turn": "answered",
        "messages": len(parts),
        "actions": len(turn.actions),
        "fallback": fallback,
    }
    return answered, first


async def _send_now(ctx: JobContext, company_id: uuid.UUID, message_id: uuid.UUID) -> None:
    """Hand the answer's first part to the gateway without a trip through the queue: the customer
    waits for it. Any failure is left to the queued job (same idempotent handler)."""
    # As a first attempt of a send job: a retryable failure raises, and the queued job retries it.
    attempt = JOB_ATTEMPT.set((1, 2))
    try:
        await send_message(ctx, {"companyId": str(company_id), "messageId": str(message_id)})
    except Exception as exc:
        log.warning("ai.send_now_failed", error=str(exc)[:200])
    finally:
        JOB_ATTEMPT.reset(attempt)
