"""What starts or resumes flows, called inside the transaction that made the change (as follow-ups'
triggers are): a customer's message (MESSAGE_RECEIVED, KEYWORD, and the WAIT_RESPONSE executions it
answers), a new contact (NEW_CONTACT), contact events (TAG_ADDED, STAGE_CHANGED). Each occurrence has
a dedupe key, so one event starts a flow once; a contact already in a live execution of a flow is
not started in it again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ARRAY, String, any_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.flows.engine import advance, node_of, start, trigger_of
from evoai.kit import clock
from evoai.kit.fast_sql import FastStatement
from evoai.kit.text import fold
from evoai.models import AutomationFlow, FlowExecution

MESSAGE_TRIGGERS = ("MESSAGE_RECEIVED", "KEYWORD")
EVENT_TRIGGERS = {"TAG_ADDED": "TAG_ADDED", "STAGE_CHANGED": "STAGE_CHANGED", "CREATED": "NEW_CONTACT"}


_ACTIVE_FLOWS = FastStatement(
    select(AutomationFlow)
    .where(
        AutomationFlow.company_id == bindparam("company_id"),
        AutomationFlow.is_active.is_(True),
        AutomationFlow.trigger_type == any_(bindparam("types", type_=ARRAY(String))),
    )
    .order_by(AutomationFlow.created_at)
)


async def active_flows(
    session: AsyncSession, company_id: uuid.UUID, types: Sequence[str]
) -> list[AutomationFlow]:
    # Asked on every customer message, hence a prebuilt statement.
    return await _ACTIVE_FLOWS.entities(session, AutomationFlow, company_id=company_id, types=list(types))


def keyword_matches(data: dict[str, Any], text: str) -> str | None:
    """The first keyword the customer said, ignoring case, accents and spacing ("catálogo" is
    "catalogo": customers type either)."""
    said = " ".join(fold(text).split())
    for keyword in data.get("keywords") or []:
        wanted = " ".join(fold(str(keyword)).split())
        if (data.get("match") == "exact" and said == wanted) or (
            data.get("match") != "exact" and wanted in said
        ):
            return str(keyword)
    return None


_WAITING_FOR_ANSWER = FastStatement(
    select(FlowExecution)
    .where(
        FlowExecution.contact_id == bindparam("contact_id"),
        FlowExecution.status == "WAITING",
        FlowExecution.wait_kind == "response",
    )
    .order_by(FlowExecution.started_at)
    .with_for_update()
)


async def resume_waiting(
    session: AsyncSession,
    *,
    contact_id: uuid.UUID,
    conversation_id: uuid.UUID,
    message: dict[str, Any],
) -> int:
    """The customer answered: their WAIT_RESPONSE executions go on through `output`."""
    rows = await _WAITING_FOR_ANSWER.entities(session, FlowExecution, contact_id=contact_id)
    resumed = 0
    for row in rows:
        if row.conversation_id is not None and row.conversation_id != conversation_id:
            continue  # waiting for an answer in another chat (another instance)
        flow = (
            await session.scalar(select(AutomationFlow).where(AutomationFlow.id == row.flow_id))
            if row.flow_id
            else None
        )
        node = node_of(flow, row.current_node_id) if flow else None
        if flow is None or node is None:
            continue  # the step's alarm settles it
        row.conversation_id = conversation_id
        row.variables = {**(row.variables or {}), "message": message}
        await advance(session, row, flow, node, "success", "output", {"messageId": message.get("id")})
        resumed += 1
    return resumed


async def on_inbound(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    instance_id: uuid.UUID,
    conversation_id: uuid.UUID,
    contact_id: uuid.UUID | None,
    message_id: uuid.UUID,
    text: str | None,
) -> int:
    """A customer's message in a one-to-one chat."""
    if contact_id is None:
        return 0
    message = {"id": str(message_id), "text": text or ""}
    await resume_waiting(session, contact_id=contact_id, conversation_id=conversation_id, message=message)
    started = 0
    for flow in await active_flows(session, company_id, MESSAGE_TRIGGERS):
        data = trigger_of(flow).get("data") or {}
        if data.get("instanceId") and data["instanceId"] != str(instance_id):
            continue
        trigger: dict[str, Any] = {"messageId": str(message_id), "text": text or ""}
        if flow.trigger_type == "KEYWORD":
            keyword = keyword_matches(data, text or "")
            if keyword is None:
                continue
            trigger["keyword"] = keyword
        started += (
            await start(
                session,
                flow,
                contact_id=contact_id,
                conversation_id=conversation_id,
                dedupe_key=f"message:{message_id}",
                variables={"trigger": trigger, "message": message},
            )
            is not None
        )
    return started


async def on_new_contact(
    session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID, *, instance_id: uuid.UUID | None
) -> int:
    started = 0
    for flow in await active_flows(session, company_id, ("NEW_CONTACT",)):
        wanted = (trigger_of(flow).get("data") or {}).get("instanceId")
        if wanted and (instance_id is None or wanted != str(instance_id)):
            continue
        started += (
            await start(
                session,
                flow,
                contact_id=contact_id,
                conversation_id=None,
                dedupe_key=f"contact:{contact_id}",
                variables={
                    "trigger": {
                        "contactId": str(contact_id),
                        "source": "whatsapp" if instance_id else "manual",
                    }
                },
            )
            is not None
        )
    return started


def _event_matches(flow: AutomationFlow, kind: str, payload: dict[str, Any]) -> bool:
    data = trigger_of(flow).get("data") or {}
    if kind == "TAG_ADDED":
        return not data.get("tagId") or data["tagId"] == str(payload.get("tagId"))
    if kind == "STAGE_CHANGED":
        stage, funnel = payload.get("toStageId"), payload.get("toFunnelId") or payload.get("funnelId")
        if stage is None:
            return False  # left the funnel
        if data.get("stageId") and data["stageId"] != str(stage):
            return False
        return not (data.get("funnelId") and funnel is not None and data["funnelId"] != str(funnel))
    return kind == "CREATED"


async def on_contact_events(
    session: AsyncSession, company_id: uuid.UUID, events: Sequence[tuple[uuid.UUID, str, dict[str, Any]]]
) -> int:
    wanted = sorted({EVENT_TRIGGERS[kind] for _, kind, _ in events if kind in EVENT_TRIGGERS})
    if not wanted:
        return 0
    flows = await active_flows(session, company_id, wanted)
    started = 0
    stamp = clock.now().isoformat()
    for contact_id, kind, payload in events:
        if kind == "CREATED":
            started += await on_new_contact(session, company_id, contact_id, instance_id=None)
            continue
        for flow in flows:
            if flow.trigger_type != EVENT_TRIGGERS.get(kind) or not _event_matches(flow, kind, payload):
                continue
            key = payload.get("tagId") or payload.get("toStageId")
            started += (
                await start(
                    session,
                    flow,
                    contact_id=contact_id,
                    conversation_id=None,
                    dedupe_key=f"{kind}:{contact_id}:{key}:{stamp}",
                    variables={
                        "trigger": {
                            k: v for k, v in payload.items() if isinstance(v, str | int | float | bool)
                        }
                    },
                )
                is not None
            )
    return started
