from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Identity, Index, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin


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
