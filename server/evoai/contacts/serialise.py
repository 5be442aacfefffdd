"""JSON shapes of contacts, tags and notes (docs/api-crm.md), so a list, a detail and an export agree."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from evoai.config import Settings
from evoai.contacts.fields import display_name
from evoai.models import (
    Contact,
    ContactNote,
    Conversation,
    Deal,
    Funnel,
    Profile,
    Stage,
    Tag,
    TagAssignment,
    WhatsAppInstance,
)
from evoai.whatsapp.serialise import avatar_url

ContactRow = tuple[Contact, Stage | None, str | None]  # the contact, its own stage, that stage's funnel


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def tag_brief(tag: Tag) -> dict[str, Any]:
    return {"id": str(tag.id), "name": tag.name, "color": tag.color}


def tag_out(tag: Tag, contact_count: int) -> dict[str, Any]:
    return {
        **tag_brief(tag),
        "description": tag.description,
        "isAiManaged": tag.is_ai_managed,
        "contactCount": contact_count,
        "createdAt": iso(tag.created_at),
        "updatedAt": iso(tag.updated_at),
    }


def stage_out(stage: Stage | None, funnel_name: str | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {
        "id": str(stage.id),
        "name": stage.name,
        "color": stage.color,
        "funnelId": str(stage.funnel_id),
        "funnelName": funnel_name,
    }


def user_brief(user_id: uuid.UUID | None, names: dict[uuid.UUID, str]) -> dict[str, Any] | None:
    if user_id is None:
        return None
    return {"id": str(user_id), "fullName": names.get(user_id, "")}


async def user_names(session: AsyncSession, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Profile.user_id, Profile.full_name).where(Profile.user_id.in_(user_ids))
    )
    return {user_id: name for user_id, name in rows.all()}


def note_out(note: ContactNote, names: dict[uuid.UUID, str]) -> dict[str, Any]:
    return {
        "id": str(note.id),
        "content": note.content,
        "createdBy": user_brief(note.user_id, names),
        "createdAt": iso(note.created_at),
        "updatedAt": iso(note.updated_at),
    }


def with_stage(*, summary_only: bool = False) -> Any:
    """Contacts with their own stage and its funnel's name, as ContactRow.

    `summary_only` loads just what a list row shows: on a page of 50 the ORM's per-column work on
    notes, custom fields and the search text was a measurable share of the request."""
    query = (
        select(Contact, Stage, Funnel.name)
        .outerjoin(Stage, Stage.id == Contact.stage_id)
        .outerjoin(Funnel, Funnel.id == Stage.funnel_id)
    )
    if summary_only:
        query = query.options(
            load_only(*SUMMARY_COLUMNS, raiseload=True),
            load_only(Stage.id, Stage.name, Stage.color, Stage.funnel_id, raiseload=True),
        )
    return query


# Everything _summary, display_name and avatar_url read.
SUMMARY_COLUMNS = (
    Contact.id,
    Contact.public_id,
    Contact.company_id,
    Contact.name,
    Contact.push_name,
    Contact.phone_number,
    Contact.email,
    Contact.is_blocked,
    Contact.avatar_key,
    Contact.source,
    Contact.last_activity_at,
    Contact.created_at,
    Contact.updated_at,
)


async def tags_of(
    session: AsyncSession, company_id: uuid.UUID, contact_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Tag]]:
    """Every tag of every contact of a page, in one query."""
    found: dict[uuid.UUID, list[Tag]] = defaultdict(list)
    if not contact_ids:
        return found
    rows = await session.execute(
        select(TagAssignment.contact_id, Tag)
        .join(Tag, Tag.id == TagAssignment.tag_id)
        .where(TagAssignment.company_id == company_id, TagAssignment.contact_id.in_(contact_ids))
        .order_by(func.lower(Tag.name))
    )
    for contact_id, tag in rows.all():
        found[contact_id].append(tag)
    return found


def _summary(
    contact: Contact, stage: dict[str, Any] | None, tags: list[Tag], avatar: str | None
) -> dict[str, Any]:
    return {
        "id": str(contact.id),
        "publicId": contact.public_id,
        "name": contact.name,
        "pushName": contact.push_name,
        "displayName": display_name(contact),
        "phoneNumber": contact.phone_number,
        "email": contact.email,
        "isBlocked": contact.is_blocked,
        "avatarUrl": avatar,
        "source": contact.source,
        "tags": [tag_brief(t) for t in tags],
        "currentStage": stage,
        "lastActivityAt": iso(contact.last_activity_at),
        "createdAt": iso(contact.created_at),
        "updatedAt": iso(contact.updated_at),
    }


async def summaries(
    session: AsyncSession, settings: Settings, company_id: uuid.UUID, rows: list[ContactRow]
) -> list[dict[str, Any]]:
    tags = await tags_of(session, company_id, [contact.id for contact, _, _ in rows])
    return [
        _summary(
            contact, stage_out(stage, funnel), tags.get(contact.id, []), await avatar_url(settings, contact)
        )
        for contact, stage, funnel in rows
    ]


async def detail(session: AsyncSession, settings: Settings, row: ContactRow) -> dict[str, Any]:
    contact = row[0]
    [summary] = await summaries(session, settings, contact.company_id, [row])
    conversations = (
        await session.execute(
            select(Conversation, WhatsAppInstance.name)
            .join(WhatsAppInstance, WhatsAppInstance.id == Conversation.instance_id)
            .where(Conversation.company_id == contact.company_id, Conversation.contact_id == contact.id)
            .order_by(Conversation.last_message_at.desc().nulls_last())
        )
    ).all()
    deals = (
        await session.execute(
            select(Deal, Stage.name)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Deal.company_id == contact.company_id, Deal.contact_id == contact.id)
            .order_by(Deal.created_at.desc())
        )
    ).all()
    # The AI's reading of the person lives on their most recent conversation.
    state = next((c.ai_state for c, _ in conversations if c.ai_state), None)
    return {
        **summary,
        "notes": contact.notes,
        "customFields": contact.custom_fields or {},
        "conversations": [
            {
                "id": str(c.id),
                "instanceId": str(c.instance_id),
                "instanceName": name,
                "lastMessageAt": iso(c.last_message_at),
                "unreadCount": c.unread_count,
            }
            for c, name in conversations
        ],
        "deals": [
            {
                "id": str(d.id),
                "title": d.title,
                "value": float(d.value),
                "status": d.status,
                "stage": {"id": str(d.stage_id), "name": stage_name},
                "funnelId": str(d.funnel_id),
            }
            for d, stage_name in deals
        ],
        "aiProfile": _ai_profile(contact, state),
    }


def _ai_profile(contact: Contact, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the AI's analyses found: the latest mood, and the person's interests, preferences,
    key facts and style gathered across conversations."""
    learnt = contact.ai_profile or {}
    if not state and not learnt:
        return None
    return {
        "sentiment": state.get("sentiment") if state else None,
        "urgency": state.get("urgency") if state else None,
        "summary": state.get("summary") if state else None,
        "interests": learnt.get("interests", []),
        "preferences": learnt.get("preferences", []),
        "keyFacts": learnt.get("keyFacts", []),
        "communicationStyle": learnt.get("communicationStyle"),
        "updatedAt": iso(contact.ai_profile_updated_at),
    }
