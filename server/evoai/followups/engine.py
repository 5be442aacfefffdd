"""Scheduling: the database holds every pending follow-up; BullMQ's delayed jobs are only alarms.

A follow-up is written PENDING with the moment it may go out (`scheduled_for`, already moved into
the rule's business hours). An alarm (job `followup.fire`, id = follow-up + moment) is queued in the
same transaction when that moment is near (ARM_AHEAD), else by the scheduler's sweep when it comes
near; `alarm_for` records which moment has one. Redis losing its data is noticed by a missing
sentinel key: the sweep then forgets every alarm and queues them again, so nothing is lost and all
still leave on time. Whatever an alarm finds when it rings is checked again (evoai/followups/fire.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import Table, and_, bindparam, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.followups import live
from evoai.followups.hours import Window, window_for
from evoai.followups.rules import delay_minutes
from evoai.kit import clock
from evoai.models import Company, CompanyHoliday, Followup, FollowupRule
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

log = structlog.get_logger(__name__)

FIRE_JOB = "followup.fire"
ARM_AHEAD = timedelta(seconds=120)  # alarms are queued this long before they ring (sweeps run more often)
MISSED_AFTER = timedelta(seconds=60)  # an alarm this late was missed (downtime): it is spread out
ALARMS_KEY = "evoai:followups:alarms"  # gone = Redis lost its data, and with it our delayed jobs


async def window_of(session: AsyncSession, rule: FollowupRule, company_id: uuid.UUID) -> Window | None:
    """The rule's sending window, with the company's timezone and holidays; None = any time."""
    if not rule.respect_business_hours:
        return None
    timezone = await session.scalar(select(Company.timezone).where(Company.id == company_id))
    today = clock.now().date()
    holidays = (
        await session.scalars(
            select(CompanyHoliday.day).where(
                CompanyHoliday.company_id == company_id,
                CompanyHoliday.day >= today - timedelta(days=1),
                CompanyHoliday.day <= today + timedelta(days=400),
            )
        )
    ).all()
    return window_for(
        timezone=timezone or "America/Sao_Paulo",
        start=rule.business_hours_start,
        end=rule.business_hours_end,
        days=rule.allowed_days,
        holidays=holidays,
    )


def place(window: Window | None, moment: datetime) -> datetime:
    if window is None:
        return moment
    return window.next_open(moment) or moment


@dataclass(frozen=True)
class Trigger:
    """One occurrence of a rule's trigger for one conversation."""

    rule: FollowupRule
    conversation_id: uuid.UUID
    contact_id: uuid.UUID | None
    basis_at: datetime
    context: dict[str, Any]


_followups: Table = Followup.__table__  # type: ignore[assignment]


async def schedule(session: AsyncSession, trigger: Trigger, *, replace: bool) -> uuid.UUID | None:
    """Write (or, with `replace`, move to the newer basis) the rule's pending follow-up for the
    conversation. One pending per rule and conversation: a trigger firing again does not pile up."""
    rule = trigger.rule
    due = trigger.basis_at + timedelta(minutes=delay_minutes(rule))
    scheduled = place(await window_of(session, rule, rule.company_id), due)
    now = clock.now()
    values = {
        "id": uuid.uuid4(),
        "company_id": rule.company_id,
        "rule_id": rule.id,
        "rule_name": rule.name,
        "conversation_id": trigger.conversation_id,
        "contact_id": trigger.contact_id,
        "trigger_type": rule.trigger_type,
        "basis_at": trigger.basis_at,
        "due_at": due,
        "scheduled_for": scheduled,
        "status": "PENDING",
        "attempt": 1,
        "max_attempts": rule.max_attempts,
        "source": "rule",
        "context": trigger.context,
        "created_at": now,
        "updated_at": now,
    }
    statement = insert(_followups).values(values)
    # A literal predicate: with a bound parameter PostgreSQL cannot match the partial index once it
    # switches to a generic plan (after five executions of the prepared statement).
    keys, pending = ["rule_id", "conversation_id"], text("status = 'PENDING'")
    if replace:
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            index_where=pending,
            set_={
                "basis_at": excluded.basis_at,
                "due_at": excluded.due_at,
                "scheduled_for": excluded.scheduled_for,
                "context": excluded.context,
                "updated_at": excluded.updated_at,
            },
            where=_followups.c.basis_at < excluded.basis_at,
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys, index_where=pending)
    row = (await session.execute(statement.returning(_followups.c.id, _followups.c.scheduled_for))).first()
    if row is None:
        return None
    await live.changed(session, rule.company_id)
    await arm_soon(session, [(row.id, rule.company_id, row.scheduled_for)])
    followup_id: uuid.UUID = row.id
    return followup_id


async def arm_soon(session: AsyncSession, rows: Iterable[tuple[uuid.UUID, uuid.UUID, datetime]]) -> int:
    """Queue the alarm of each (follow-up, company, moment) due within ARM_AHEAD; later ones are left
    to the sweep (a delayed job weeks ahead would only be one more thing for Redis to lose)."""
    horizon = clock.now() + ARM_AHEAD
    return await arm(session, [r for r in rows if r[2] <= horizon])


async def arm(
    session: AsyncSession,
    rows: list[tuple[uuid.UUID, uuid.UUID, datetime]],
    *,
    catchup_rate: int | None = None,
    missed_so_far: int = 0,
) -> int:
    """Queue the alarms of `rows` (follow-up, company, moment). With `catchup_rate`, alarms already
    missed (downtime) ring `catchup_rate` per second instead of all at once. Returns how many of
    those it spread."""
    if not rows:
        return 0
    now = clock.now()
    now_ms = int(now.timestamp() * 1000)
    missed = missed_so_far
    for followup_id, company_id, moment in rows:
        at_ms = int(moment.timestamp() * 1000)
        delay = max(0, at_ms - now_ms)
        if catchup_rate and moment < now - MISSED_AFTER:
            delay = missed * 1000 // catchup_rate
            missed += 1
        await enqueue_job(
            session,
            queues.FOLLOWUP,
            FIRE_JOB,
            {"companyId": str(company_id), "followupId": str(followup_id)},
            jobId=f"followup-{followup_id}-{at_ms}",
            **({"delay": delay} if delay else {}),
        )
    await session.execute(
        update(_followups).where(_followups.c.id == bindparam("p_id")).values(alarm_for=bindparam("p_at")),
        [{"p_id": r[0], "p_at": r[2]} for r in rows],
        execution_options={"synchronize_session": False},
    )
    return missed - missed_so_far


SWEEP_BATCH = 2000


async def due_unarmed(session: AsyncSession, limit: int) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
    horizon = clock.now() + ARM_AHEAD
    rows = await session.execute(
        select(Followup.id, Followup.company_id, Followup.scheduled_for)
        .where(
            Followup.status == "PENDING",
            Followup.scheduled_for <= horizon,
            or_(Followup.alarm_for.is_(None), Followup.alarm_for != Followup.scheduled_for),
        )
        .order_by(Followup.scheduled_for)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(r.id, r.company_id, r.scheduled_for) for r in rows]


async def forget_alarms(session: AsyncSession) -> int:
    result = await session.execute(
        update(Followup)
        .where(and_(Followup.status == "PENDING", Followup.alarm_for.is_not(None)))
        .values(alarm_for=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
