"""WhatsApp tables: gateway credentials, instances, conversations, messages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin


class ProviderCredential(IdMixin, TimestampMixin, Base):
    __tablename__ = "whatsapp_provider_credentials"
    __table_args__ = (
        Index(
            "uq_provider_credentials_active",
            "company_id",
            "provider",
            unique=True,
            postgresql_where=text("is_active"),
        ),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(20))
    api_url: Mapped[str] = mapped_column(String(500))
    api_key_encrypted: Mapped[str] = mapped_column(Text)  # AES-256-GCM under ENCRYPTION_KEY
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class WhatsAppInstance(IdMixin, TimestampMixin, Base):
    __tablename__ = "whatsapp_instances"
    __table_args__ = (
        Index(
            "uq_whatsapp_instances_name",
            "company_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    credential_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("whatsapp_provider_credentials.id", ondelete="SET NULL")
    )
    provider: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))  # what users see
    # What the gateway knows it by: unique across companies because one gateway serves many.
    gateway_name: Mapped[str] = mapped_column(String(80), unique=True)
    gateway_token_encrypted: Mapped[str | None] = mapped_column(Text)
    webhook_secret_encrypted: Mapped[str] = mapped_column(Text)
    connection_status: Mapped[str] = mapped_column(String(20), default="close")
    phone_number: Mapped[str | None] = mapped_column(String(20))
    profile_name: Mapped[str | None] = mapped_column(String(255))
    qr_code: Mapped[str | None] = mapped_column(Text)
    pairing_code: Mapped[str | None] = mapped_column(String(20))
    last_event_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_reconciled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    # The AI's reply settings (issue 5): off until someone turns it on.
    ai_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    ai_autonomy: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    ai_quiet_seconds: Mapped[int] = mapped_column(SmallInteger, default=10, server_default=text("10"))
    ai_fallback_reply: Mapped[str | None] = mapped_column(Text)
    # Deleting keeps the row so conversations keep their history (soft delete).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Conversation(IdMixin, TimestampMixin, Base):
    __tablename__ = "whatsapp_conversations"
    __table_args__ = (
        Index("uq_whatsapp_conversations_chat", "instance_id", "chat_key", unique=True),
        # In the order the inbox list reads it (newest first, empty conversations last).
        Index(
            "ix_whatsapp_conversations_list",
            "company_id",
            "is_archived",
            text("last_message_at DESC NULLS LAST"),
            text("id DESC"),
        ),
        Index(
            "ix_whatsapp_conversations_unread",
            "company_id",
            postgresql_where=text("unread_count > 0 AND NOT is_archived"),
        ),
        Index("ix_whatsapp_conversations_contact", "contact_id"),
        Index("ix_whatsapp_conversations_inbound", "last_inbound_at"),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    instance_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("whatsapp_instances.id"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="SET NULL"))
    # "contact:<uuid>" for 1:1 chats, the group JID for groups: one conversation per chat and instance.
    chat_key: Mapped[str] = mapped_column(String(120))
    chat_jid: Mapped[str] = mapped_column(String(120))  # where replies go
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(String(255))
    contact_number: Mapped[str] = mapped_column(String(40))
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_reason: Mapped[str | None] = mapped_column(String(40))
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_message_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    ai_state: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # The AI's turns (issue 5): the newest customer message (public_id) a turn has answered, and
    # the lease of the one turn in flight, so that a burst gets exactly one answer.
    ai_answered_through: Mapped[int | None] = mapped_column(BigInteger)
    ai_turn_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    ai_turn_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Message(IdMixin, Base):
    __tablename__ = "whatsapp_messages"
    __table_args__ = (
        # Idempotency of webhooks: one row per gateway message per instance.
        Index(
            "uq_whatsapp_messages_gateway_id",
            "instance_id",
            "gateway_message_id",
            unique=True,
            postgresql_where=text("gateway_message_id IS NOT NULL"),
        ),
        Index("ix_whatsapp_messages_timeline", "conversation_id", "sent_at", "public_id"),
        Index("ix_whatsapp_messages_company_month", "company_id", "direction", "created_at"),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("whatsapp_conversations.id", ondelete="CASCADE")
    )
    instance_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("whatsapp_instances.id"))
    gateway_message_id: Mapped[str | None] = mapped_column(String(128))
    direction: Mapped[str] = mapped_column(String(10))  # RECEIVED | SENT (spec's message_type)
    kind: Mapped[str] = mapped_column(String(20), default="text")
    status: Mapped[str] = mapped_column(String(12))
    status_rank: Mapped[int] = mapped_column(SmallInteger, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    from_me: Mapped[bool] = mapped_column(Boolean, default=False)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    author_name: Mapped[str | None] = mapped_column(String(255))
    author_phone: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)
    reply_to_gateway_id: Mapped[str | None] = mapped_column(String(128))
    reply_to_text: Mapped[str | None] = mapped_column(Text)
    media_kind: Mapped[str | None] = mapped_column(String(20))
    media_mime: Mapped[str | None] = mapped_column(String(120))
    media_file_name: Mapped[str | None] = mapped_column(String(255))
    media_size: Mapped[int | None] = mapped_column(BigInteger)
    media_seconds: Mapped[int | None] = mapped_column(Integer)
    media_key: Mapped[str | None] = mapped_column(String(300))
    media_state: Mapped[str | None] = mapped_column(String(12))  # pending | stored | failed | rejected
    extra: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # location, contact cards
    reactions: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # reactor -> emoji
    ai_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # The gateway's message object, for media downloads; dropped once the media is stored.
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # WhatsApp's timestamp
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class PendingReceipt(Base):
    """A delivery/read receipt that arrived before its message (gateways deliver out of order)."""

    __tablename__ = "whatsapp_pending_receipts"

    instance_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("whatsapp_instances.id", ondelete="CASCADE"), primary_key=True
    )
    gateway_message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    status_rank: Mapped[int] = mapped_column(SmallInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
