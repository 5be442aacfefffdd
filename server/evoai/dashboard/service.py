"""The dashboard's numbers (docs/api-crm.md, Dashboard): one query per block, each bounded by the
company and the period so that the indexes on (company, direction, created_at) and the conversation
timeline serve them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.exceptions import ValidationFailed
from evoai.models import Company

Period = Literal["today", "7d", "30d", "90d"]
_DAYS = {"today": 1, "7d": 7, "30d": 30, "90d": 90}
MAX_DAYS = 366


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    zone: ZoneInfo

    @property
    def days(self) -> list[date]:
        first = self.start.astimezone(self.zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(self.zone).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            "Fuso horário desconhecido", details=[{"field": "tz", "message": f"'{name}' não existe"}]
        ) from exc


async def company_zone(session: AsyncSession, company_id: uuid.UUID, tz: str | None) -> ZoneInfo:
    if tz:
        return _zone(tz)
    stored = await session.scalar(select(Company.timezone).where(Company.id == company_id))
    return _zone(stored or "America/Sao_Paulo")


def window(
    zone: ZoneInfo, period: Period | None, start: date | None, end: date | None, now: datetime
) -> Window:
    """Whole local days: the last N days up to now, or from `start` to `end` inclusive."""
    if start or end:
        if not (start and end):
            raise ValidationFailed(
                "Informe início e fim do período", details=[{"field": "from", "message": "from e to juntos"}]
            )
        if end < start or (end - start).days >= MAX_DAYS:
            raise ValidationFailed(
                "Período inválido",
                details=[{"field": "to", "message": f"depois do início e no máximo {MAX_DAYS} dias"}],
            )
        return Window(
            datetime.combine(start, time.min, zone),
            datetime.combine(end + timedelta(days=1), time.min, zone),
            zone,
        )
    today = now.astimezone(zone).date()
    first = today - timedelta(days=_DAYS[period or "7d"] - 1)
    return Window(datetime.combine(first, time.min, zone), now, zone)


_MESSAGES = text(
    """
    SELECT count(*) FILTER (WHERE direction = 'RECEIVED') AS received,
           count(*) FILTER (WHERE direction = 'SENT') AS sent,
           count(*) FILTER (WHERE direction = 'SENT' AND is_bot) AS ai_sent
    FROM whatsapp_messages
    WHERE company_id = :company AND direction IN ('RECEIVED', 'SENT')
      AND created_at >= :start AND created_at < :end
    """
)

# A conversation waits when its newest message is the customer's; the wait runs from the first
# customer message after our last answer.
_WAITING = text(
    """
    SELECT count(*) AS waiting,
           coalesce(avg(extract(epoch FROM :now - first_unanswered)), 0) AS average_wait,
           coalesce(max(extract(epoch FROM :now - first_unanswered)), 0) AS longest_wait
    FROM (
      SELECT (SELECT min(m.sent_at) FROM whatsapp_messages m
              WHERE m.conversation_id = c.id AND m.direction = 'RECEIVED'
                AND m.sent_at > coalesce(
                  (SELECT max(o.sent_at) FROM whatsapp_messages o
                   WHERE o.conversation_id = c.id AND o.direction = 'SENT'), '-infinity')
             ) AS first_unanswered
      FROM whatsapp_conversations c
      JOIN whatsapp_messages last ON last.id = c.last_message_id
      WHERE c.company_id = :company AND NOT c.is_archived AND NOT c.is_group
        AND last.direction = 'RECEIVED'
    ) waiting
    WHERE first_unanswered IS NOT NULL
    """
)

_ACTIVE = text(
    """
    SELECT count(*) FROM whatsapp_conversations
    WHERE company_id = :company AND last_message_at >= :start AND last_message_at < :end
    """
)

_CONTACTS = text(
    """
    SELECT count(*) FILTER (WHERE created_at >= :start AND created_at < :end) AS new,
           count(*) AS total
    FROM contacts WHERE company_id = :company
    """
)

_DEALS = text(
    """
    SELECT count(*) FILTER (WHERE status = 'OPEN') AS open,
           coalesce(sum(value) FILTER (WHERE status = 'OPEN'), 0) AS open_value,
           count(*) FILTER (WHERE status = 'WON' AND closed_at >= :start AND closed_at < :end) AS won,
           coalesce(sum(value) FILTER (WHERE status = 'WON' AND closed_at >= :start AND closed_at < :end), 0)
             AS won_value,
           count(*) FILTER (WHERE status = 'LOST' AND closed_at >= :start AND closed_at < :end) AS lost,
           count(*) FILTER (WHERE created_at >= :start AND created_at < :end) AS created,
           count(*) FILTER (WHERE created_at >= :start AND created_at < :end AND status = 'WON')
             AS created_won
    FROM deals WHERE company_id = :company
    """
)

_HANDOVERS = text(
    """
    SELECT count(*) FROM contact_events
    WHERE company_id = :company AND type = 'AI_HANDOVER' AND created_at >= :start AND created_at < :end
    """
)

_SERIES = text(
    """
    SELECT day, sum(received) AS received, sum(sent) AS sent, sum(new_contacts) AS new_contacts FROM (
      SELECT (created_at AT TIME ZONE :tz)::date AS day,
             count(*) FILTER (WHERE direction = 'RECEIVED') AS received,
             count(*) FILTER (WHERE direction = 'SENT') AS sent,
             0 AS new_contacts
      FROM whatsapp_messages
      WHERE company_id = :company AND direction IN ('RECEIVED', 'SENT')
        AND created_at >= :start AND created_at < :end
      GROUP BY 1
      UNION ALL
      SELECT (created_at AT TIME ZONE :tz)::date, 0, 0, count(*)
      FROM contacts WHERE company_id = :company AND created_at >= :start AND created_at < :end
      GROUP BY 1
    ) per_day GROUP BY day
    """
)

_DEFAULT_FUNNEL = text(
    """
    SELECT s.id, s.name, count(d.id) AS deals, coalesce(sum(d.value), 0) AS value
    FROM funnels f
    JOIN funnel_stages s ON s.funnel_id = f.id
    LEFT JOIN deals d ON d.stage_id = s.id AND d.status = 'OPEN'
    WHERE f.company_id = :company AND f.is_default
    GROUP BY s.id, s.name, s.position ORDER BY s.position
    """
)


def _percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0


async def metrics(
    session: AsyncSession, company_id: uuid.UUID, span: Window, now: datetime
) -> dict[str, Any]:
    bounds = {"company": company_id, "start": span.start, "end": span.end}
    messages = (await session.execute(_MESSAGES, bounds)).one()
    waiting = (await session.execute(_WAITING, {"company": company_id, "now": now})).one()
    active = await session.scalar(_ACTIVE, bounds)
    contacts = (await session.execute(_CONTACTS, bounds)).one()
    deals = (await session.execute(_DEALS, bounds)).one()
    handovers = await session.scalar(_HANDOVERS, bounds)
    per_day = {
        row.day: row for row in (await session.execute(_SERIES, {**bounds, "tz": span.zone.key})).all()
    }
    funnel = (await session.execute(_DEFAULT_FUNNEL, {"company": company_id})).all()
    return {
        "period": {"from": span.start.isoformat(), "to": span.end.isoformat(), "timezone": span.zone.key},
        "messages": {
            "received": messages.received,
            "sent": messages.sent,
            "aiSent": messages.ai_sent,
            "humanSent": messages.sent - messages.ai_sent,
            "aiResponseRate": _percent(messages.ai_sent, messages.sent),
        },
        "conversations": {
            "active": int(active or 0),
            "waiting": waiting.waiting,
            "averageWaitSeconds": round(float(waiting.average_wait)),
            "longestWaitSeconds": round(float(waiting.longest_wait)),
        },
        "contacts": {"new": contacts.new, "total": contacts.total},
        "deals": {
            "open": deals.open,
            "openValue": float(deals.open_value),
            "won": deals.won,
            "wonValue": float(deals.won_value),
            "lost": deals.lost,
            "conversionRate": _percent(deals.created_won, deals.created),
            "conversionBase": {"won": deals.created_won, "created": deals.created},
        },
        "ai": {"replies": messages.ai_sent, "handovers": int(handovers or 0)},
        "series": [
            {
                "date": day.isoformat(),
                "received": int(per_day[day].received) if day in per_day else 0,
                "sent": int(per_day[day].sent) if day in per_day else 0,
                "newContacts": int(per_day[day].new_contacts) if day in per_day else 0,
            }
            for day in span.days
        ],
        "funnel": [
            {
                "stageId": str(row.id),
                "stageName": row.name,
                "dealCount": row.deals,
                "dealValue": float(row.value),
            }
            for row in funnel
        ],
    }


# A contact's history already tells what happened to its deals; deal activities are added only for
# deals without a contact, so nothing shows twice.
_ACTIVITIES = text(
    """
    SELECT * FROM (
      SELECT e.id, e.type, e.actor, e.payload, e.created_at, e.user_id, e.contact_id, NULL::uuid AS deal_id,
             coalesce(c.name, c.push_name, c.phone_number) AS subject
      FROM contact_events e JOIN contacts c ON c.id = e.contact_id
      WHERE e.company_id = :company AND (CAST(:type AS text) IS NULL OR e.type = :type)
      ORDER BY e.created_at DESC LIMIT :limit
    ) contact_side
    UNION ALL
    SELECT * FROM (
      SELECT a.id, 'DEAL_' || a.type, a.actor, a.payload, a.created_at, a.user_id, d.contact_id, d.id, d.title
      FROM deal_activities a JOIN deals d ON d.id = a.deal_id
      WHERE a.company_id = :company AND d.contact_id IS NULL
        AND (CAST(:type AS text) IS NULL OR 'DEAL_' || a.type = :type)
      ORDER BY a.created_at DESC LIMIT :limit
    ) deal_side
    ORDER BY created_at DESC LIMIT :limit
    """
)


async def recent_activities(
    session: AsyncSession, company_id: uuid.UUID, *, limit: int, type: str | None
) -> list[dict[str, Any]]:
    rows = (await session.execute(_ACTIVITIES, {"company": company_id, "limit": limit, "type": type})).all()
    return [
        {
            "id": str(row.id),
            "type": row.type,
            "actor": row.actor,
            "subject": row.subject,
            "contactId": str(row.contact_id) if row.contact_id else None,
            "dealId": str(row.deal_id) if row.deal_id else None,
            "userId": str(row.user_id) if row.user_id else None,
            "payload": row.payload,
            "createdAt": row.created_at.isoformat(),
        }
        for row in rows
    ]
