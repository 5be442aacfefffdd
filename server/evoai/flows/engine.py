"""Executions: the database row is the execution; BullMQ jobs only wake it (docs/decisions.md, "Flows").

An execution's cursor is (`current_node_id`, `step`). Job `flow.step` carries the step it was queued
for: a job whose step is not the row's (a duplicate, a stale alarm, one for a cancelled execution)
does nothing. A step locks the row, runs the node, appends to the path, moves the cursor and queues
the next job in ONE transaction, so a node's effects (a message queued through the outbox, a tag)
and the move commit together or not at all: a step never runs twice to completion.

Waits (WAIT_TIME, WAIT_RESPONSE) leave the row WAITING with `waiting_until`; an alarm (a delayed job)
is queued when that moment is near (ARM_AHEAD), else by the scheduler's sweep, which also notices
Redis losing its data (the sentinel key) and re-queues what was lost, as follow-ups do."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.flows import graph
from evoai.kit import clock
from evoai.models import AutomationFlow, FlowExecution
from evoai.worker import queues
from evoai.worker.enqueue import enqueue_job

STEP_JOB = "flow.step"
ARM_AHEAD = timedelta(seconds=120)
EARLY = timedelta(seconds=1)
STUCK_AFTER = timedelta(minutes=5)  # RUNNING this long without a move: its job was lost; queue again
ALARMS_KEY = "evoai:flows:alarms"  # gone = Redis lost its data, and with it our jobs
MAX_STEPS = 1000  # a flow looping through waits forever ends FAILED here
LIVE = ("RUNNING", "WAITING")

_executions: Table = FlowExecution.__table__  # type: ignore[assignment]


def node_of(flow: AutomationFlow, node_id: str | None) -> dict[str, Any] | None:
    return next((n for n in flow.nodes if n.get("id") == node_id), None)


def trigger_of(flow: AutomationFlow) -> dict[str, Any]:
    return next(n for n in flow.nodes if n.get("type") == "trigger")


def path_step(
    node: dict[str, Any], result: str, handle: str | None, detail: dict[str, Any] | None = None
) -> dict[str, Any]:
    step: dict[str, Any] = {
        "nodeId": node["id"],
        "subtype": node.get("subtype"),
        "label": node.get("label") or graph.BY_SUBTYPE[str(node.get("subtype"))].label,
        "at": clock.now().isoformat(),
        "result": result,
        "handle": handle,
    }
    if detail:
        step["detail"] = detail
    return step


async def queue_step(session: AsyncSession, row: FlowExecution) -> None:
    await enqueue_job(
        session,
        queues.FLOW,
        STEP_JOB,
        {"companyId": str(row.company_id), "executionId": str(row.id), "step": row.step},
        jobId=f"flow-{row.id}-{row.step}",
    )


async def start(
    session: AsyncSession,
    flow: AutomationFlow,
    *,
    contact_id: uuid.UUID | None,
    conversation_id: uuid.UUID | None,
    dedupe_key: str,
    variables: dict[str, Any],
) -> uuid.UUID | None:
    """Start `flow` for one trigger occurrence, in the caller's transaction. None when this
    occurrence already started it, or the contact is in a live execution of it."""
    trigger = trigger_of(flow)
    first = graph.targets(flow.connections, trigger["id"], "output")
    now = clock.now()
    values = {
        "id": uuid.uuid4(),
        "company_id": flow.company_id,
        "flow_id": flow.id,
        "flow_name": flow.name,
        "contact_id": contact_id,
        "conversation_id": conversation_id,
        "dedupe_key": dedupe_key[:200],
        "status": "RUNNING" if first else "COMPLETED",
        "current_node_id": first,
        "step": 1,
        "variables": variables,
        "path": [path_step(trigger, "success", "output")],
        "started_at": now,
        "finished_at": None if first else now,
        "updated_at": now,
    }
    row_id = await session.scalar(
        insert(_executions).values(values).on_conflict_do_nothing().returning(_executions.c.id)
    )
    if row_id is None:
        return None
    if first:
        await enqueue_job(
            session,
            queues.FLOW,
            STEP_JOB,
            {"companyId": str(flow.company_id), "executionId": str(row_id), "step": 1},
            jobId=f"flow-{row_id}-1",
        )
    execution_id: uuid.UUID = row_id
    return execution_id


def finish(row: FlowExecution, status: str, error: str | None = None) -> None:
    now = clock.now()
    row.status, row.finished_at, row.updated_at = status, now, now
    row.current_node_id = None if status == "COMPLETED" else row.current_node_id
    row.waiting_until = row.wait_kind = row.alarm_for = None
    row.error = error[:2000] if error else None
    row.step += 1


async def advance(
    session: AsyncSession,
    row: FlowExecution,
    flow: AutomationFlow | None,
    node: dict[str, Any],
    result: str,
    handle: str | None,
    detail: dict[str, Any] | None = None,
    *,
    dead_end: str = "COMPLETED",
) -> None:
    """Record the node's step and move to what its `handle` leads to (or end with `dead_end`)."""
    row.path = [*row.path, path_step(node, result, handle, detail)]
    target = graph.targets(flow.connections, node["id"], handle) if flow and handle else None
    if target is None:
        finish(row, dead_end, "A espera expirou sem resposta" if dead_end == "TIMEOUT" else None)
        return
    if len(row.path) >= MAX_STEPS:
        finish(row, "FAILED", f"Limite de {MAX_STEPS} passos atingido")
        return
    row.status, row.current_node_id = "RUNNING", target
    row.waiting_until = row.wait_kind = row.alarm_for = None
    row.step += 1
    row.updated_at = clock.now()
    await session.flush()
    await queue_step(session, row)


async def wait(
    session: AsyncSession, row: FlowExecution, node: dict[str, Any], until: datetime, kind: str
) -> None:
    row.path = [*row.path, path_step(node, "waiting", None, {"until": until.isoformat()})]
    row.status, row.waiting_until, row.wait_kind, row.alarm_for = "WAITING", until, kind, None
    row.step += 1
    row.updated_at = clock.now()
    await session.flush()
    await arm_soon(session, [(row.id, row.company_id, row.step, until)])


Alarm = tuple[uuid.UUID, uuid.UUID, int, datetime]  # execution, company, step, moment


async def arm_soon(session: AsyncSession, rows: Iterable[Alarm]) -> int:
    horizon = clock.now() + ARM_AHEAD
    return await arm(session, [r for r in rows if r[3] <= horizon])


async def arm(session: AsyncSession, rows: list[Alarm]) -> int:
    if not rows:
        return 0
    now_ms = int(clock.now().timestamp() * 1000)
    for execution_id, company_id, step, moment in rows:
        at_ms = int(moment.timestamp() * 1000)
        delay = max(0, at_ms - now_ms)
        await enqueue_job(
            session,
            queues.FLOW,
            STEP_JOB,
            {"companyId": str(company_id), "executionId": str(execution_id), "step": step},
            jobId=f"flow-{execution_id}-{step}-{at_ms}",
            **({"delay": delay} if delay else {}),
        )
    await session.execute(
        update(_executions).where(_executions.c.id == bindparam("p_id")).values(alarm_for=bindparam("p_at")),
        [{"p_id": r[0], "p_at": r[3]} for r in rows],
        execution_options={"synchronize_session": False},
    )
    return len(rows)


async def due_unarmed(session: AsyncSession, limit: int) -> list[Alarm]:
    rows = await session.execute(
        select(FlowExecution.id, FlowExecution.company_id, FlowExecution.step, FlowExecution.waiting_until)
        .where(
            FlowExecution.status == "WAITING",
            FlowExecution.waiting_until <= clock.now() + ARM_AHEAD,
            or_(FlowExecution.alarm_for.is_(None), FlowExecution.alarm_for != FlowExecution.waiting_until),
        )
        .order_by(FlowExecution.waiting_until)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(r.id, r.company_id, r.step, r.waiting_until) for r in rows]


async def forget_alarms(session: AsyncSession) -> int:
    result = await session.execute(
        update(FlowExecution)
        .where(FlowExecution.status == "WAITING", FlowExecution.alarm_for.is_not(None))
        .values(alarm_for=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def requeue_running(session: AsyncSession, *, older_than: datetime | None, limit: int) -> int:
    """Queue again the step of RUNNING executions (all of them after Redis lost its data, else those
    without a move for STUCK_AFTER). The job id is the step's: one still in Redis is not added twice."""
    query = select(FlowExecution).where(FlowExecution.status == "RUNNING")
    if older_than is not None:
        query = query.where(FlowExecution.updated_at < older_than)
    rows = (await session.scalars(query.limit(limit).with_for_update(skip_locked=True))).all()
    for row in rows:
        await queue_step(session, row)
    return len(rows)
