from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin

PENDING = text("status = 'PENDING'")


class FollowupRule(IdMixin, TimestampMixin, Base):
    """When to follow up with a quiet or changed lead, and what to send (evoai/followups/)."""

    __tablename__ = "followup_rules"
    __table_args__ = (Index("ix_followup_rules_company", "company_id", "trigger_type"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    instance_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("whatsapp_instances.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    trigger_type: Mapped[str] = mapped_column(String(30))
    trigger_config: Mapped[dict[str, Any]] = mapped_column(JSONB)
    action_type: Mapped[str] = mapped_column(String(20))  # TEMPLATE | AI_GENERATED
    action_template: Mapped[str | None] = mapped_column(Text)
    action_config: Mapped[dict[str, Any]] = mapped_column(JSONB)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONB)
    post_actions: Mapped[dict[str, Any]] = mapped_column(JSONB)
    max_followups_per_contact: Mapped[int] = mapped_column(Integer)
    min_interval_hours: Mapped[int] = mapped_column(Integer)
    min_hours_since_response: Mapped[int | None] = mapped_column(Integer)
    respect_business_hours: Mapped[bool] = mapped_column(Boolean)
    business_hours_start: Mapped[str | None] = mapped_column(String(5))
    business_hours_end: Mapped[str | None] = mapped_column(String(5))
    allowed_days: Mapped[list[str]] = mapped_column(ARRAY(String(3)))
    ai_validation_enabled: Mapped[bool] = mapped_column(Boolean)
    ai_validation_prompt: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class Followup(IdMixin, TimestampMixin, Base):
    """One scheduled follow-up: PENDING in the queue, then SENT, RESPONDED, CANCELLED or FAILED history.

    The database is what is scheduled; BullMQ's delayed jobs are only alarms re-created from here."""

    __tablename__ = "followups"
    __table_args__ = (
        Index(
            "ix_followups_one_pending", "rule_id", "conversation_id", unique=True, postgresql_where=PENDING
        ),
        Index("ix_followups_due", "scheduled_for", postgresql_where=PENDING),
        Index("ix_followups_conversation", "conversation_id", "status", "sent_at"),
        Index("ix_followups_company_created", "company_id", "created_at"),
        Index("ix_followups_contact", "contact_id", "status"),
        Index("ix_followups_rule", "rule_id", "status"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    rule_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("followup_rules.id", ondelete="SET NULL")
    )
    rule_name: Mapped[str] = mapped_column(String(120))  # kept for history when the rule is deleted
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("whatsapp_conversations.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="CASCADE"))
    trigger_type: Mapped[str] = mapped_column(String(30))
    basis_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # when the trigger happened
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # basis + the rule's delay
    scheduled_for: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # due, moved into hours
    # The scheduled_for a BullMQ alarm (delayed job) exists for; NULL or different: none yet.
    alarm_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What triggered it ({stageId}, {tagId}, {dealId}, {sentiment}): re-checked when it fires.
    context: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(12))
    attempt: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10))  # rule | manual
    message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    text: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class CompanyHoliday(IdMixin, Base):
    """A day the company does not work: follow-ups due on it wait for the next working window."""

    __tablename__ = "company_holidays"
    __table_args__ = (UniqueConstraint("company_id", "day", name="uq_company_holidays_company_id"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
