"""Reading follow-ups: the queue, the history, per-rule stats, dashboard metrics, leads in automation."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Date, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.followups.hours import zone
from evoai.kit import clock
from evoai.models import Company, Contact, Conversation, Followup, FollowupRule

CLOSED = ("SENT", "RESPONDED", "CANCELLED", "FAILED")


def _joined(company_id: uuid.UUID) -> Any:
    return (
        select(Followup, Conversation.contact_number, Contact.name, Contact.push_name)
        .join(Conversation, Conversation.id == Followup.conversation_id)
        .outerjoin(Contact, Contact.id == Followup.contact_id)
        .where(Followup.company_id == company_id)
    )


def followup_out(row: Any) -> dict[str, Any]:
    f: Followup = row[0]
    name = row.name or row.push_name
    return {
        "id": str(f.id),
        "rule": {"id": str(f.rule_id) if f.rule_id else None, "name": f.rule_name},
        "ruleName": f.rule_name,
        "conversation": {
            "id": str(f.conversation_id),
            "contactNumber": row.contact_number,
            "contactName": name,
        },
        "contact": {"id": str(f.contact_id), "name": name} if f.contact_id else None,
        "triggerType": f.trigger_type,
        "source": f.source,
        "status": f.status,
        "scheduledFor": f.scheduled_for.isoformat(),
        "dueAt": f.due_at.isoformat(),
        "attempt": f.attempt,
        "maxAttempts": f.max_attempts,
        "reason": f.reason,
        "text": f.text,
        "messageId": str(f.message_id) if f.message_id else None,
        "sentAt": f.sent_at.isoformat() if f.sent_at else None,
        "closedAt": f.closed_at.isoformat() if f.closed_at else None,
        "cancelledAt": f.closed_at.isoformat() if f.closed_at and f.status == "CANCELLED" else None,
        "cancelReason": f.reason if f.status == "CANCELLED" else None,
        "createdAt": f.created_at.isoformat(),
    }


async def pending(
    session: AsyncSession,
    company_id: uuid.UUID,
    *,
    conversation_ids: list[uuid.UUID] | None = None,
    rule_id: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    query = _joined(company_id).where(Followup.status == "PENDING")
    if conversation_ids is not None:
        query = query.where(Followup.conversation_id.in_(conversation_ids))
    if rule_id is not None:
        query = query.where(Followup.rule_id == rule_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(
        query.order_by(Followup.scheduled_for, Followup.id).limit(limit).offset(offset)
    )
    return [followup_out(r) for r in rows], int(total)


async def history(
    session: AsyncSession,
    company_id: uuid.UUID,
    *,
    conversation_id: uuid.UUID | None,
    rule_id: uuid.UUID | None,
    status: str | None,
    limit: int,
) -> list[dict[str, Any]]:
    query = _joined(company_id).where(Followup.status.in_([status] if status else CLOSED))
    if conversation_id is not None:
        query = query.where(Followup.conversation_id == conversation_id)
    if rule_id is not None:
        query = query.where(Followup.rule_id == rule_id)
    rows = await session.execute(
        query.order_by(Followup.closed_at.desc().nulls_last(), Followup.id).limit(limit)
    )
    return [followup_out(r) for r in rows]


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


async def _by_rule(
    session: AsyncSession, company_id: uuid.UUID, since: datetime | None
) -> list[dict[str, Any]]:
    """Per rule: sent, and how many of those the customer answered before the next follow-up."""
    query = (
        select(
            Followup.rule_id,
            func.max(Followup.rule_name).label("name"),
            func.count().filter(Followup.status == "SENT").label("sent"),
            func.count().filter(Followup.status == "CANCELLED").label("cancelled"),
            func.count().filter(Followup.status == "FAILED").label("failed"),
            func.count()
            .filter(Followup.status == "SENT", Conversation.last_inbound_at > Followup.sent_at)
            .label("responded"),
        )
        .join(Conversation, Conversation.id == Followup.conversation_id)
        .where(Followup.company_id == company_id, Followup.rule_id.is_not(None))
        .group_by(Followup.rule_id)
    )
    if since is not None:
        query = query.where(Followup.closed_at >= since)
    return [
        {
            "ruleId": str(r.rule_id),
            "ruleName": r.name,
            "sent": r.sent,
            "responded": r.responded,
            "cancelled": r.cancelled,
            "failed": r.failed,
            "responseRate": _rate(r.responded, r.sent),
        }
        for r in await session.execute(query)
    ]


async def stats(session: AsyncSession, company_id: uuid.UUID) -> dict[str, Any]:
    now = clock.now()
    rules = (
        await session.execute(
            select(func.count(), func.count().filter(FollowupRule.is_active.is_(True))).where(
                FollowupRule.company_id == company_id
            )
        )
    ).one()

    def sent_since(delta: timedelta) -> Any:
        return func.count().filter(Followup.status == "SENT", Followup.sent_at >= now - delta)

    counts = (
        await session.execute(
            select(
                func.count().filter(Followup.status == "PENDING"),
                sent_since(timedelta(days=1)),
                sent_since(timedelta(days=7)),
                sent_since(timedelta(days=30)),
                func.count().filter(Followup.status == "SENT"),
                func.count().filter(Followup.status == "FAILED"),
                func.avg(
                    case(
                        (
                            Conversation.last_inbound_at > Followup.sent_at,
                            func.extract("epoch", Conversation.last_inbound_at - Followup.sent_at),
                        )
                    )
                ),
            )
            .join(Conversation, Conversation.id == Followup.conversation_id)
            .where(Followup.company_id == company_id)
        )
    ).one()
    pending_count, today, week, month, sent, failed, response_seconds = counts
    return {
        "totalRules": rules[0],
        "activeRules": rules[1],
        "pendingFollowups": pending_count,
        "sentToday": today,
        "sentThisWeek": week,
        "sentThisMonth": month,
        "successRate": _rate(sent, sent + failed),
        "averageResponseTime": int(response_seconds or 0),
        "byRule": await _by_rule(session, company_id, None),
    }


async def dashboard(session: AsyncSession, company_id: uuid.UUID, days: int) -> dict[str, Any]:
    timezone = (
        await session.scalar(select(Company.timezone).where(Company.id == company_id)) or "America/Sao_Paulo"
    )
    tz = zone(timezone)
    now = clock.now()
    first_day = now.astimezone(tz).date() - timedelta(days=days - 1)
    start = datetime.combine(first_day, datetime.min.time(), tz)
    local_day = cast(func.timezone(timezone, Followup.closed_at), Date)
    rows = await session.execute(
        select(
            local_day.label("day"),
            func.count().filter(Followup.status == "SENT"),
            func.count().filter(Followup.status == "RESPONDED"),
            func.count().filter(Followup.status == "CANCELLED"),
        )
        .where(Followup.company_id == company_id, Followup.closed_at >= start)
        .group_by(local_day)
    )
    found = {r.day: (r[1], r[2], r[3]) for r in rows}
    daily: list[dict[str, Any]] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        sent, responded, cancelled = found.get(day, (0, 0, 0))
        daily.append({"date": day.isoformat(), "sent": sent, "responded": responded, "cancelled": cancelled})
    by_rule = await _by_rule(session, company_id, start)
    total_sent = sum(int(d["sent"]) for d in daily)
    total_cancelled = sum(int(d["cancelled"]) for d in daily)
    answered = sum(r["responded"] for r in by_rule)
    return {
        "period": {"start": start.isoformat(), "end": now.isoformat(), "days": days, "timezone": timezone},
        "summary": {
            "totalSent": total_sent,
            "totalResponded": answered,
            "totalSkippedByReply": sum(int(d["responded"]) for d in daily),
            "totalCancelled": total_cancelled,
            "responseRate": _rate(answered, total_sent),
            "cancelRate": _rate(total_cancelled, total_sent + total_cancelled),
        },
        "daily": daily,
        "byRule": by_rule,
        "topPerformingRules": sorted(
            (
                {"ruleId": r["ruleId"], "ruleName": r["ruleName"], "responseRate": r["responseRate"]}
                for r in by_rule
                if r["sent"]
            ),
            key=lambda r: -float(r["responseRate"]),
        )[:5],
    }


async def leads(
    session: AsyncSession, company_id: uuid.UUID, *, status: str | None, rule_id: uuid.UUID | None, limit: int
) -> list[dict[str, Any]]:
    query = (
        _joined(company_id)
        .add_columns(Conversation.last_message_at)
        .where(Followup.status == (status or "PENDING"))
    )
    if rule_id is not None:
        query = query.where(Followup.rule_id == rule_id)
    rows = (await session.execute(query.order_by(Followup.scheduled_for).limit(limit * 5))).all()
    grouped: dict[uuid.UUID, dict[str, Any]] = {}
    for row in rows:
        f: Followup = row[0]
        name = row.name or row.push_name
        lead = grouped.setdefault(
            f.conversation_id,
            {
                "contact": {
                    "id": str(f.contact_id) if f.contact_id else None,
                    "name": name,
                    "phoneNumber": row.contact_number,
                },
                "conversation": {
                    "id": str(f.conversation_id),
                    "lastMessageAt": row.last_message_at.isoformat() if row.last_message_at else None,
                },
                "followups": [],
                "totalPending": 0,
            },
        )
        lead["followups"].append(
            {
                "id": str(f.id),
                "ruleName": f.rule_name,
                "scheduledFor": f.scheduled_for.isoformat(),
                "status": f.status,
                "attempt": f.attempt,
            }
        )
        lead["totalPending"] += f.status == "PENDING"
        if len(grouped) > limit:
            grouped.pop(f.conversation_id)
            break
    return list(grouped.values())
