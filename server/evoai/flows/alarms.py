"""The scheduler's flow sweep (evoai/flows/engine.py says why jobs are re-created from the database).

Each pass: notice whether Redis lost our jobs (the sentinel key is gone) and, if so, forget every
alarm and queue again the step of every RUNNING execution; queue again the step of executions
RUNNING without a move for STUCK_AFTER; queue the alarms of waits due within ARM_AHEAD that have
none; start SCHEDULE flows whose cron minute came (once per minute: `last_run_at`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from croniter import croniter
from redis.asyncio import Redis
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.config import Settings
from evoai.db import system_session
from evoai.flows.engine import (
    ALARMS_KEY,
    STUCK_AFTER,
    arm,
    due_unarmed,
    forget_alarms,
    requeue_running,
    start,
    trigger_of,
)
from evoai.kit import clock
from evoai.models import AutomationFlow, Company, Contact, TagAssignment
from evoai.worker.enqueue import committed_outbox_ids
from evoai.worker.outbox import OutboxRelay

log = structlog.get_logger(__name__)

SWEEP_SECONDS = 10
SWEEP_BATCH = 2000
SCHEDULE_CONTACTS = 1000  # contacts one SCHEDULE run starts at most
SCHEDULE_LATE = timedelta(minutes=10)  # a cron minute missed by more than this (downtime) is skipped


def latest_run(expression: str, timezone: str, now: datetime) -> datetime:
    """The latest minute at or before `now` that `expression` matches, in `timezone`."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("America/Sao_Paulo")
    local = now.astimezone(zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
    moment: datetime = croniter(expression, local).get_prev(datetime)
    return moment


async def run_schedules(session: AsyncSession) -> int:
    """Start every SCHEDULE flow whose minute came since its last run; returns executions started."""
    now = clock.now()
    flows = (
        await session.scalars(
            select(AutomationFlow)
            .where(AutomationFlow.is_active.is_(True), AutomationFlow.trigger_type == "SCHEDULE")
            .with_for_update(skip_locked=True)
        )
    ).all()
    started = 0
    for flow in flows:
        data = trigger_of(flow).get("data") or {}
        timezone = data.get("timezone") or await session.scalar(
            select(Company.timezone).where(Company.id == flow.company_id)
        )
        moment = latest_run(str(data.get("schedule")), timezone or "America/Sao_Paulo", now)
        if flow.last_run_at is not None and moment <= flow.last_run_at:
            continue
        flow.last_run_at = moment
        if moment < now - SCHEDULE_LATE:
            log.warning("flows.schedule_missed", flow_id=str(flow.id), minute=moment.isoformat())
            continue
        query = select(Contact.id).where(Contact.company_id == flow.company_id, Contact.is_blocked.is_(False))
        wanted = data.get("filter") or {}
        if wanted.get("tagIds"):
            query = query.where(
                exists().where(
                    TagAssignment.contact_id == Contact.id, TagAssignment.tag_id.in_(wanted["tagIds"])
                )
            )
        if wanted.get("stageIds"):
            query = query.where(Contact.stage_id.in_(wanted["stageIds"]))
        contacts = (await session.scalars(query.order_by(Contact.created_at).limit(SCHEDULE_CONTACTS))).all()
        for contact_id in contacts:
            started += (
                await start(
                    session,
                    flow,
                    contact_id=contact_id,
                    conversation_id=None,
                    dedupe_key=f"schedule:{moment.isoformat()}:{contact_id}",
                    variables={"trigger": {"scheduledFor": moment.isoformat()}},
                )
                is not None
            )
    return started


async def sweep(
    settings: Settings, factory: async_sessionmaker[AsyncSession], relay: OutboxRelay, redis: Redis
) -> int:
    """One pass; returns how many jobs it queued (alarms, steps, schedule starts)."""
    queued = 0
    lost = not await redis.exists(ALARMS_KEY)
    async with system_session(factory) as session:
        if lost:
            forgotten = await forget_alarms(session)
            queued += await requeue_running(session, older_than=None, limit=SWEEP_BATCH)
        else:
            queued += await requeue_running(session, older_than=clock.now() - STUCK_AFTER, limit=SWEEP_BATCH)
    await relay.relay(committed_outbox_ids(session))
    if lost:
        # Set only after the commit: a crash in between re-runs this, never loses jobs.
        await redis.set(ALARMS_KEY, clock.now().isoformat())
        log.warning("flows.jobs_lost", requeued_alarms=forgotten, requeued_steps=queued)
    while True:
        async with system_session(factory) as session:
            rows = await due_unarmed(session, SWEEP_BATCH)
            queued += await arm(session, rows)
        await relay.relay(committed_outbox_ids(session))
        if len(rows) < SWEEP_BATCH:
            break
    async with system_session(factory) as session:
        queued += await run_schedules(session)
    await relay.relay(committed_outbox_ids(session))
    return queued
