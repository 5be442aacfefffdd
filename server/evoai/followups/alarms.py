"""The scheduler's follow-up sweep (evoai/followups/engine.py says why alarms are re-created).

Each pass: notice whether Redis lost our alarms (the sentinel key is gone) and forget them all if
so; skip, with the reason in the history, what is overdue beyond FOLLOWUP_CATCHUP_MINUTES (the
platform was down); queue the alarms of everything due within ARM_AHEAD that has none, spreading
the missed ones at FOLLOWUP_CATCHUP_PER_SECOND."""

from __future__ import annotations

from datetime import timedelta

import structlog
from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.config import Settings
from evoai.db import system_session
from evoai.followups import history
from evoai.followups.engine import ALARMS_KEY, SWEEP_BATCH, arm, due_unarmed, forget_alarms
from evoai.kit import clock
from evoai.models import Followup
from evoai.worker.enqueue import committed_outbox_ids
from evoai.worker.outbox import OutboxRelay

log = structlog.get_logger(__name__)

SWEEP_SECONDS = 10


async def skip_overdue(session: AsyncSession, settings: Settings) -> int:
    now = clock.now()
    limit = timedelta(minutes=settings.FOLLOWUP_CATCHUP_MINUTES)
    reason = (
        f"Atrasado mais de {settings.FOLLOWUP_CATCHUP_MINUTES} min (plataforma indisponível); não enviado"
    )
    rows = (
        await session.execute(
            update(Followup)
            .where(Followup.status == "PENDING", Followup.scheduled_for < now - limit)
            .values(status="CANCELLED", reason=reason, closed_at=now, updated_at=now)
            .returning(Followup.id, Followup.company_id, Followup.contact_id, Followup.rule_name)
        )
    ).all()
    for row in rows:
        await history.record(
            session,
            company_id=row.company_id,
            contact_id=row.contact_id,
            followup_id=row.id,
            rule_name=row.rule_name,
            status="SKIPPED",
            reason=reason,
        )
    if rows:
        log.warning(
            "followups.skipped_overdue", count=len(rows), catchup_minutes=settings.FOLLOWUP_CATCHUP_MINUTES
        )
    return len(rows)


async def sweep(
    settings: Settings, factory: async_sessionmaker[AsyncSession], relay: OutboxRelay, redis: Redis
) -> int:
    """One pass; returns how many alarms it queued."""
    if not await redis.exists(ALARMS_KEY):
        async with system_session(factory) as session:
            forgotten = await forget_alarms(session)
        # Set only after the commit: a crash in between re-runs this, never loses alarms.
        await redis.set(ALARMS_KEY, clock.now().isoformat())
        if forgotten:
            log.warning("followups.alarms_lost", requeued=forgotten)
    async with system_session(factory) as session:
        await skip_overdue(session, settings)
    armed = missed = 0
    while True:
        async with system_session(factory) as session:
            rows = await due_unarmed(session, SWEEP_BATCH)
            missed += await arm(
                session, rows, catchup_rate=settings.FOLLOWUP_CATCHUP_PER_SECOND, missed_so_far=missed
            )
        await relay.relay(committed_outbox_ids(session))
        armed += len(rows)
        if len(rows) < SWEEP_BATCH:
            return armed
