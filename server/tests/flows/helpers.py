"""Shared steps of the flow tests: flows made through the API and their jobs run directly (the
follow-up tests' shop: a company with a connected instance and a customer chat)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from evoai.db import system_session
from evoai.flows import tasks
from evoai.flows.graph import BY_SUBTYPE
from evoai.models import FlowExecution, Message
from evoai.worker.context import JobContext
from tests.followups.helpers import CUSTOMER, Shop
from tests.whatsapp.wa_helpers import state_of

__all__ = ["CUSTOMER", "chain", "create_flow", "executions", "message_count", "node", "run", "step"]


def node(node_id: str, subtype: str, **data: Any) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": BY_SUBTYPE[subtype].type,
        "subtype": subtype,
        "label": subtype.title(),
        "position": {"x": 0, "y": 0},
        "data": data,
    }


def chain(*links: tuple[str, str] | tuple[str, str, str]) -> list[dict[str, Any]]:
    """Connections from (source, target[, handle])."""
    out = []
    for index, link in enumerate(links):
        source, target = link[0], link[1]
        handle = link[2] if len(link) == 3 else "output"
        out.append({"id": f"c{index}", "sourceId": source, "targetId": target, "sourceHandle": handle})
    return out


async def create_flow(
    shop: Shop, nodes: list[dict[str, Any]], connections: list[dict[str, Any]], *, active: bool = True
) -> dict[str, Any]:
    response = await shop.client.post(
        "/api/flows",
        headers=shop.headers,
        json={"name": "Boas-vindas", "isActive": active, "nodes": nodes, "connections": connections},
    )
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


async def executions(shop: Shop, flow_id: str | None = None) -> list[FlowExecution]:
    async with system_session(state_of(shop.app).factory) as session:
        query = select(FlowExecution).where(FlowExecution.company_id == shop.company_id)
        if flow_id:
            query = query.where(FlowExecution.flow_id == uuid.UUID(flow_id))
        return list((await session.scalars(query.order_by(FlowExecution.started_at))).all())


async def step(
    shop: Shop, row: FlowExecution, at_step: int | None = None, ctx: JobContext | None = None
) -> dict[str, Any]:
    return await tasks.step(
        ctx or shop.ctx(),
        {"companyId": str(row.company_id), "executionId": str(row.id), "step": at_step or row.step},
    )


async def run(
    shop: Shop, execution_id: uuid.UUID, limit: int = 50, ctx: JobContext | None = None
) -> FlowExecution:
    """Run the execution's queued steps until it waits or ends (as the flow-worker would)."""
    for _ in range(limit):
        async with system_session(state_of(shop.app).factory) as session:
            row = await session.scalar(select(FlowExecution).where(FlowExecution.id == execution_id))
        assert row is not None
        if row.status != "RUNNING":
            return row
        await step(shop, row, ctx=ctx)
    raise AssertionError("the execution did not settle")


async def message_count(shop: Shop) -> int:
    async with system_session(state_of(shop.app).factory) as session:
        return int(
            await session.scalar(
                select(func.count()).where(Message.company_id == shop.company_id, Message.direction == "SENT")
            )
            or 0
        )
