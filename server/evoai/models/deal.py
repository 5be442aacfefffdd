"""Deals (negotiations) with their notes, attachments, activity log and time spent per stage."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin

DEAL_STATUSES = ("OPEN", "WON", "LOST")


class Deal(IdMixin, TimestampMixin, Base):
    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_board", "company_id", "funnel_id", "stage_id", "position"),
        Index("ix_deals_stage_status", "stage_id", "status"),
        Index("ix_deals_contact", "contact_id"),
        CheckConstraint("status IN ('OPEN','WON','LOST')", name="status"),
        CheckConstraint("value >= 0", name="value"),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    funnel_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("funnels.id", ondelete="CASCADE"))
    stage_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("funnel_stages.id"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="SET NULL"))
    cloned_from_deal_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("deals.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="OPEN")
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    priority: Mapped[str | None] = mapped_column(String(10))
    # Order inside a board column; fractional so a drop between two cards rewrites one row.
    position: Mapped[float] = mapped_column(Float, default=0.0)
    stage_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class DealNote(IdMixin, TimestampMixin, Base):
    __tablename__ = "deal_notes"
    __table_args__ = (Index("ix_deal_notes_deal", "deal_id", "created_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    deal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("deals.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")  # plain text, derived from the HTML
    content_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on the way in


class DealAttachment(IdMixin, Base):
    __tablename__ = "deal_attachments"
    __table_args__ = (Index("ix_deal_attachments_deal", "deal_id", "created_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    deal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("deals.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(255))
    file_key: Mapped[str] = mapped_column(String(300))
    file_size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(120))
    storage_provider: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DealActivity(IdMixin, Base):
    """The spec's activity types: CREATED, UPDATED, STAGE_CHANGED, STATUS_CHANGED, NOTE_ADDED, …"""

    __tablename__ = "deal_activities"
    __table_args__ = (Index("ix_deal_activities_deal", "deal_id", "created_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    deal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("deals.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(12), default="user")  # user | ai | automation | system
    type: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DealStagePeriod(IdMixin, Base):
    """A stay of a deal in a stage; funnel stats (time in stage, stage-to-stage conversion) read these."""

    __tablename__ = "deal_stage_periods"
    __table_args__ = (
        Index("ix_deal_stage_periods_stage", "stage_id", "entered_at"),
        Index("ix_deal_stage_periods_deal", "deal_id", "entered_at"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    deal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("deals.id", ondelete="CASCADE"))
    funnel_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("funnels.id", ondelete="CASCADE"))
    stage_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("funnel_stages.id", ondelete="CASCADE"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    exited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
