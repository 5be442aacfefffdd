"""The AI's configuration and bookkeeping: prompt versions, onboarding answers, a company's own key,
and the tokens every model call used."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin


class PromptVersion(IdMixin, Base):
    """Every save of an instance's prompt is a new version; the highest is the one in use."""

    __tablename__ = "ai_prompt_versions"
    __table_args__ = (Index("uq_ai_prompt_versions_version", "instance_id", "version", unique=True),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    instance_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("whatsapp_instances.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # manual | generated | restored
    restored_from: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Onboarding(Base):
    """The guided onboarding's answers for one instance, saved step by step."""

    __tablename__ = "ai_onboardings"

    instance_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("whatsapp_instances.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    current_step: Mapped[int] = mapped_column(SmallInteger, default=0)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CompanyAIKey(Base):
    """A company's own OpenAI-compatible key (AES-256-GCM under ENCRYPTION_KEY); it goes before the
    platform's."""

    __tablename__ = "ai_company_keys"

    company_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    api_key_encrypted: Mapped[str] = mapped_column(Text)
    key_hint: Mapped[str] = mapped_column(String(12))  # last characters, to recognise it
    model: Mapped[str | None] = mapped_column(String(80))
    updated_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Usage(IdMixin, Base):
    """One model call: what it was for, its tokens and cost (failed calls too, with zero tokens)."""

    __tablename__ = "ai_usage"
    __table_args__ = (Index("ix_ai_usage_company_created", "company_id", "created_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    feature: Mapped[str] = mapped_column(String(20))  # reply | preview | analysis | embedding | assistant
    model: Mapped[str] = mapped_column(String(80))
    key_source: Mapped[str] = mapped_column(String(10))  # company | platform
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal(0))
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AssistantConversation(IdMixin, Base):
    """A team member's chat with the internal assistant (private to that member)."""

    __tablename__ = "ai_assistant_conversations"
    __table_args__ = (
        Index("ix_ai_assistant_conversations_user", "company_id", "user_id", "last_message_at"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AssistantMessage(IdMixin, Base):
    __tablename__ = "ai_assistant_messages"
    __table_args__ = (Index("ix_ai_assistant_messages_conversation", "conversation_id", "created_at"),)

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("ai_assistant_conversations.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(String(10))  # user | assistant
    content: Mapped[str] = mapped_column(Text)
    # The read-only tools the answer used (name, arguments), to show where numbers came from.
    tools: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
