"""POST /api/flows/:id/test: walk the graph for a contact and a message, evaluating conditions with
the real contact, sending and changing nothing. Waits are skipped (WAIT_RESPONSE follows `output`
when a message is given, else `timeout`); SPLIT takes its first branch unless `splitBranch` says."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.exceptions import NotFound
from evoai.flows import conditions, graph
from evoai.flows.engine import node_of, path_step, trigger_of
from evoai.flows.nodes import facts_of, render_context
from evoai.flows.schemas import DryRunIn
from evoai.models import AutomationFlow, Contact, Conversation

MAX_NODES = 100


async def _contact(session: AsyncSession, company_id: uuid.UUID, data: DryRunIn) -> Contact | None:
    contact_id = data.contact_id
    if contact_id is None and data.conversation_id is not None:
        contact_id = await session.scalar(
            select(Conversation.contact_id).where(
                Conversation.id == data.conversation_id, Conversation.company_id == company_id
            )
        )
        if contact_id is None:
            raise NotFound("Conversa não encontrada")
    if contact_id is None:
        return None
    contact = await session.scalar(
        select(Contact).where(Contact.id == contact_id, Contact.company_id == company_id)
    )
    if contact is None:
        raise NotFound("Contato não encontrado")
    return contact


async def dry_run(session: AsyncSession, flow: AutomationFlow, data: DryRunIn) -> dict[str, Any]:
    contact = await _contact(session, flow.company_id, data)
    variables: dict[str, Any] = {"trigger": data.trigger or {}}
    if data.message is not None:
        variables["message"] = {"text": data.message}
    context = await render_context(session, flow.company_id, contact)
    trigger = trigger_of(flow)
    path = [path_step(trigger, "success", "output")]
    current = graph.targets(flow.connections, trigger["id"], "output")
    outcome = "COMPLETED"
    for _ in range(MAX_NODES):
        node = node_of(flow, current)
        if node is None:
            break
        subtype, node_data = str(node["subtype"]), node.get("data") or {}
        result, handle = "success", "output"
        detail: dict[str, Any] = {"dryRun": True}
        if subtype == "IF_CONDITION":
            handle = (
                "true"
                if conditions.holds(node_data, await facts_of(session, contact, variables))
                else "false"
            )
        elif subtype == "SPLIT":
            outputs = graph.outputs_of(node)
            handle = data.split_branch if data.split_branch in outputs else outputs[0]
            detail["branch"] = handle
        elif subtype == "WAIT_RESPONSE" and data.message is None:
            result, handle = "timeout", "timeout"
        elif subtype in ("SEND_MESSAGE", "NOTIFY_TEAM"):
            detail["message"] = conditions.fill(str(node_data.get("message") or ""), context, variables)
        elif subtype == "CALL_WEBHOOK":
            detail.update(
                url=conditions.fill(str(node_data["url"]), context, variables),
                method=node_data.get("method") or "POST",
            )
        path.append(path_step(node, result, handle, detail))
        current = graph.targets(flow.connections, node["id"], handle)
        if current is None and subtype == "WAIT_RESPONSE" and handle == "timeout":
            outcome = "TIMEOUT"
    else:
        outcome = "STEP_LIMIT"
    return {"path": path, "outcome": outcome}
