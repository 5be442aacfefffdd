"""Contacts' tags, notes and history timeline."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, String, Text, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin


class Tag(IdMixin, TimestampMixin, Base):
    __tablename__ = "contact_tags"
    __table_args__ = (Index("uq_contact_tags_name", "company_id", text("lower(name)"), unique=True),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str] = mapped_column(String(7), default="#6B7280")
    description: Mapped[str | None] = mapped_column(String(500))
    # The AI may add or remove an AI-managed tag on its own (issue 5); people can always.
    is_ai_managed: Mapped[bool] = mapped_column(Boolean, default=False)


class TagAssignment(Base):
    __tablename__ = "contact_tag_assignments"
    __table_args__ = (Index("ix_contact_tag_assignments_tag", "tag_id"),)

    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contact_tags.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ContactNote(IdMixin, TimestampMixin, Base):
    __tablename__ = "contact_notes"
    __table_args__ = (Index("ix_contact_notes_contact", "contact_id", "created_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    content: Mapped[str] = mapped_column(Text)


class ContactEvent(IdMixin, Base):
    """One entry of a contact's history: who (a person, the AI, an automation) did what, and why.

    Messages are not copied here; the timeline reads them from whatsapp_messages.
    """

    __tablename__ = "contact_events"
    __table_args__ = (
        Index("ix_contact_events_contact", "contact_id", "created_at"),
        Index("ix_contact_events_company_type", "company_id", "type", "created_at"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(12), default="user")  # user | ai | automation | system
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class QuickReply(IdMixin, TimestampMixin, Base):
    """A canned answer picked in the chat box with `/shortcut`; company-wide when user_id is NULL."""

    __tablename__ = "quick_replies"
    __table_args__ = (
        Index(
            "uq_quick_replies_shortcut",
            "company_id",
            text("coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid)"),
            text("lower(shortcut)"),
            unique=True,
        ),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    shortcut: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)


class PrivacyErasure(IdMixin, Base):
    """The audit line kept when a contact is erased on request (LGPD): who, when, how much; no personal
    data."""

    __tablename__ = "privacy_erasures"

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    contact_public_id: Mapped[int] = mapped_column(BigInteger)
    erased_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
