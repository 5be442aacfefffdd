"""Follow-up rules: create, read, update, delete, toggle. Anyone in the company reads them; changing
them takes canManageFlows (admins and coordinators by default)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deps import Member
from evoai.exceptions import Forbidden, NotFound, Unprocessable
from evoai.followups import live
from evoai.followups.schemas import UNIT_MINUTES, RuleFields, RuleIn
from evoai.kit import clock
from evoai.models import Followup, FollowupRule, Stage, Tag, WhatsAppInstance

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
DEFAULTS: dict[str, Any] = {
    "action_type": "TEMPLATE",
    "max_followups_per_contact": 3,
    "min_interval_hours": 24,
    "respect_business_hours": True,
    "business_hours_start": "09:00",
    "business_hours_end": "18:00",
    "allowed_days": WEEKDAYS,
    "ai_validation_enabled": False,
    "priority": 0,
    "max_attempts": 3,
    "is_active": True,
}


# Fields a client may clear by sending null.
NULLABLE = ("description", "instance_id", "min_hours_since_response", "ai_validation_prompt")


def ensure_can_manage(member: Member) -> None:
    if not member.can("canManageFlows"):
        raise Forbidden("Você não tem permissão para gerenciar automações")


def delay_minutes(rule: FollowupRule) -> int:
    config = rule.trigger_config
    return int(config.get("value", 0)) * UNIT_MINUTES.get(config.get("unit", "hours"), 60)


async def get_rule(session: AsyncSession, company_id: uuid.UUID, rule_id: uuid.UUID) -> FollowupRule:
    rule = await session.scalar(
        select(FollowupRule).where(FollowupRule.id == rule_id, FollowupRule.company_id == company_id)
    )
    if rule is None:
        raise NotFound("Regra não encontrada")
    return rule


async def _ensure_refs(session: AsyncSession, company_id: uuid.UUID, rule: FollowupRule) -> None:
    """Every id a rule names must be the company's: 422 naming the field otherwise."""
    trigger, conditions, post = rule.trigger_config, rule.conditions, rule.post_actions
    checks: list[tuple[str, Any, list[Any]]] = [
        ("triggerConfig.stageIds", Stage, trigger.get("stageIds", [])),
        ("triggerConfig.tagIds", Tag, trigger.get("tagIds", [])),
        ("conditions.includeStageIds", Stage, conditions.get("includeStageIds", [])),
        ("conditions.excludeTagIds", Tag, conditions.get("excludeTagIds", [])),
        ("postActions.addTagIds", Tag, post.get("addTagIds", [])),
        ("postActions.moveToStageId", Stage, [post["moveToStageId"]] if post.get("moveToStageId") else []),
    ]
    if rule.instance_id is not None:
        checks.append(("instanceId", WhatsAppInstance, [str(rule.instance_id)]))
    for field, model, ids in checks:
        wanted = {uuid.UUID(str(i)) for i in ids}
        if not wanted:
            continue
        query = select(func.count()).where(model.company_id == company_id, model.id.in_(wanted))
        if model is WhatsAppInstance:
            query = query.where(WhatsAppInstance.deleted_at.is_(None))
        if await session.scalar(query) != len(wanted):
            raise Unprocessable(
                f"{field}: um dos itens não existe nesta empresa",
                details=[{"field": field, "code": "not_found"}],
            )
    if rule.trigger_type == "STAGE_ENTERED" and not trigger.get("stageIds"):
        raise Unprocessable(
            "triggerConfig.stageIds: escolha ao menos uma etapa para STAGE_ENTERED",
            details=[{"field": "triggerConfig.stageIds", "code": "required"}],
        )
    if rule.respect_business_hours and rule.business_hours_start == rule.business_hours_end:
        rule.business_hours_start, rule.business_hours_end = "00:00", "00:00"  # all day


def _apply(rule: FollowupRule, data: RuleFields) -> None:
    given = data.model_dump(exclude_unset=True)
    required = (
        "name",
        "trigger_type",
        "action_type",
        "max_followups_per_contact",
        "min_interval_hours",
        "respect_business_hours",
        "business_hours_start",
        "business_hours_end",
        "allowed_days",
        "ai_validation_enabled",
        "priority",
        "max_attempts",
        "is_active",
    )
    for key in required:
        if given.get(key) is not None:
            setattr(rule, key, given[key])
    for key in NULLABLE:
        if key in given:
            setattr(rule, key, given[key])
    trigger = dict(rule.trigger_config or {})
    if data.trigger_config is not None:
        trigger.update(data.trigger_config.model_dump(by_alias=True, mode="json"))
    if data.trigger_value is not None:
        trigger["value"] = data.trigger_value
    if data.trigger_unit is not None:
        trigger["unit"] = data.trigger_unit
    rule.trigger_config = trigger
    if "message" in given:
        rule.action_template = data.message
    if data.action_config is not None:
        rule.action_config = data.action_config.model_dump(by_alias=True, mode="json")
    if data.conditions is not None:
        rule.conditions = data.conditions.model_dump(by_alias=True, mode="json")
    if data.post_actions is not None:
        rule.post_actions = data.post_actions.model_dump(by_alias=True, mode="json")


async def create_rule(session: AsyncSession, member: Member, data: RuleIn) -> FollowupRule:
    ensure_can_manage(member)
    rule = FollowupRule(
        id=uuid.uuid4(),
        company_id=member.company_id,
        created_by=member.user_id,
        trigger_config={},
        action_config={"maxTokens": 200, "useConversationContext": True},
        conditions={},
        post_actions={},
        **DEFAULTS,
    )
    _apply(rule, data)
    await _validate(session, member.company_id, rule)
    session.add(rule)
    await session.flush()
    await session.refresh(rule)
    return rule


async def _validate(session: AsyncSession, company_id: uuid.UUID, rule: FollowupRule) -> None:
    if rule.action_type == "TEMPLATE" and not (rule.action_template or "").strip():
        raise Unprocessable(
            "message: obrigatória quando actionType é TEMPLATE",
            details=[{"field": "message", "code": "required"}],
        )
    if rule.trigger_type == "NO_RESPONSE" and delay_minutes(rule) == 0:
        raise Unprocessable(
            "triggerValue: NO_RESPONSE precisa de um tempo maior que zero",
            details=[{"field": "triggerValue", "code": "too_small"}],
        )
    await _ensure_refs(session, company_id, rule)


async def update_rule(
    session: AsyncSession, member: Member, rule_id: uuid.UUID, data: RuleFields
) -> FollowupRule:
    ensure_can_manage(member)
    rule = await get_rule(session, member.company_id, rule_id)
    _apply(rule, data)
    await _validate(session, member.company_id, rule)
    rule.updated_at = clock.now()
    await session.flush()
    return rule


async def cancel_pending(
    session: AsyncSession, company_id: uuid.UUID, rule_id: uuid.UUID, reason: str, at: datetime
) -> int:
    result = await session.execute(
        update(Followup)
        .where(Followup.company_id == company_id, Followup.rule_id == rule_id, Followup.status == "PENDING")
        .values(status="CANCELLED", reason=reason, closed_at=at, updated_at=at)
    )
    cancelled = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if cancelled:
        await live.changed(session, company_id)
    return cancelled


async def delete_rule(session: AsyncSession, member: Member, rule_id: uuid.UUID) -> int:
    """The rule goes; its pending follow-ups are cancelled; the history stays (rule_name is kept)."""
    ensure_can_manage(member)
    rule = await get_rule(session, member.company_id, rule_id)
    cancelled = await cancel_pending(session, member.company_id, rule.id, "Regra excluída", clock.now())
    await session.delete(rule)
    await session.flush()
    return cancelled


async def toggle_rule(session: AsyncSession, member: Member, rule_id: uuid.UUID) -> FollowupRule:
    """Switching a rule off cancels what it had pending: turning it back on must not fire a backlog."""
    ensure_can_manage(member)
    rule = await get_rule(session, member.company_id, rule_id)
    rule.is_active = not rule.is_active
    rule.updated_at = clock.now()
    if not rule.is_active:
        await cancel_pending(session, member.company_id, rule.id, "Regra desativada", clock.now())
    await session.flush()
    return rule


async def list_rules(
    session: AsyncSession, company_id: uuid.UUID, instance_id: uuid.UUID | None
) -> list[FollowupRule]:
    query = select(FollowupRule).where(FollowupRule.company_id == company_id)
    if instance_id is not None:
        query = query.where(FollowupRule.instance_id == instance_id)
    return list(
        (await session.scalars(query.order_by(FollowupRule.priority.desc(), FollowupRule.created_at))).all()
    )


async def rule_stats(session: AsyncSession, company_id: uuid.UUID) -> dict[uuid.UUID, dict[str, int]]:
    rows = await session.execute(
        select(Followup.rule_id, Followup.status, func.count())
        .where(Followup.company_id == company_id, Followup.rule_id.is_not(None))
        .group_by(Followup.rule_id, Followup.status)
    )
    stats: dict[uuid.UUID, dict[str, int]] = {}
    for rule_id, status, count in rows:
        if rule_id is not None:
            stats.setdefault(rule_id, {})[status.lower()] = count
    return stats


def rule_out(
    rule: FollowupRule, instances: dict[uuid.UUID, str], stats: dict[str, int] | None = None
) -> dict[str, Any]:
    trigger = rule.trigger_config
    counts = stats or {}
    return {
        "id": str(rule.id),
        "name": rule.name,
        "description": rule.description,
        "instanceId": str(rule.instance_id) if rule.instance_id else None,
        "instance": (
            {"id": str(rule.instance_id), "instanceName": instances.get(rule.instance_id)}
            if rule.instance_id
            else None
        ),
        "triggerType": rule.trigger_type,
        "triggerValue": trigger.get("value", 0),
        "triggerUnit": trigger.get("unit", "hours"),
        "triggerConfig": {k: v for k, v in trigger.items() if k not in ("value", "unit")},
        "actionType": rule.action_type,
        "message": rule.action_template,
        "actionConfig": rule.action_config,
        "conditions": rule.conditions,
        "postActions": rule.post_actions,
        "maxFollowupsPerContact": rule.max_followups_per_contact,
        "minIntervalHours": rule.min_interval_hours,
        "minHoursSinceResponse": rule.min_hours_since_response,
        "respectBusinessHours": rule.respect_business_hours,
        "businessHoursStart": rule.business_hours_start,
        "businessHoursEnd": rule.business_hours_end,
        "allowedDays": rule.allowed_days,
        "aiValidationEnabled": rule.ai_validation_enabled,
        "aiValidationPrompt": rule.ai_validation_prompt,
        "priority": rule.priority,
        "maxAttempts": rule.max_attempts,
        "isActive": rule.is_active,
        "stats": {
            "pending": counts.get("pending", 0),
            "sent": counts.get("sent", 0),
            "responded": counts.get("responded", 0),
            "cancelled": counts.get("cancelled", 0),
            "failed": counts.get("failed", 0),
        },
        "createdAt": rule.created_at.isoformat(),
        "updatedAt": rule.updated_at.isoformat(),
    }


async def instance_names(session: AsyncSession, company_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(WhatsAppInstance.id, WhatsAppInstance.name).where(WhatsAppInstance.company_id == company_id)
    )
    return {row.id: row.name for row in rows}
