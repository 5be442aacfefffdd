"""Flows: create, read, update, toggle, duplicate, delete; their executions (list, read, cancel).
Anyone in the company reads; changing takes canManageFlows (as follow-up rules)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deps import Member
from evoai.exceptions import Conflict, NotFound, ValidationFailed
from evoai.flows import graph
from evoai.flows.graph import InvalidFlow, Reference
from evoai.flows.schemas import FlowFields, FlowIn
from evoai.followups.rules import ensure_can_manage
from evoai.kit import clock
from evoai.models import (
    AutomationFlow,
    Contact,
    FlowExecution,
    Funnel,
    Membership,
    Stage,
    Tag,
    WhatsAppInstance,
)

LIVE = ("RUNNING", "WAITING")
NODE_KEYS = ("id", "type", "subtype", "label", "position", "data")
CONNECTION_KEYS = ("id", "sourceId", "targetId", "sourceHandle", "targetHandle")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _node(node: dict[str, Any]) -> dict[str, Any]:
    return {k: node[k] for k in NODE_KEYS if k in node}


def _connection(connection: dict[str, Any]) -> dict[str, Any]:
    kept = {k: connection[k] for k in CONNECTION_KEYS if k in connection}
    kept["sourceHandle"] = kept.get("sourceHandle") or "output"
    kept["targetHandle"] = kept.get("targetHandle") or "input"
    return kept


_MODELS: dict[str, Any] = {"tag": Tag, "stage": Stage, "funnel": Funnel, "instance": WhatsAppInstance}


async def _check_refs(session: AsyncSession, company_id: uuid.UUID, refs: list[Reference]) -> None:
    """Every id a node names must be the company's."""
    problems: list[dict[str, Any]] = []
    by_kind: dict[str, set[uuid.UUID]] = {}
    for ref in refs:
        by_kind.setdefault(ref.kind, set()).add(uuid.UUID(ref.value))
    found: dict[str, set[uuid.UUID]] = {}
    for kind, ids in by_kind.items():
        if kind == "user":
            query: Any = select(Membership.user_id).where(
                Membership.company_id == company_id, Membership.user_id.in_(ids)
            )
        else:
            model = _MODELS[kind]
            query = select(model.id).where(model.company_id == company_id, model.id.in_(ids))
            if model is WhatsAppInstance:
                query = query.where(WhatsAppInstance.deleted_at.is_(None))
        found[kind] = set((await session.scalars(query)).all())
    for ref in refs:
        if uuid.UUID(ref.value) not in found[ref.kind]:
            problems.append({"nodeId": ref.node_id, "message": f"{ref.field}: não existe nesta empresa"})
    if problems:
        raise InvalidFlow("O fluxo é inválido", details=problems)


async def _validated(
    session: AsyncSession,
    company_id: uuid.UUID,
    nodes: list[dict[str, Any]],
    connections: list[dict[str, Any]],
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    trigger, refs = graph.validate(nodes, connections)
    await _check_refs(session, company_id, refs)
    return trigger, [_node(n) for n in nodes], [_connection(c) for c in connections]


async def get_flow(
    session: AsyncSession, company_id: uuid.UUID, flow_id: uuid.UUID, *, lock: bool = False
) -> AutomationFlow:
    query = select(AutomationFlow).where(
        AutomationFlow.id == flow_id, AutomationFlow.company_id == company_id
    )
    flow = await session.scalar(query.with_for_update() if lock else query)
    if flow is None:
        raise NotFound("Fluxo não encontrado")
    return flow


async def list_flows(session: AsyncSession, company_id: uuid.UUID) -> list[AutomationFlow]:
    query = (
        select(AutomationFlow)
        .where(AutomationFlow.company_id == company_id)
        .order_by(AutomationFlow.created_at.desc())
    )
    return list((await session.scalars(query)).all())


async def stats(
    session: AsyncSession, company_id: uuid.UUID, flow_id: uuid.UUID | None = None
) -> dict[uuid.UUID, tuple[int, datetime | None]]:
    query = (
        select(FlowExecution.flow_id, func.count(), func.max(FlowExecution.started_at))
        .where(FlowExecution.company_id == company_id, FlowExecution.flow_id.is_not(None))
        .group_by(FlowExecution.flow_id)
    )
    if flow_id is not None:
        query = query.where(FlowExecution.flow_id == flow_id)
    return {row[0]: (int(row[1]), row[2]) for row in (await session.execute(query)).all() if row[0]}


def flow_out(
    flow: AutomationFlow,
    stat: tuple[int, datetime | None] | None,
    *,
    member: Member,
    with_graph: bool = True,
) -> dict[str, Any]:
    count, last = stat or (0, None)
    out: dict[str, Any] = {
        "id": str(flow.id),
        "name": flow.name,
        "description": flow.description,
        "isActive": flow.is_active,
        "triggerType": flow.trigger_type,
        "nodeCount": len(flow.nodes),
        "executionCount": count,
        "lastExecutedAt": last.isoformat() if last else None,
        "createdAt": flow.created_at.isoformat(),
        "updatedAt": flow.updated_at.isoformat(),
    }
    if with_graph:
        out["nodes"] = flow.nodes
        out["connections"] = flow.connections
    if flow.trigger_type == "WEBHOOK" and member.is_admin:
        out["webhookUrl"] = f"/api/flows/webhook/{flow.id}/{flow.webhook_secret}"
    return out


async def create_flow(session: AsyncSession, member: Member, data: FlowIn) -> AutomationFlow:
    ensure_can_manage(member)
    trigger, nodes, connections = await _validated(session, member.company_id, data.nodes, data.connections)
    now = clock.now()
    flow = AutomationFlow(
        id=uuid.uuid4(),
        company_id=member.company_id,
        name=data.name,
        description=data.description,
        is_active=bool(data.is_active),
        trigger_type=trigger,
        nodes=nodes,
        connections=connections,
        webhook_secret=new_secret(),
        last_run_at=now,  # a SCHEDULE flow runs from its next matching minute, not missed ones
        created_by=member.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(flow)
    await session.flush()
    return flow


async def update_flow(
    session: AsyncSession, member: Member, flow_id: uuid.UUID, data: FlowFields
) -> AutomationFlow:
    ensure_can_manage(member)
    if data.id is not None and data.id != flow_id:
        raise ValidationFailed(
            "id: não corresponde ao fluxo da URL", details=[{"field": "id", "code": "mismatch"}]
        )
    flow = await get_flow(session, member.company_id, flow_id, lock=True)
    given = data.model_fields_set
    if "name" in given and data.name is not None:
        flow.name = data.name
    if "description" in given:
        flow.description = data.description
    if "is_active" in given and data.is_active is not None:
        flow.is_active = data.is_active
    nodes = data.nodes if data.nodes is not None else flow.nodes
    connections = data.connections if data.connections is not None else flow.connections
    flow.trigger_type, flow.nodes, flow.connections = await _validated(
        session, member.company_id, nodes, connections
    )
    flow.updated_at = clock.now()
    await session.flush()
    return flow


async def toggle_flow(
    session: AsyncSession, member: Member, flow_id: uuid.UUID, active: bool
) -> AutomationFlow:
    ensure_can_manage(member)
    flow = await get_flow(session, member.company_id, flow_id, lock=True)
    if active and not flow.is_active:
        flow.last_run_at = clock.now()  # a schedule does not catch up on minutes it was off
    flow.is_active = active
    flow.updated_at = clock.now()
    await session.flush()
    return flow


async def duplicate_flow(session: AsyncSession, member: Member, flow_id: uuid.UUID) -> AutomationFlow:
    ensure_can_manage(member)
    source = await get_flow(session, member.company_id, flow_id)
    now = clock.now()
    copy = AutomationFlow(
        id=uuid.uuid4(),
        company_id=member.company_id,
        name=f"{source.name} (Cópia)"[:120],
        description=source.description,
        is_active=False,
        trigger_type=source.trigger_type,
        nodes=list(source.nodes),
        connections=list(source.connections),
        webhook_secret=new_secret(),
        last_run_at=now,
        created_by=member.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(copy)
    await session.flush()
    return copy


async def delete_flow(session: AsyncSession, member: Member, flow_id: uuid.UUID) -> int:
    """Executions are kept (with the flow's name); live ones are cancelled."""
    ensure_can_manage(member)
    flow = await get_flow(session, member.company_id, flow_id, lock=True)
    now = clock.now()
    result = await session.execute(
        update(FlowExecution)
        .where(FlowExecution.flow_id == flow.id, FlowExecution.status.in_(LIVE))
        .values(
            status="CANCELLED",
            error="O fluxo foi excluído",
            finished_at=now,
            updated_at=now,
            step=FlowExecution.step + 1,
        )
    )
    await session.delete(flow)
    await session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- executions


def execution_out(row: FlowExecution, contact_name: str | None) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "flowId": str(row.flow_id) if row.flow_id else None,
        "flowName": row.flow_name,
        "status": row.status,
        "contact": {"id": str(row.contact_id), "name": contact_name} if row.contact_id else None,
        "conversationId": str(row.conversation_id) if row.conversation_id else None,
        "currentNodeId": row.current_node_id,
        "waitingUntil": row.waiting_until.isoformat() if row.waiting_until else None,
        "error": row.error,
        "path": row.path,
        "startedAt": row.started_at.isoformat(),
        "finishedAt": row.finished_at.isoformat() if row.finished_at else None,
    }


_NAME = func.coalesce(Contact.name, Contact.push_name, Contact.phone_number)


async def list_executions(
    session: AsyncSession,
    company_id: uuid.UUID,
    flow_id: uuid.UUID,
    *,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    await get_flow(session, company_id, flow_id)
    where = [FlowExecution.company_id == company_id, FlowExecution.flow_id == flow_id]
    if status:
        where.append(FlowExecution.status == status)
    total = int(await session.scalar(select(func.count()).select_from(FlowExecution).where(*where)) or 0)
    rows = await session.execute(
        select(FlowExecution, _NAME)
        .outerjoin(Contact, Contact.id == FlowExecution.contact_id)
        .where(*where)
        .order_by(FlowExecution.started_at.desc(), FlowExecution.id)
        .limit(limit)
        .offset(offset)
    )
    return [execution_out(row[0], row[1]) for row in rows.all()], total


async def get_execution(
    session: AsyncSession, company_id: uuid.UUID, execution_id: uuid.UUID
) -> dict[str, Any]:
    row = (
        await session.execute(
            select(FlowExecution, _NAME)
            .outerjoin(Contact, Contact.id == FlowExecution.contact_id)
            .where(FlowExecution.id == execution_id, FlowExecution.company_id == company_id)
        )
    ).first()
    if row is None:
        raise NotFound("Execução não encontrada")
    return execution_out(row[0], row[1])


async def cancel_execution(session: AsyncSession, member: Member, execution_id: uuid.UUID) -> dict[str, Any]:
    ensure_can_manage(member)
    row = await session.scalar(
        select(FlowExecution)
        .where(FlowExecution.id == execution_id, FlowExecution.company_id == member.company_id)
        .with_for_update()
    )
    if row is None:
        raise NotFound("Execução não encontrada")
    if row.status not in LIVE:
        raise Conflict(f"A execução não está em andamento (status {row.status})")
    now = clock.now()
    row.status, row.finished_at, row.updated_at = "CANCELLED", now, now
    row.error = f"Cancelada por {member.user.email}"
    row.step += 1  # its queued job, if any, finds a different cursor and does nothing
    await session.flush()
    return await get_execution(session, member.company_id, execution_id)
