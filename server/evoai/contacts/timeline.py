"""What happened with a contact: the timeline (messages and history events, newest first) and the
spec's history summary (conversations, deals, stage stays, follow-ups)."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts.serialise import iso, user_brief, user_names
from evoai.exceptions import ValidationFailed
from evoai.models import (
    Contact,
    ContactEvent,
    Conversation,
    Deal,
    DealStagePeriod,
    Funnel,
    Message,
    Stage,
    WhatsAppInstance,
)

# At one instant messages come before events; within a kind, the newer row first.
_MESSAGE, _EVENT = 1, 0
SUMMARY_CHARS = 200


@dataclass(frozen=True)
class Cursor:
    at: datetime
    rank: int
    key: str

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"{self.at.isoformat()}|{self.rank}|{self.key}".encode()).decode()

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        try:
            at, rank, key = base64.urlsafe_b64decode(raw.encode()).decode().split("|")
            cursor = cls(datetime.fromisoformat(at), int(rank), key)
            if cursor.at.tzinfo is None or cursor.rank not in (_MESSAGE, _EVENT):
                raise ValueError("out of range")
            if cursor.rank == _MESSAGE and not 0 < int(key) < 2**63:
                raise ValueError("out of range")
            if cursor.rank == _EVENT:
                uuid.UUID(key)
            return cursor
        except (ValueError, UnicodeDecodeError):
            raise ValidationFailed(
                "Cursor inválido",
                details=[{"field": "before", "code": "invalid", "message": "cursor inválido"}],
            ) from None


def _sort_key(cursor: Cursor) -> tuple[datetime, int, Any]:
    return cursor.at, cursor.rank, int(cursor.key) if cursor.rank == _MESSAGE else uuid.UUID(cursor.key)


async def timeline(
    session: AsyncSession, contact: Contact, *, limit: int, before: str | None
) -> dict[str, Any]:
    """Two bounded queries (the newest `limit + 1` of each kind before the cursor), merged."""
    cursor = Cursor.decode(before) if before else None
    conversations = select(Conversation.id).where(
        Conversation.company_id == contact.company_id, Conversation.contact_id == contact.id
    )
    messages = select(Message).where(
        Message.company_id == contact.company_id, Message.conversation_id.in_(conversations)
    )
    events = select(ContactEvent).where(
        ContactEvent.company_id == contact.company_id, ContactEvent.contact_id == contact.id
    )
    if cursor is not None:
        if cursor.rank == _MESSAGE:
            messages = messages.where(
                tuple_(Message.sent_at, Message.public_id) < tuple_(cursor.at, int(cursor.key))
            )
            events = events.where(ContactEvent.created_at <= cursor.at)
        else:
            messages = messages.where(Message.sent_at < cursor.at)
            events = events.where(
                tuple_(ContactEvent.created_at, ContactEvent.id) < tuple_(cursor.at, uuid.UUID(cursor.key))
            )
    found_messages = (
        await session.scalars(
            messages.order_by(Message.sent_at.desc(), Message.public_id.desc()).limit(limit + 1)
        )
    ).all()
    found_events = (
        await session.scalars(
            events.order_by(ContactEvent.created_at.desc(), ContactEvent.id.desc()).limit(limit + 1)
        )
    ).all()
    entries: list[tuple[Cursor, Message | ContactEvent]] = [
        (Cursor(m.sent_at, _MESSAGE, str(m.public_id)), m) for m in found_messages
    ]
    entries += [(Cursor(e.created_at, _EVENT, str(e.id)), e) for e in found_events]
    entries.sort(key=lambda entry: _sort_key(entry[0]), reverse=True)
    page = entries[:limit]
    names = await user_names(
        session,
        {
            user_id
            for _, row in page
            if (user_id := row.sent_by_user_id if isinstance(row, Message) else row.user_id)
        },
    )
    items = [
        _message_item(row, names) if isinstance(row, Message) else _event_item(row, names) for _, row in page
    ]
    has_more = len(entries) > limit
    return {"items": items, "nextCursor": page[-1][0].encode() if has_more and page else None}


_KINDS = {
    "image": "Imagem",
    "video": "Vídeo",
    "audio": "Áudio",
    "ptt": "Áudio",
    "document": "Documento",
    "sticker": "Figurinha",
    "location": "Localização",
    "contact": "Contato",
}


def _message_item(message: Message, names: dict[uuid.UUID, str]) -> dict[str, Any]:
    received = message.direction == "RECEIVED"
    actor = "customer" if received else ("ai" if message.is_bot else "user")
    if message.deleted_at:
        summary = "Mensagem apagada"
    else:
        label = _KINDS.get(message.kind)
        text = (message.text or "").strip()
        summary = f"[{label}] {text}".strip() if label else text or message.kind
    return {
        "id": str(message.id),
        "at": iso(message.sent_at),
        "kind": "message",
        "type": "MESSAGE_RECEIVED" if received else "MESSAGE_SENT",
        "actor": actor,
        "user": user_brief(message.sent_by_user_id, names),
        "summary": summary[:SUMMARY_CHARS],
        "payload": {
            "conversationId": str(message.conversation_id),
            "direction": message.direction,
            "messageKind": message.kind,
            "status": message.status,
            "text": None if message.deleted_at else message.text,
            "fileName": message.media_file_name,
            "isBot": message.is_bot,
        },
    }


_FIXED_SUMMARIES = {
    "CREATED": "Contato criado",
    "BLOCKED": "Contato bloqueado",
    "UNBLOCKED": "Contato desbloqueado",
    "NOTE_ADDED": "Nota adicionada",
    "TAG_ADDED": "Tag {tagName} adicionada",
    "TAG_REMOVED": "Tag {tagName} removida",
    "IMPORTED": "Contato importado de planilha",
    "DATA_EXPORTED": "Dados exportados (LGPD)",
    "DEAL_CREATED": "Negócio criado: {title}",
    "DEAL_STAGE_CHANGED": "Negócio {title} movido para {toStageName}",
    "DEAL_DELETED": "Negócio excluído: {title}",
}
_DEAL_STATUS = {"WON": "ganho", "LOST": "perdido", "OPEN": "reaberto"}


def _event_summary(event: ContactEvent) -> str:
    """A sentence for people; the payload keys are the ones history.py lists."""
    payload = {k: v for k, v in (event.payload or {}).items() if v is not None}
    described = payload.get("description") or payload.get("summary")
    if described:
        return str(described)
    if event.type == "UPDATED":
        return "Dados alterados: " + ", ".join(payload.get("fields") or [])
    if event.type == "STAGE_CHANGED":
        if "toStageName" in payload:
            return f"Movido para a etapa {payload['toStageName']}"
        return f"Removido do funil {payload['funnelName']}" if "funnelName" in payload else "Etapa alterada"
    if event.type == "DEAL_STATUS_CHANGED" and payload.get("toStatus") in _DEAL_STATUS:
        return f"Negócio {payload.get('title', '')} {_DEAL_STATUS[payload['toStatus']]}".replace("  ", " ")
    template = _FIXED_SUMMARIES.get(event.type)
    if template:
        # A name the event did not record is left out rather than failing the whole timeline.
        return " ".join(template.format_map(_Blanks(payload)).split()).rstrip(":")
    return event.type.replace("_", " ").capitalize()


class _Blanks(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _event_item(event: ContactEvent, names: dict[uuid.UUID, str]) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "at": iso(event.created_at),
        "kind": "event",
        "type": event.type,
        "actor": event.actor,
        "user": user_brief(event.user_id, names),
        "summary": _event_summary(event)[:SUMMARY_CHARS],
        "payload": event.payload or {},
    }


async def history(session: AsyncSession, contact: Contact) -> dict[str, Any]:
    company_id = contact.company_id
    message_count = select(func.count()).where(Message.conversation_id == Conversation.id).scalar_subquery()
    conversations = (
        await session.execute(
            select(Conversation.id, WhatsAppInstance.name, Conversation.last_message_at, message_count)
            .join(WhatsAppInstance, WhatsAppInstance.id == Conversation.instance_id)
            .where(Conversation.company_id == company_id, Conversation.contact_id == contact.id)
            .order_by(Conversation.last_message_at.desc().nulls_last())
        )
    ).all()
    deals = (
        await session.execute(
            select(Deal, Stage.name)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Deal.company_id == company_id, Deal.contact_id == contact.id)
            .order_by(Deal.created_at.desc())
        )
    ).all()
    return {
        "conversations": [
            {"id": str(i), "instanceName": name, "messageCount": int(count), "lastMessageAt": iso(last)}
            for i, name, last, count in conversations
        ],
        "deals": [
            {
                "id": str(d.id),
                "title": d.title,
                "value": float(d.value),
                "status": d.status,
                "stage": {"id": str(d.stage_id), "name": stage_name},
                "funnelId": str(d.funnel_id),
                "createdAt": iso(d.created_at),
                "closedAt": iso(d.closed_at),
            }
            for d, stage_name in deals
        ],
        "stageHistory": await _stage_history(session, contact),
        # Follow-ups arrive with their own module; until then a contact has none.
        "followups": [],
    }


async def _stage_history(session: AsyncSession, contact: Contact) -> list[dict[str, Any]]:
    """The contact's own stays (from STAGE_CHANGED events, see history.py) and its deals' stays."""
    company_id = contact.company_id
    moves = (
        await session.scalars(
            select(ContactEvent)
            .where(
                ContactEvent.company_id == company_id,
                ContactEvent.contact_id == contact.id,
                ContactEvent.type == "STAGE_CHANGED",
            )
            .order_by(ContactEvent.created_at, ContactEvent.id)
        )
    ).all()
    # (stage id, the stage's and funnel's names as the event recorded them, entered, exited)
    stays: list[tuple[str, str | None, str | None, datetime, datetime | None]] = []
    for index, move in enumerate(moves):
        payload = move.payload or {}
        exited = moves[index + 1].created_at if index + 1 < len(moves) else None
        # A move to no stage (its funnel was deleted) only ends the stay before it.
        if payload.get("toStageId"):
            stays.append(
                (
                    str(payload["toStageId"]),
                    payload.get("toStageName"),
                    payload.get("funnelName"),
                    move.created_at,
                    exited,
                )
            )
    if not moves and contact.stage_id:
        stays.append(
            (str(contact.stage_id), None, None, contact.stage_entered_at or contact.created_at, None)
        )
    stage_ids = {uuid.UUID(s) for s, *_ in stays if _is_uuid(s)}
    names: dict[str, tuple[str, str | None]] = {}
    if stage_ids:
        rows = await session.execute(
            select(Stage.id, Stage.name, Funnel.name)
            .join(Funnel, Funnel.id == Stage.funnel_id)
            .where(Stage.company_id == company_id, Stage.id.in_(stage_ids))
        )
        names = {str(i): (stage, funnel) for i, stage, funnel in rows.all()}
    entries: list[dict[str, Any]] = []
    for stage_id, stage_name, funnel_name, entered, exited in stays:
        stage, funnel = names.get(stage_id, (stage_name or "Etapa removida", funnel_name))
        entries.append(
            {
                "stage": stage,
                "funnel": funnel,
                "enteredAt": iso(entered),
                "exitedAt": iso(exited),
                "dealId": None,
            }
        )
    periods = await session.execute(
        select(DealStagePeriod, Stage.name, Funnel.name, Deal.title)
        .join(Deal, Deal.id == DealStagePeriod.deal_id)
        .join(Stage, Stage.id == DealStagePeriod.stage_id)
        .join(Funnel, Funnel.id == DealStagePeriod.funnel_id)
        .where(DealStagePeriod.company_id == company_id, Deal.contact_id == contact.id)
    )
    entries += [
        {
            "stage": stage,
            "funnel": funnel,
            "enteredAt": iso(period.entered_at),
            "exitedAt": iso(period.exited_at),
            "dealId": str(period.deal_id),
            "dealTitle": title,
        }
        for period, stage, funnel, title in periods.all()
    ]
    entries.sort(key=lambda entry: str(entry["enteredAt"]), reverse=True)
    return entries


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
