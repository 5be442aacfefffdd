"""The embedding-worker's jobs: embed a company's new messages (then re-embed rows of an older
embedding space) and an instance's FAQ and knowledge (evoai/ai/memory.py says what and why).

No transaction stays open across a model call: rows are read in one, embedded, written in another.
Two sweeps of one company that overlap would embed a message twice at worst; the unique key keeps
one row. Embeddings off, or no model key, is not an error: the job logs and ends (no retries)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import ColumnElement, and_, delete, not_, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from evoai.ai.llm import LLM, AIUnavailable, ModelAccess, ModelFailed, model_access
from evoai.ai.memory import (
    KNOWLEDGE_TYPES,
    WORDS_RE,
    Space,
    check_size,
    clip,
    current_space,
    knowledge_items,
    schedule_embedding,
)
from evoai.models import Conversation, Embedding, Message, Onboarding
from evoai.worker.context import JobContext, is_last_attempt

log = structlog.get_logger(__name__)

BATCH = 100  # texts per model call
BATCHES_PER_JOB = 5  # then the job schedules its successor, so one company cannot hold a worker
# Messages older than this are not embedded: the sweep must not rescan a company's whole history
# every time it runs to find the few rows still missing.
LOOKBACK = timedelta(days=30)
# ...and only the company's newest SCAN eligible texts are looked at. Sweeps follow new messages,
# so these are where the work is; a backlog deeper than this (an outage with thousands of messages
# pending) is left unembedded (docs/decisions.md, "Semantic memory").
SCAN = 2000


@dataclass(frozen=True)
class Row:
    """What becomes one ai_embeddings row once its text is embedded."""

    source_type: str
    source_id: uuid.UUID
    content: str
    message_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    instance_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    stale_id: uuid.UUID | None = None  # the old-space row this one replaces


async def _access(ctx: JobContext, company_id: uuid.UUID) -> ModelAccess | None:
    if not ctx.settings.ENABLE_EMBEDDINGS:
        log.info("ai.memory_skipped", reason="ENABLE_EMBEDDINGS=false")
        return None
    async with ctx.transaction(company_id=company_id) as session:
        try:
            return await model_access(session, ctx.settings, company_id)
        except AIUnavailable as exc:
            log.info("ai.memory_skipped", reason=exc.message[:120])
            return None


def _recent(company_id: uuid.UUID) -> list[ColumnElement[bool]]:
    """The company's messages of the last LOOKBACK, as ranges of its (company, direction, created_at)
    index (naming both directions lets PostgreSQL seek instead of reading the company's history)."""
    return [
        Message.company_id == company_id,
        Message.direction.in_(("RECEIVED", "SENT")),
        Message.created_at > datetime.now(UTC) - LOOKBACK,
    ]


async def _pending_messages(
    session: AsyncSession, company_id: uuid.UUID, space: Space, limit: int
) -> list[Row]:
    """Newest first: customer and agent texts (not the AI's) of 1:1 chats with enough words, not
    revoked, with no row in the current space, among the company's SCAN newest such texts: the cost
    of a sweep stays constant however long the company's history is."""
    recent = (
        select(
            Message.id,
            Message.text,
            Message.instance_id,
            Message.conversation_id,
            Message.created_at,
            Conversation.contact_id,
        )
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            *_recent(company_id),
            Message.kind == "text",
            Message.is_bot.is_(False),
            Message.deleted_at.is_(None),
            Message.text.regexp_match(WORDS_RE),
            Conversation.is_group.is_(False),
        )
        .order_by(Message.created_at.desc())
        .limit(SCAN)
        .subquery()
    )
    embedded = (
        select(Embedding.id)
        .where(
            Embedding.source_type == "message",
            Embedding.source_id == recent.c.id,
            Embedding.model == space.model,
            Embedding.dimensions == space.dimensions,
        )
        .exists()
    )
    rows = await session.execute(
        select(recent).where(not_(embedded)).order_by(recent.c.created_at.desc()).limit(limit)
    )
    return [
        Row("message", r.id, clip(r.text or ""), r.id, r.contact_id, r.instance_id, r.conversation_id)
        for r in rows
    ]


def _other_space(company_id: uuid.UUID, space: Space) -> ColumnElement[bool]:
    """The company's rows not in `space`, as four ranges of ix_ai_embeddings_space: a company with
    nothing stale costs four empty index probes, not a scan of all its rows."""
    return and_(
        Embedding.company_id == company_id,
        or_(
            Embedding.model < space.model,
            Embedding.model > space.model,
            and_(Embedding.model == space.model, Embedding.dimensions < space.dimensions),
            and_(Embedding.model == space.model, Embedding.dimensions > space.dimensions),
        ),
    )


async def _stale_rows(
    session: AsyncSession, company_id: uuid.UUID, space: Space, limit: int, skip: set[uuid.UUID]
) -> list[Row]:
    """Rows of another embedding space, to be embedded again from their stored text (all but those
    whose source is being embedded anyway)."""
    query = select(Embedding).where(_other_space(company_id, space)).limit(limit)
    if skip:
        query = query.where(Embedding.source_id.not_in(skip))
    rows = await session.execute(query)
    return [
        Row(
            e.source_type,
            e.source_id,
            e.content,
            e.message_id,
            e.contact_id,
            e.instance_id,
            e.conversation_id,
            stale_id=e.id,
        )
        for e in rows.scalars()
    ]


async def _drop_replaced(session: AsyncSession, company_id: uuid.UUID, space: Space) -> None:
    """Old-space rows whose source has a row in the current space (embedded again from the message
    or the onboarding) are redundant: delete them instead of embedding them once more."""
    current = aliased(Embedding)
    await session.execute(
        delete(Embedding).where(
            _other_space(company_id, space),
            select(current.id)
            .where(
                current.source_type == Embedding.source_type,
                current.source_id == Embedding.source_id,
                current.model == space.model,
                current.dimensions == space.dimensions,
            )
            .exists(),
        )
    )


def _values(company_id: uuid.UUID, space: Space, row: Row, vector: list[float]) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "company_id": company_id,
        "source_type": row.source_type,
        "source_id": row.source_id,
        "message_id": row.message_id,
        "contact_id": row.contact_id,
        "instance_id": row.instance_id,
        "conversation_id": row.conversation_id,
        "content": row.content,
        "model": space.model,
        "dimensions": space.dimensions,
        "embedding": vector,
    }


async def _embed(
    ctx: JobContext, access: ModelAccess, company_id: uuid.UUID, space: Space, rows: Sequence[Row]
) -> list[list[float]] | None:
    """The vectors, or None after a model failure on the job's last attempt (earlier ones raise
    for BullMQ's retry with backoff; whatever is left is picked up by the next sweep) or when the
    model answers another size than EMBEDDING_DIMENSIONS."""
    try:
        vectors = await LLM(ctx.settings, ctx.factory).embed(
            access,
            company_id=company_id,
            texts=[row.content for row in rows],
            model=space.model,
            dimensions=space.dimensions,
        )
        check_size(space, vectors)
    except ModelFailed as exc:
        log.warning("ai.memory_embed_failed", error=str(exc)[:200], texts=len(rows))
        if is_last_attempt():
            return None
        raise
    except AIUnavailable as exc:  # a configuration error: retrying cannot help
        log.error("ai.memory_embed_misconfigured", error=exc.message[:300])
        return None
    return vectors


async def embed_pending(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """A company's new messages first, then old-space rows, BATCH texts per model call."""
    company_id = uuid.UUID(data["companyId"])
    access = await _access(ctx, company_id)
    if access is None:
        return {"skipped": True}
    space = current_space(ctx.settings)
    embedded = reembedded = 0
    async with ctx.transaction(company_id=company_id) as session:
        # A message revoked ("apagada para todos") is not recalled any more.
        await session.execute(
            delete(Embedding).where(
                Embedding.company_id == company_id,
                Embedding.message_id.in_(
                    select(Message.id).where(*_recent(company_id), Message.deleted_at.is_not(None))
                ),
            )
        )
    for _ in range(BATCHES_PER_JOB):
        async with ctx.transaction(company_id=company_id) as session:
            rows = await _pending_messages(session, company_id, space, BATCH)
            if len(rows) < BATCH:
                skip = {row.source_id for row in rows}
                rows += await _stale_rows(session, company_id, space, BATCH - len(rows), skip)
        rows = [row for row in rows if row.content]
        if not rows:
            break
        vectors = await _embed(ctx, access, company_id, space, rows)
        if vectors is None:
            break
        async with ctx.transaction(company_id=company_id) as session:
            await session.execute(
                insert(Embedding)
                .values([_values(company_id, space, row, v) for row, v in zip(rows, vectors, strict=True)])
                .on_conflict_do_nothing(index_elements=["source_type", "source_id", "model", "dimensions"])
            )
            stale = [row.stale_id for row in rows if row.stale_id]
            if stale:
                await session.execute(delete(Embedding).where(Embedding.id.in_(stale)))
            await _drop_replaced(session, company_id, space)
        reembedded += len(stale)
        embedded += len(rows) - len(stale)
        if len(rows) < BATCH:
            break
    else:
        async with ctx.transaction(company_id=company_id) as session:
            await schedule_embedding(session, company_id)  # more is waiting: the next bucket's job
    log.info("ai.memory_embedded", embedded=embedded, reembedded=reembedded)
    return {"embedded": embedded, "reembedded": reembedded}


async def embed_knowledge(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    """Bring an instance's FAQ and knowledge rows in line with its onboarding answers: new or
    changed items are embedded (upserted), removed ones deleted in every space."""
    company_id, instance_id = uuid.UUID(data["companyId"]), uuid.UUID(data["instanceId"])
    access = await _access(ctx, company_id)
    if access is None:
        return {"skipped": True}
    space = current_space(ctx.settings)
    async with ctx.transaction(company_id=company_id) as session:
        onboarding = await session.scalar(
            select(Onboarding).where(
                Onboarding.company_id == company_id, Onboarding.instance_id == instance_id
            )
        )
        items = knowledge_items(instance_id, onboarding.data if onboarding else {})
        stored = dict(
            (
                await session.execute(
                    select(Embedding.source_id, Embedding.content).where(
                        Embedding.company_id == company_id,
                        Embedding.instance_id == instance_id,
                        Embedding.source_type.in_(KNOWLEDGE_TYPES),
                        Embedding.model == space.model,
                        Embedding.dimensions == space.dimensions,
                    )
                )
            ).all()
        )
    wanted = {item.source_id for item in items}
    changed = [
        Row(item.source_type, item.source_id, item.content, instance_id=instance_id)
        for item in items
        if stored.get(item.source_id) != item.content
    ]
    vectors = await _embed(ctx, access, company_id, space, changed) if changed else []
    if vectors is None:
        return {"failed": True}
    async with ctx.transaction(company_id=company_id) as session:
        await session.execute(
            delete(Embedding).where(
                Embedding.company_id == company_id,
                Embedding.instance_id == instance_id,
                Embedding.source_type.in_(KNOWLEDGE_TYPES),
                Embedding.source_id.not_in(wanted) if wanted else Embedding.source_id.is_not(None),
            )
        )
        if changed:
            statement = insert(Embedding).values(
                [_values(company_id, space, row, v) for row, v in zip(changed, vectors, strict=True)]
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["source_type", "source_id", "model", "dimensions"],
                    set_={
                        "content": statement.excluded.content,
                        "embedding": statement.excluded.embedding,
                        "created_at": datetime.now(UTC),
                    },
                )
            )
            await _drop_replaced(session, company_id, space)
    log.info("ai.memory_knowledge", items=len(items), embedded=len(changed))
    return {"items": len(items), "embedded": len(changed)}
