"""Semantic memory: what the AI can recall by meaning (docs/decisions.md, "Semantic memory").

Messages of 1:1 conversations (customer and agent, three words or more), the onboarding's FAQ items
and the business's own texts are embedded by the `embedding-worker` (evoai/ai/memory_tasks.py) and
searched by cosine distance within one company and one embedding space: the current
EMBEDDING_MODEL and EMBEDDING_DIMENSIONS. Rows of an older space stay until the worker has
re-embedded them, and are never mixed into a search.

Scheduling is debounced without timers: every caller within the same few seconds enqueues the
same BullMQ job id (`embed-<company>-<time bucket>`), so a burst of messages costs one job and one
model call, and a job never swallows work that arrives while it runs (that goes to the next bucket).
"""

from __future__ import annotations

import math
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pgvector.sqlalchemy import Vector
from sqlalchemy import ColumnElement, Float, and_, bindparam, cast, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.llm import LLM, AIUnavailable, ModelAccess, ModelFailed
from evoai.config import Settings
from evoai.kit.text import fold
from evoai.models import Conversation, Embedding
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

log = structlog.get_logger(__name__)

EMBED_JOB = "ai.embed_pending"
KNOWLEDGE_JOB = "ai.embed_knowledge"
DEBOUNCE_MS = 5000
# Fire a little after the bucket closes, so a transaction that scheduled near its end has committed.
DEBOUNCE_GRACE_MS = 1000
MAX_CHARS = 2000  # per text embedded (and stored as `content`); ~500 tokens
MIN_WORDS = 3
WORDS_RE = r"\S+\s+\S+\s+\S"  # SQL regex: at least MIN_WORDS words
# HNSW candidate list per search. pgvector's default (40) loses recall on our data; the iterative
# scan (strict_order) keeps going when the tenant filter removes candidates (docs/decisions.md).
EF_SEARCH = 100
MAX_SEARCH_LIMIT = 50
# Up to this many candidate rows, a graph walk that came back short is redone as an exact scan.
EXACT_FALLBACK_ROWS = 50_000
KNOWLEDGE_TYPES = ("faq", "knowledge")
# Namespace for the stable ids of FAQ items and knowledge chunks (uuid5 of instance + question).
MEMORY_NAMESPACE = uuid.UUID("6f1c9a52-3b8e-5d0f-9a4e-2c7b1e8d4f60")
_SCHEDULED = "memory_scheduled"


@dataclass(frozen=True)
class Space:
    """An embedding space: vectors are only comparable within one."""

    model: str
    dimensions: int


def current_space(settings: Settings) -> Space:
    return Space(settings.EMBEDDING_MODEL, settings.EMBEDDING_DIMENSIONS)


def clip(value: str) -> str:
    """The text as embedded and stored: whitespace collapsed, at most MAX_CHARS."""
    return " ".join(value.split())[:MAX_CHARS]


# ------------------------------------------------------------------------------------------ scheduling


def _bucket(now_ms: int | None = None) -> tuple[int, int]:
    """(bucket number, delay until it has closed) for a job scheduled now."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    bucket = now_ms // DEBOUNCE_MS + 1
    return bucket, bucket * DEBOUNCE_MS - now_ms + DEBOUNCE_GRACE_MS


async def _schedule(session: AsyncSession, name: str, key: str, payload: dict[str, Any]) -> None:
    bucket, delay = _bucket()
    job_id = f"{key}-{bucket}"
    scheduled: set[str] = session.info.setdefault(_SCHEDULED, set())
    if job_id in scheduled:
        return  # one outbox row per transaction is enough
    scheduled.add(job_id)
    await enqueue_job(session, queues.EMBEDDING, name, payload, jobId=job_id, delay=delay)


async def schedule_embedding(session: AsyncSession, company_id: uuid.UUID) -> None:
    """Embed the company's new messages (and re-embed rows of an old model) a few seconds from now.

    Call it in the transaction that stores a message; calls within the same few seconds share one
    job. Cheap: one outbox row, relayed after commit."""
    await _schedule(session, EMBED_JOB, f"embed-{company_id}", {"companyId": str(company_id)})


async def schedule_knowledge(session: AsyncSession, company_id: uuid.UUID, instance_id: uuid.UUID) -> None:
    """Embed (again) an instance's FAQ and business texts from its onboarding answers."""
    await _schedule(
        session,
        KNOWLEDGE_JOB,
        f"knowledge-{instance_id}",
        {"companyId": str(company_id), "instanceId": str(instance_id)},
    )


# ------------------------------------------------------------------------------------ what is embedded


@dataclass(frozen=True)
class KnowledgeItem:
    source_type: str  # faq | knowledge
    source_id: uuid.UUID
    content: str


KNOWLEDGE_FIELDS = ("business_description", "main_products", "promotions", "knowledge")
CHUNK_CHARS = 1000


def _chunks(value: str) -> list[str]:
    """Paragraphs packed into pieces of at most CHUNK_CHARS (a longer paragraph is cut)."""
    pieces: list[str] = []
    current = ""
    for paragraph in (clip(p) for p in re.split(r"\n\s*\n", value)):
        while len(paragraph) > CHUNK_CHARS:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(paragraph[:CHUNK_CHARS])
            paragraph = paragraph[CHUNK_CHARS:].strip()
        if not paragraph:
            continue
        if current and len(current) + 1 + len(paragraph) > CHUNK_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current}\n{paragraph}" if current else paragraph
    if current:
        pieces.append(current)
    return pieces


def knowledge_items(instance_id: uuid.UUID, data: dict[str, Any]) -> list[KnowledgeItem]:
    """The onboarding's FAQ items (id: uuid5 of instance + folded question, so editing the answer
    replaces the row) and its free texts, in chunks (id: instance + field + position)."""
    items: dict[uuid.UUID, KnowledgeItem] = {}
    for entry in data.get("faq") or []:
        if not isinstance(entry, dict):
            continue
        question, answer = str(entry.get("question") or "").strip(), str(entry.get("answer") or "").strip()
        if not question or not answer:
            continue
        source_id = uuid.uuid5(MEMORY_NAMESPACE, f"{instance_id}:faq:{fold(' '.join(question.split()))}")
        content = f"{clip(question)}\n{clip(answer)}"[:MAX_CHARS]
        items.setdefault(source_id, KnowledgeItem("faq", source_id, content))
    for field in KNOWLEDGE_FIELDS:
        value = data.get(field)
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value if v)
        if not isinstance(value, str) or not value.strip():
            continue
        for position, chunk in enumerate(_chunks(value)):
            source_id = uuid.uuid5(MEMORY_NAMESPACE, f"{instance_id}:knowledge:{field}:{position}")
            items[source_id] = KnowledgeItem("knowledge", source_id, chunk)
    return list(items.values())


# ------------------------------------------------------------------------------------------------ search


@dataclass(frozen=True)
class Hit:
    source_type: str
    source_id: uuid.UUID
    conversation_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    instance_id: uuid.UUID | None
    content: str
    score: float  # 1 - cosine distance
    created_at: datetime

    def out(self) -> dict[str, Any]:
        def opt(value: uuid.UUID | None) -> str | None:
            return str(value) if value else None

        return {
            "sourceType": self.source_type,
            "sourceId": str(self.source_id),
            "conversationId": opt(self.conversation_id),
            "contactId": opt(self.contact_id),
            "instanceId": opt(self.instance_id),
            "content": self.content,
            "score": round(self.score, 6),
            "createdAt": self.created_at.isoformat(),
        }


def usable(vector: list[float]) -> bool:
    """A zero vector (a text without words, for some servers) has no cosine distance to anything."""
    return any(v != 0 and math.isfinite(v) for v in vector)


async def _tune_hnsw(session: AsyncSession, limit: int) -> None:
    """Per transaction: keep scanning the HNSW graph until `limit` rows pass the tenant filter,
    in exact distance order (pgvector 0.8's iterative scan)."""
    await session.execute(
        text(
            "SELECT set_config('hnsw.iterative_scan', 'strict_order', true),"
            " set_config('hnsw.ef_search', :ef, true)"
        ),
        {"ef": str(max(EF_SEARCH, limit))},
    )


async def search(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    space: Space,
    vector: list[float],
    limit: int,
    instance_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
) -> list[Hit]:
    """The company's `limit` nearest rows of the current space.

    First the HNSW graph: the ORDER BY casts to the space's size, which for 1536 is exactly the
    partial index's expression (other sizes have no index and are exact scans of the company's rows).
    When the graph walk ends short of `limit` (a graph made disconnected by floods of identical
    vectors, or a filter so selective that hnsw.max_scan_tuples runs out) and the filtered rows are
    few enough, an exact scan gives the true answer instead."""
    if not usable(vector):
        return []
    filters = [
        Embedding.company_id == company_id,
        Embedding.model == space.model,
        Embedding.dimensions == int(space.dimensions),
    ]
    if instance_id is not None:
        filters.append(Embedding.instance_id == instance_id)
    if contact_id is not None:
        filters.append(Embedding.contact_id == contact_id)
    query = bindparam("query", vector, type_=Vector())
    sized = Vector(int(space.dimensions))
    await _tune_hnsw(session, limit)
    hits = await _nearest(
        session,
        filters,
        cast(Embedding.embedding, sized).op("<=>", return_type=Float)(cast(query, sized)),
        limit,
    )
    if len(hits) < limit:
        few = select(Embedding.id).where(*filters).limit(EXACT_FALLBACK_ROWS + 1).subquery()
        if (await session.scalar(select(func.count()).select_from(few)) or 0) <= EXACT_FALLBACK_ROWS:
            # No cast, so no HNSW: the planner reads the filtered rows through the btree indexes.
            exact = Embedding.embedding.op("<=>", return_type=Float)(query)
            hits = await _nearest(session, filters, exact, limit)
    return hits


async def _nearest(
    session: AsyncSession, filters: list[ColumnElement[bool]], distance: ColumnElement[float], limit: int
) -> list[Hit]:
    rows = await session.execute(
        select(
            Embedding.source_type,
            Embedding.source_id,
            Embedding.conversation_id,
            Embedding.contact_id,
            Embedding.instance_id,
            Embedding.content,
            Embedding.created_at,
            distance.label("distance"),
        )
        .where(*filters)
        .order_by(distance)
        .limit(limit)
    )
    return [
        Hit(
            r.source_type,
            r.source_id,
            r.conversation_id,
            r.contact_id,
            r.instance_id,
            r.content,
            1.0 - float(r.distance),
            r.created_at,
        )
        for r in rows
    ]


def check_size(space: Space, vectors: list[list[float]]) -> None:
    """A server that ignores `dimensions` (or a model that cannot shorten) answers another size:
    a configuration error, said plainly instead of failing in SQL."""
    sizes = {len(vector) for vector in vectors}
    if sizes - {space.dimensions}:
        raise AIUnavailable(
            f"O modelo de embeddings {space.model} devolveu vetores de {sorted(sizes)} dimensões, mas "
            f"EMBEDDING_DIMENSIONS é {space.dimensions}; ajuste um dos dois."
        )


async def embed_query(llm: LLM, access: ModelAccess, company_id: uuid.UUID, query: str) -> list[float]:
    space = current_space(llm.settings)
    vectors = await llm.embed(
        access, company_id=company_id, texts=[clip(query)], model=space.model, dimensions=space.dimensions
    )
    check_size(space, vectors)
    return vectors[0]


def _candidates(
    settings: Settings, company_id: uuid.UUID, contact_id: uuid.UUID | None, instance_id: uuid.UUID | None
) -> ColumnElement[bool]:
    """This instance's FAQ and knowledge and this contact's messages, in the current vector space."""
    space = current_space(settings)
    mine = []
    if instance_id is not None:
        mine.append(and_(Embedding.source_type.in_(KNOWLEDGE_TYPES), Embedding.instance_id == instance_id))
    if contact_id is not None:
        mine.append(and_(Embedding.source_type == "message", Embedding.contact_id == contact_id))
    return and_(
        Embedding.company_id == company_id,
        Embedding.model == space.model,
        Embedding.dimensions == space.dimensions,
        or_(*mine),
    )


async def has_memories(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    instance_id: uuid.UUID | None,
) -> bool:
    """Whether there is anything to remember (a new customer of an instance without FAQ has not):
    then a reply makes no embedding call."""
    if not settings.ENABLE_EMBEDDINGS or (contact_id is None and instance_id is None):
        return False
    candidates = _candidates(settings, company_id, contact_id, instance_id)
    return bool(await session.scalar(select(select(Embedding.id).where(candidates).exists())))


async def relevant_memories(
    session: AsyncSession,
    llm: LLM,
    access: ModelAccess,
    *,
    company_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    instance_id: uuid.UUID | None,
    query: str,
    k: int = 5,
    known: bool = False,
) -> list[str]:
    """For the reply context: the `k` texts nearest to `query` among this instance's FAQ and
    knowledge and this contact's past messages. Empty when embeddings are off, the query is empty or
    the model fails (a reply never waits on its memory). `known`: the caller already found that
    there is something to remember (`has_memories`).

    The candidates are few (one contact, one instance), so this is an exact scan over them: the
    ORDER BY deliberately does not use the HNSW expression, which could not promise k rows of so
    selective a filter."""
    if not query.strip() or k <= 0:
        return []
    # Nothing to remember (a new customer, no FAQ): no embedding call, no tokens, no wait.
    if not known and not await has_memories(
        session, llm.settings, company_id=company_id, contact_id=contact_id, instance_id=instance_id
    ):
        return []
    candidates = _candidates(llm.settings, company_id, contact_id, instance_id)
    try:
        vector = await embed_query(llm, access, company_id, query)
    except (ModelFailed, AIUnavailable) as exc:
        log.warning("ai.memory_query_failed", error=str(exc)[:200])
        return []
    if not usable(vector):
        return []
    distance = Embedding.embedding.op("<=>", return_type=Float)(bindparam("query", vector, type_=Vector()))
    rows = await session.scalars(select(Embedding.content).where(candidates).order_by(distance).limit(k))
    return list(rows.all())


SWEEP_WINDOW = timedelta(minutes=2)


async def schedule_recent(session: AsyncSession, now: datetime | None = None) -> int:
    """The scheduler's sweep (across companies): embed the new messages of companies whose customers
    wrote recently. Kept off the webhook's path, which then writes nothing for memory."""
    since = (now or datetime.now(UTC)) - SWEEP_WINDOW
    companies = list(
        (
            await session.scalars(
                select(Conversation.company_id).where(Conversation.last_inbound_at > since).distinct()
            )
        ).all()
    )
    for company_id in companies:
        await schedule_embedding(session, company_id)
    return len(companies)
