from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.kit.text import fold_sql
from evoai.models.base import Base, IdMixin, TimestampMixin

SEARCH_TEXT = fold_sql(
    "coalesce(name, '') || ' ' || coalesce(push_name, '') || ' ' || coalesce(email, '')"
    " || ' ' || coalesce(phone_number, '')"
)


class Contact(IdMixin, TimestampMixin, Base):
    """A person the company talks to. One row per person per company (docs/decisions.md, identity)."""

    __tablename__ = "contacts"
    __table_args__ = (
        # The identity keys: a normalised phone (Brazil's 9th digit folded) and, when the gateway
        # gives nothing else, the WhatsApp LID.
        Index(
            "uq_contacts_phone_key",
            "company_id",
            "phone_key",
            unique=True,
            postgresql_where=text("phone_key IS NOT NULL"),
        ),
        Index("uq_contacts_lid", "company_id", "lid", unique=True, postgresql_where=text("lid IS NOT NULL")),
        Index("ix_contacts_company_created", "company_id", "created_at"),
        Index("ix_contacts_company_activity", "company_id", text("last_activity_at DESC NULLS LAST")),
        Index("ix_contacts_stage", "stage_id"),
        Index(
            "ix_contacts_search",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(255))
    push_name: Mapped[str | None] = mapped_column(String(255))
    phone_number: Mapped[str | None] = mapped_column(String(20))  # E.164 digits as WhatsApp uses them
    phone_key: Mapped[str | None] = mapped_column(String(20))
    lid: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(255))
    is_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="whatsapp")
    avatar_key: Mapped[str | None] = mapped_column(String(255))
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # What the AI learnt from the conversations (issue 5): interests, preferences, key facts, style.
    ai_profile: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ai_profile_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    funnel_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("funnels.id", ondelete="SET NULL"))
    stage_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("funnel_stages.id", ondelete="SET NULL")
    )
    stage_entered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Name, e-mail and phone folded to lower case without accents, for the trigram-indexed search.
    search_text: Mapped[str] = mapped_column(Text, Computed(SEARCH_TEXT, persisted=True))
