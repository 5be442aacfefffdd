"""The follow-up API (docs/api-followups.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from evoai.deps import AutoCommitRoute, CurrentMember, DbSession
from evoai.followups import queries, rules, service
from evoai.followups.schemas import CancelIn, ConversationIdsIn, HolidayIn, RuleFields, RuleIn, ScheduleIn

router = APIRouter(prefix="/followups", tags=["followups"], route_class=AutoCommitRoute)
Status = Annotated[str | None, Query(pattern="^(PENDING|SENT|RESPONDED|CANCELLED|FAILED)$")]


@router.get("/rules")
async def list_rules(
    member: CurrentMember,
    session: DbSession,
    instance_id: Annotated[uuid.UUID | None, Query(alias="instanceId")] = None,
) -> dict[str, Any]:
    found = await rules.list_rules(session, member.company_id, instance_id)
    names = await rules.instance_names(session, member.company_id)
    stats = await rules.rule_stats(session, member.company_id)
    return {"success": True, "data": [rules.rule_out(r, names, stats.get(r.id)) for r in found]}


@router.post("/rules", status_code=201)
async def create_rule(data: RuleIn, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    rule = await rules.create_rule(session, member, data)
    return {
        "success": True,
        "data": rules.rule_out(rule, await rules.instance_names(session, member.company_id)),
    }


@router.get("/rules/{rule_id}")
async def get_rule(rule_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    rule = await rules.get_rule(session, member.company_id, rule_id)
    stats = await rules.rule_stats(session, member.company_id)
    names = await rules.instance_names(session, member.company_id)
    return {"success": True, "data": rules.rule_out(rule, names, stats.get(rule.id))}


@router.put("/rules/{rule_id}")
async def update_rule(
    rule_id: uuid.UUID, data: RuleFields, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    rule = await rules.update_rule(session, member, rule_id, data)
    return {
        "success": True,
        "data": rules.rule_out(rule, await rules.instance_names(session, member.company_id)),
    }


@router.delete("/rules/{rule_id}")
async def delete_rule(rule_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    cancelled = await rules.delete_rule(session, member, rule_id)
    return {"success": True, "message": "Regra removida", "data": {"cancelledFollowups": cancelled}}


@router.post("/rules/{rule_id}/toggle")
async def toggle_rule(rule_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    rule = await rules.toggle_rule(session, member, rule_id)
    return {
        "success": True,
        "data": rules.rule_out(rule, await rules.instance_names(session, member.company_id)),
    }


@router.get("/pending")
async def list_pending(
    member: CurrentMember,
    session: DbSession,
    conversation_id: Annotated[uuid.UUID | None, Query(alias="conversationId")] = None,
    rule_id: Annotated[uuid.UUID | None, Query(alias="ruleId")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    rows, total = await queries.pending(
        session,
        member.company_id,
        conversation_ids=[conversation_id] if conversation_id else None,
        rule_id=rule_id,
        limit=limit,
        offset=(page - 1) * limit,
    )
    pages = -(-total // limit)
    return {
        "success": True,
        "data": rows,
        "pagination": {"page": page, "limit": limit, "total": total, "pages": pages},
    }


@router.post("/pending-by-conversations")
async def pending_by_conversations(
    data: ConversationIdsIn, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    rows, _ = await queries.pending(
        session, member.company_id, conversation_ids=data.conversation_ids, limit=2000
    )
    grouped: dict[str, list[dict[str, Any]]] = {str(c): [] for c in data.conversation_ids}
    for row in rows:
        grouped[row["conversation"]["id"]].append(
            {
                "id": row["id"],
                "ruleName": row["ruleName"],
                "scheduledFor": row["scheduledFor"],
                "attempt": row["attempt"],
            }
        )
    return {"success": True, "data": grouped}


@router.post("/schedule", status_code=201)
async def schedule(data: ScheduleIn, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    followup = await service.schedule_manually(session, member, data)
    return {
        "success": True,
        "data": {
            "id": str(followup.id),
            "ruleId": str(followup.rule_id),
            "conversationId": str(followup.conversation_id),
            "scheduledFor": followup.scheduled_for.isoformat(),
            "status": followup.status,
            "createdAt": followup.created_at.isoformat(),
        },
    }


@router.post("/cancel/{followup_id}")
async def cancel(
    followup_id: uuid.UUID, member: CurrentMember, session: DbSession, data: CancelIn | None = None
) -> dict[str, Any]:
    name = member.user.email
    await service.cancel(
        session, member, followup_id, (data.reason if data and data.reason else f"Cancelado por {name}")
    )
    return {"success": True, "message": "Follow-up cancelado"}


@router.delete("/queue/{followup_id}")
async def remove_from_queue(
    followup_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    await service.cancel(session, member, followup_id, f"Removido da fila por {member.user.email}")
    return {"success": True, "message": "Item removido da fila"}


@router.get("/history")
async def history(
    member: CurrentMember,
    session: DbSession,
    status: Status = None,
    conversation_id: Annotated[uuid.UUID | None, Query(alias="conversationId")] = None,
    rule_id: Annotated[uuid.UUID | None, Query(alias="ruleId")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    rows = await queries.history(
        session,
        member.company_id,
        conversation_id=conversation_id,
        rule_id=rule_id,
        status=status,
        limit=limit,
    )
    return {"success": True, "data": rows}


@router.get("/stats")
async def stats(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await queries.stats(session, member.company_id)}


@router.get("/dashboard-metrics")
async def dashboard_metrics(
    member: CurrentMember, session: DbSession, days: Annotated[int, Query(ge=1, le=365)] = 30
) -> dict[str, Any]:
    return {"success": True, "data": await queries.dashboard(session, member.company_id, days)}


@router.get("/leads-in-automation")
async def leads_in_automation(
    member: CurrentMember,
    session: DbSession,
    status: Status = None,
    rule_id: Annotated[uuid.UUID | None, Query(alias="ruleId")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    return {
        "success": True,
        "data": await queries.leads(session, member.company_id, status=status, rule_id=rule_id, limit=limit),
    }


@router.get("/holidays")
async def list_holidays(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    rows = await service.list_holidays(session, member.company_id)
    return {
        "success": True,
        "data": [{"id": str(h.id), "date": h.day.isoformat(), "name": h.name} for h in rows],
    }


@router.post("/holidays", status_code=201)
async def add_holiday(data: HolidayIn, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    h = await service.add_holiday(session, member, data)
    return {"success": True, "data": {"id": str(h.id), "date": h.day.isoformat(), "name": h.name}}


@router.delete("/holidays/{holiday_id}")
async def remove_holiday(holiday_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    await service.remove_holiday(session, member, holiday_id)
    return {"success": True, "message": "Feriado removido"}
