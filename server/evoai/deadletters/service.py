"""Dead letters: recorded by the worker when a job fails its last attempt, pruned by the scheduler,
listed, retried (through the outbox) and discarded by company admins."""

from __future__ import annotations

import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.db import system_session
from evoai.deadletters.schemas import DeadLetterOut, DeadLetterSummary
from evoai.exceptions import Conflict, Forbidden, NotFound
from evoai.kit.pagination import PageParams
from evoai.models import Company, DeadLetter
from evoai.models.dead_letter import DEAD, DISCARDED, RETRIED
from evoai.observability import metrics
from evoai.observability.correlation import REQUEST_ID_KEY
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

log = structlog.get_logger(__name__)

# Spec 7.6: dead letters are kept 7 days, the embedding queue's 3 (its jobs are re-created by sweeps).
RETENTION_DAYS = 7
RETENTION_DAYS_BY_QUEUE = {queues.EMBEDDING: 3}
MESSAGE_CHARS = 1000
STACK_CHARS = 4000


def require_admin(is_admin: bool) -> None:
    if not is_admin:
        raise Forbidden("Apenas administradores podem ver e reprocessar jobs com falha")


# --- Recording (worker) ---------------------------------------------------------------------------


def describe_error(exc: BaseException) -> dict[str, Any]:
    stack = "".join(traceback.format_exception(exc))
    return {
        "message": str(exc)[:MESSAGE_CHARS],
        "type": type(exc).__name__,
        # The end of the trace is where the error was raised: keep that end.
        "stack": stack[-STACK_CHARS:],
    }


def _company_of(payload: Any) -> uuid.UUID | None:
    raw = payload.get("companyId") if isinstance(payload, dict) else None
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


async def record(
    factory: async_sessionmaker[AsyncSession],
    *,
    queue: str,
    job_id: str | None,
    job_name: str,
    payload: Any,
    attempts: int,
    exc: BaseException,
) -> uuid.UUID | None:
    """Keep a job that failed its last attempt, in a transaction of its own. Never raises: a failure
    to record is logged and the job's own error is what the worker reports."""
    metrics.dead_letters.labels(queue=queue).inc()
    try:
        company_id = _company_of(payload)
        # A company deleted since the job was queued leaves the row to the platform (no tenant).
        company = (
            select(Company.id).where(Company.id == company_id).scalar_subquery()
            if company_id
            else literal(None, DeadLetter.company_id.type)
        )
        letter_id = uuid.uuid4()
        async with system_session(factory) as session:
            await session.execute(
                insert(DeadLetter).values(
                    id=letter_id,
                    company_id=company,
                    queue=queue,
                    job_id=job_id,
                    job_name=job_name,
                    payload=payload if isinstance(payload, dict) else {"data": payload},
                    error=describe_error(exc),
                    attempts=attempts,
                    status=DEAD,
                )
            )
        log.error(
            "job.dead_lettered", dead_letter_id=str(letter_id), queue=queue, job=job_name, attempts=attempts
        )
        return letter_id
    except Exception as record_exc:
        log.error("job.dead_letter_record_failed", queue=queue, job=job_name, error=str(record_exc)[:300])
        return None


async def prune(session: AsyncSession) -> int:
    """Scheduler sweep: delete dead letters older than their queue's retention, whatever their status."""
    days = case(
        *((DeadLetter.queue == q, d) for q, d in RETENTION_DAYS_BY_QUEUE.items()), else_=RETENTION_DAYS
    )
    result = await session.execute(
        delete(DeadLetter).where(DeadLetter.failed_at < func.now() - func.make_interval(0, 0, 0, days))
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- API ------------------------------------------------------------------------------------------


def _fields(letter: DeadLetter) -> dict[str, Any]:
    error = letter.error or {}
    return {
        "id": letter.id,
        "queue": letter.queue,
        "job_id": letter.job_id,
        "job_name": letter.job_name,
        "error_message": str(error.get("message", "")),
        "error_type": str(error.get("type", "")),
        "attempts": letter.attempts,
        "failed_at": letter.failed_at,
        "status": letter.status,
        "resolved_at": letter.resolved_at,
        "resolved_by": letter.resolved_by,
        "retry_job_id": letter.retry_job_id,
    }


def summary(letter: DeadLetter) -> dict[str, Any]:
    return DeadLetterSummary.model_validate(_fields(letter)).model_dump(by_alias=True, mode="json")


def detail(letter: DeadLetter) -> dict[str, Any]:
    out = DeadLetterOut.model_validate({**_fields(letter), "payload": letter.payload, "error": letter.error})
    return out.model_dump(by_alias=True, mode="json")


async def list_letters(
    session: AsyncSession,
    company_id: uuid.UUID,
    *,
    queue: str | None,
    status: str,
    params: PageParams,
) -> tuple[list[DeadLetter], int, dict[str, int]]:
    """A page of the company's dead letters (newest first), the total, and per queue how many have
    `status` (whatever the queue filter), so the page can show every queue's count at once."""
    of_status = [DeadLetter.status == status] if status != "ALL" else []
    where = [DeadLetter.company_id == company_id, *of_status]
    if queue:
        where.append(DeadLetter.queue == queue)
    total = await session.scalar(select(func.count()).select_from(DeadLetter).where(*where)) or 0
    rows = (
        await session.scalars(
            select(DeadLetter)
            .where(*where)
            .order_by(DeadLetter.failed_at.desc(), DeadLetter.id)
            .offset(params.offset)
            .limit(params.limit)
        )
    ).all()
    grouped = await session.execute(
        select(DeadLetter.queue, func.count())
        .where(DeadLetter.company_id == company_id, *of_status)
        .group_by(DeadLetter.queue)
    )
    counts = {q: 0 for q in queues.ALL_QUEUES}
    counts.update({q: int(n) for q, n in grouped})
    return list(rows), int(total), counts


async def get_letter(
    session: AsyncSession, company_id: uuid.UUID, letter_id: uuid.UUID, *, for_update: bool = False
) -> DeadLetter:
    query = select(DeadLetter).where(DeadLetter.id == letter_id, DeadLetter.company_id == company_id)
    if for_update:
        query = query.with_for_update()
    letter = await session.scalar(query)
    if letter is None:
        raise NotFound("Job com falha não encontrado")
    return letter


def _resolve(letter: DeadLetter, status: str, user_id: uuid.UUID) -> None:
    if letter.status != DEAD:
        raise Conflict(f"Este job já foi {'reprocessado' if letter.status == RETRIED else 'descartado'}")
    letter.status = status
    letter.resolved_at = datetime.now(UTC)
    letter.resolved_by = user_id


async def retry(
    session: AsyncSession, company_id: uuid.UUID, letter_id: uuid.UUID, user_id: uuid.UUID
) -> DeadLetter:
    """Queue the same job (name and payload) again on its queue, through the outbox, with a new job id."""
    letter = await get_letter(session, company_id, letter_id, for_update=True)
    _resolve(letter, RETRIED, user_id)
    if letter.queue not in queues.ALL_QUEUES:
        raise Conflict("A fila deste job não existe mais")
    # The retry correlates with the request that asked for it, not the one that first queued the job.
    payload = {k: v for k, v in (letter.payload or {}).items() if k != REQUEST_ID_KEY}
    job_id = f"dead-letter-{letter.id}"
    await enqueue_job(session, letter.queue, letter.job_name, payload, jobId=job_id)
    letter.retry_job_id = job_id
    await session.flush()
    log.info("dead_letter.retried", dead_letter_id=str(letter.id), queue=letter.queue, job=letter.job_name)
    return letter


async def discard(
    session: AsyncSession, company_id: uuid.UUID, letter_id: uuid.UUID, user_id: uuid.UUID
) -> DeadLetter:
    letter = await get_letter(session, company_id, letter_id, for_update=True)
    _resolve(letter, DISCARDED, user_id)
    await session.flush()
    log.info("dead_letter.discarded", dead_letter_id=str(letter.id), queue=letter.queue, job=letter.job_name)
    return letter
