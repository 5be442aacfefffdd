"""The flows API (docs/api-flows.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from evoai.deps import AutoCommitRoute, CurrentMember, DbSession
from evoai.flows import dryrun, graph, inbound_webhook, service
from evoai.flows.schemas import DryRunIn, FlowFields, FlowIn, ToggleIn

router = APIRouter(prefix="/flows", tags=["flows"], route_class=AutoCommitRoute)
Status = Annotated[str | None, Query(pattern="^(RUNNING|WAITING|COMPLETED|FAILED|TIMEOUT|CANCELLED)$")]


async def _one(session: DbSession, member: CurrentMember, flow_id: uuid.UUID) -> dict[str, Any]:
    flow = await service.get_flow(session, member.company_id, flow_id)
    stats = await service.stats(session, member.company_id, flow.id)
    return service.flow_out(flow, stats.get(flow.id), member=member)


# Fixed paths first: /node-types and /executions/… must not be read as a flow id.
@router.get("/node-types")
async def node_types(member: CurrentMember) -> dict[str, Any]:
    return {"success": True, "data": graph.catalogue()}


@router.get("/executions/{execution_id}")
async def get_execution(execution_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await service.get_execution(session, member.company_id, execution_id)}


@router.post("/executions/{execution_id}/cancel")
async def cancel_execution(
    execution_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    return {"success": True, "data": await service.cancel_execution(session, member, execution_id)}


@router.post("/webhook/{flow_id}/{secret}", status_code=202)
async def webhook(flow_id: str, secret: str, request: Request) -> JSONResponse:
    """No Bearer token: the secret in the URL is the credential (compared in constant time)."""
    execution_id = await inbound_webhook.receive(request, flow_id, secret)
    return JSONResponse({"success": True, "data": {"executionId": str(execution_id)}}, status_code=202)


@router.get("")
async def list_flows(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    flows = await service.list_flows(session, member.company_id)
    stats = await service.stats(session, member.company_id)
    return {
        "success": True,
        "data": [service.flow_out(f, stats.get(f.id), member=member, with_graph=False) for f in flows],
    }


@router.post("", status_code=201)
async def create_flow(data: FlowIn, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    flow = await service.create_flow(session, member, data)
    return {"success": True, "data": service.flow_out(flow, None, member=member)}


@router.get("/{flow_id}")
async def get_flow(flow_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await _one(session, member, flow_id)}


@router.put("/{flow_id}")
async def update_flow(
    flow_id: uuid.UUID, data: FlowFields, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    await service.update_flow(session, member, flow_id, data)
    return {"success": True, "data": await _one(session, member, flow_id)}


@router.post("/{flow_id}/toggle")
async def toggle_flow(
    flow_id: uuid.UUID, data: ToggleIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    await service.toggle_flow(session, member, flow_id, data.is_active)
    return {"success": True, "data": await _one(session, member, flow_id)}


@router.post("/{flow_id}/duplicate", status_code=201)
async def duplicate_flow(flow_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    copy = await service.duplicate_flow(session, member, flow_id)
    return {"success": True, "data": service.flow_out(copy, None, member=member)}


@router.delete("/{flow_id}")
async def delete_flow(flow_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    cancelled = await service.delete_flow(session, member, flow_id)
    return {"success": True, "message": "Fluxo removido", "data": {"cancelledExecutions": cancelled}}


@router.post("/{flow_id}/test")
async def test_flow(
    flow_id: uuid.UUID, data: DryRunIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    flow = await service.get_flow(session, member.company_id, flow_id)
    return {"success": True, "data": await dryrun.dry_run(session, flow, data)}


@router.get("/{flow_id}/executions")
async def list_executions(
    flow_id: uuid.UUID,
    member: CurrentMember,
    session: DbSession,
    status: Status = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    rows, total = await service.list_executions(
        session, member.company_id, flow_id, status=status, limit=limit, offset=(page - 1) * limit
    )
    return {
        "success": True,
        "data": rows,
        "pagination": {"page": page, "limit": limit, "total": total, "pages": -(-total // limit)},
    }
