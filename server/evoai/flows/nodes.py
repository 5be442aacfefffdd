"""What each action does, through the CRM's own services (actor "automation"), inside the step's
transaction. Conditions are evaluated here too; waits and CALL_WEBHOOK are the step's (tasks.py)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.schedule import schedule_turn
from evoai.config import Settings
from evoai.contacts.history import record_event
from evoai.contacts.service import announce
from evoai.contacts.tags import apply_tags
from evoai.deals.schemas import DealCreate
from evoai.deals.service import create_deal
from evoai.flows import conditions, graph
from evoai.flows.conditions import Facts
from evoai.funnels.contacts import move_contact
from evoai.kit import clock
from evoai.models import (
    Company,
    Contact,
    Conversation,
    FlowExecution,
    Message,
    Tag,
    TagAssignment,
    WhatsAppInstance,
)
from evoai.notifications.service import notify
from evoai.quick_replies.variables import ContactFacts, RenderContext
from evoai.whatsapp.ingest import StoredMedia
from evoai.whatsapp.outbound import OutboundKind, queue_message


class NodeError(Exception):
    """The node cannot do its work; retrying may help (`retry`) or not."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry


@dataclass(frozen=True)
class Done:
    result: str  # success | skipped | failed
    handle: str
    detail: dict[str, Any] | None = None


async def facts_of(session: AsyncSession, contact: Contact | None, variables: dict[str, Any]) -> Facts:
    if contact is None:
        return Facts(variables=variables)
    tags = (
        await session.execute(
            select(Tag.id, Tag.name)
            .join(TagAssignment, TagAssignment.tag_id == Tag.id)
            .where(TagAssignment.contact_id == contact.id)
        )
    ).all()
    return Facts(
        name=(contact.name or contact.push_name),
        email=contact.email,
        stage_id=str(contact.stage_id) if contact.stage_id else None,
        tags=tuple(v for t in tags for v in (str(t.id), t.name.lower())),
        variables=variables,
    )


async def render_context(
    session: AsyncSession, company_id: uuid.UUID, contact: Contact | None
) -> RenderContext:
    company = (
        await session.execute(select(Company.name, Company.timezone).where(Company.id == company_id))
    ).one()
    facts = (
        ContactFacts(
            name=contact.name, push_name=contact.push_name, phone=contact.phone_number, email=contact.email
        )
        if contact
        else ContactFacts()
    )
    return RenderContext(facts, company.name, "", company.timezone or "America/Sao_Paulo", clock.now())


def split(data: dict[str, Any], rng: random.Random | None = None) -> str:
    shares = [float(p) for p in data.get("percentages") or [100]]
    roll = (rng or random).uniform(0, sum(shares))
    for index, share in enumerate(shares):
        roll -= share
        if roll < 0:
            return graph.BRANCHES[index]
    return graph.BRANCHES[len(shares) - 1]


async def conversation_of(session: AsyncSession, row: FlowExecution) -> Conversation:
    """The execution's chat: the trigger's, else the contact's most recent one-to-one chat."""
    conversation = None
    if row.conversation_id is not None:
        conversation = await session.scalar(
            select(Conversation).where(Conversation.id == row.conversation_id)
        )
    if conversation is None and row.contact_id is not None:
        conversation = await session.scalar(
            select(Conversation)
            .where(Conversation.contact_id == row.contact_id, Conversation.is_group.is_(False))
            .order_by(Conversation.last_message_at.desc().nulls_last())
            .limit(1)
        )
    if conversation is None:
        raise NodeError("O contato não tem conversa no WhatsApp", retry=False)
    row.conversation_id = conversation.id
    return conversation


async def send_media(
    session: AsyncSession,
    settings: Settings,
    row: FlowExecution,
    node: dict[str, Any],
    *,
    caption: str,
    kind: OutboundKind,
    stored: StoredMedia,
    file_name: str,
) -> Done:
    """SEND_MEDIA's second half: the file is already downloaded and stored (evoai/flows/tasks.py)."""
    assert stored.key is not None
    media = {
        "media_kind": kind,
        "media_mime": stored.mimetype,
        "media_file_name": file_name[:255],
        "media_size": stored.size,
        "media_key": stored.key,
        "media_state": "stored",
    }
    done = await _send(session, settings, row, caption, node, kind=kind, media=media)
    return Done(
        done.result, done.handle, {**(done.detail or {}), "size": stored.size, "mime": stored.mimetype}
    )


async def _send(
    session: AsyncSession,
    settings: Settings,
    row: FlowExecution,
    text: str,
    node: dict[str, Any],
    *,
    kind: OutboundKind = "text",
    media: dict[str, Any] | None = None,
) -> Done:
    if not text.strip() and media is None:
        raise NodeError("A mensagem ficou vazia", retry=False)
    conversation = await conversation_of(session, row)
    instance = await session.scalar(
        select(WhatsAppInstance).where(WhatsAppInstance.id == conversation.instance_id)
    )
    if instance is None:
        raise NodeError("A instância da conversa não existe mais", retry=False)
    message = await queue_message(
        session,
        settings,
        conversation=conversation,
        instance=instance,
        user_id=None,
        kind=kind,
        text_body=text.strip() or None,
        reply_to_id=None,
        media=media,
        is_bot=True,
        ai_metadata={"flow": {"executionId": str(row.id), "flow": row.flow_name, "nodeId": node["id"]}},
    )
    return Done("success", "output", {"messageId": str(message.id)})


async def run_action(
    session: AsyncSession, settings: Settings, row: FlowExecution, node: dict[str, Any]
) -> Done:
    subtype, data = str(node["subtype"]), node.get("data") or {}
    company_id = row.company_id
    contact = (
        await session.scalar(select(Contact).where(Contact.id == row.contact_id)) if row.contact_id else None
    )
    variables = row.variables or {}
    if subtype == "IF_CONDITION":
        verdict = conditions.holds(data, await facts_of(session, contact, variables))
        return Done("success", "true" if verdict else "false")
    if subtype == "SPLIT":
        branch = split(data)
        return Done("success", branch, {"branch": branch})
    context = await render_context(session, company_id, contact)

    def fill(template: str) -> str:
        return conditions.fill(template, context, variables)

    reason = f"Fluxo: {row.flow_name}"
    if subtype == "SEND_MESSAGE":
        return await _send(session, settings, row, fill(str(data.get("message") or "")), node)
    if subtype == "NOTIFY_TEAM":
        users = [uuid.UUID(u) for u in data["userIds"]] if data.get("userIds") else None
        created = await notify(
            session,
            company_id=company_id,
            user_ids=users,
            type="flow",
            title=row.flow_name,
            body=fill(str(data.get("message") or "")),
            data={"executionId": str(row.id), "contactId": str(row.contact_id) if row.contact_id else None},
            dedupe_key=f"flow:{row.id}:{row.step}",
        )
        return Done("success", "output", {"notified": len(created)})
    if contact is None:
        raise NodeError("A execução não tem contato (foi excluído?)", retry=False)
    if subtype in ("ADD_TAG", "REMOVE_TAG"):
        changed = await apply_tags(
            session,
            company_id=company_id,
            user_id=None,
            contact_ids=[contact.id],
            tag_ids=[uuid.UUID(data["tagId"])],
            action="add" if subtype == "ADD_TAG" else "remove",
            actor="automation",
            reason=reason,
        )
        return Done("success" if changed else "skipped", "output")
    if subtype == "MOVE_TO_STAGE":
        await move_contact(
            session,
            company_id=company_id,
            contact_id=contact.id,
            stage_id=uuid.UUID(data["stageId"]),
            user_id=None,
            actor="automation",
            reason=reason,
        )
        return Done("success", "output", {"stageId": data["stageId"]})
    if subtype == "CREATE_DEAL":
        deal = await create_deal(
            session,
            settings,
            company_id=company_id,
            data=DealCreate(
                title=fill(str(data["title"]))[:255] or row.flow_name,
                stage_id=uuid.UUID(data["stageId"]),
                contact_id=contact.id,
                value=Decimal(str(data.get("value") or 0)),
            ),
            user_id=None,
            actor="automation",
        )
        return Done("success", "output", {"dealId": str(deal.id)})
    if subtype == "UPDATE_CONTACT":
        return await _update_contact(session, contact, data.get("fields") or {}, fill)
    if subtype == "AI_REPLY":
        conversation = await conversation_of(session, row)
        message_id = (variables.get("message") or {}).get("id") or await session.scalar(
            select(Message.id)
            .where(Message.conversation_id == conversation.id, Message.direction == "RECEIVED")
            .order_by(Message.sent_at.desc(), Message.public_id.desc())  # whole-second stamps tie
            .limit(1)
        )
        if message_id is None:
            return Done("skipped", "output", {"reason": "O cliente ainda não escreveu"})
        await schedule_turn(
            session,
            company_id=company_id,
            conversation_id=conversation.id,
            message_id=uuid.UUID(str(message_id)),
            delay_ms=0,
            instructions=fill(str(data.get("instructions") or "")).strip()[:2000] or None,
        )
        return Done("success", "output")
    raise NodeError(f"Nó {subtype} não é executável aqui", retry=False)


async def _update_contact(session: AsyncSession, contact: Contact, fields: dict[str, Any], fill: Any) -> Done:
    values: dict[str, Any] = {}
    for key in ("name", "email", "notes"):
        if key in fields:
            value = fill(fields[key]).strip() if isinstance(fields[key], str) else None
            values[key] = value or None
    if isinstance(fields.get("customFields"), dict):
        values["custom_fields"] = {**(contact.custom_fields or {}), **fields["customFields"]}
    changed = [k for k, v in values.items() if getattr(contact, k) != v]
    if not changed:
        return Done("skipped", "output")
    await session.execute(
        update(Contact).where(Contact.id == contact.id).values({k: values[k] for k in changed})
    )
    names = {"custom_fields": "customFields"}
    await record_event(
        session,
        company_id=contact.company_id,
        contact_id=contact.id,
        type="UPDATED",
        actor="automation",
        payload={"fields": [names.get(k, k) for k in changed]},
    )
    await announce(session, contact.company_id, [contact.id])
    return Done("success", "output", {"fields": [names.get(k, k) for k in changed]})
