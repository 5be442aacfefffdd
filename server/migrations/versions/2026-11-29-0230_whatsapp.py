"""WhatsApp messaging: provider credentials, instances, contacts, conversations, messages.

Revision ID: 0003_whatsapp
Revises: 0002_invitations
Create Date: 2026-11-29 02:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0003_whatsapp"
down_revision: str | None = "0002_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "whatsapp_pending_receipts",
    "whatsapp_messages",
    "whatsapp_conversations",
    "whatsapp_instances",
    "contacts",
    "whatsapp_provider_credentials",
)


def _company() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False)


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _public_id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("public_id", sa.BigInteger, sa.Identity(), nullable=False, unique=True)


def upgrade() -> None:
    op.create_table(
        "whatsapp_provider_credentials",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("api_url", sa.String(500), nullable=False),
        sa.Column("api_key_encrypted", sa.Text, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        *_timestamps(),
        sa.CheckConstraint("provider IN ('EVOLUTION','UAZAPI')", name="provider"),
    )
    op.create_index(
        "uq_provider_credentials_active",
        "whatsapp_provider_credentials",
        ["company_id", "provider"],
        unique=True,
        postgresql_where=sa.text("is_active"),
    )

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid, primary_key=True),
        _public_id(),
        _company(),
        sa.Column("name", sa.String(255)),
        sa.Column("push_name", sa.String(255)),
        sa.Column("phone_number", sa.String(20)),
        sa.Column("phone_key", sa.String(20)),
        sa.Column("lid", sa.String(40)),
        sa.Column("email", sa.String(255)),
        sa.Column("is_blocked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("source", sa.String(20), nullable=False, server_default="whatsapp"),
        sa.Column("avatar_key", sa.String(255)),
        sa.Column("last_activity_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        *_timestamps(),
    )
    op.create_index(
        "uq_contacts_phone_key",
        "contacts",
        ["company_id", "phone_key"],
        unique=True,
        postgresql_where=sa.text("phone_key IS NOT NULL"),
    )
    op.create_index(
        "uq_contacts_lid",
        "contacts",
        ["company_id", "lid"],
        unique=True,
        postgresql_where=sa.text("lid IS NOT NULL"),
    )
    op.create_index("ix_contacts_company_created", "contacts", ["company_id", "created_at"])

    op.create_table(
        "whatsapp_instances",
        sa.Column("id", sa.Uuid, primary_key=True),
        _public_id(),
        _company(),
        sa.Column(
            "credential_id", sa.Uuid, sa.ForeignKey("whatsapp_provider_credentials.id", ondelete="SET NULL")
        ),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("gateway_name", sa.String(80), nullable=False, unique=True),
        sa.Column("gateway_token_encrypted", sa.Text),
        sa.Column("webhook_secret_encrypted", sa.Text, nullable=False),
        sa.Column("connection_status", sa.String(20), nullable=False, server_default="close"),
        sa.Column("phone_number", sa.String(20)),
        sa.Column("profile_name", sa.String(255)),
        sa.Column("qr_code", sa.Text),
        sa.Column("pairing_code", sa.String(20)),
        sa.Column("last_event_at", sa.DateTime(timezone=True)),
        sa.Column("last_reconciled_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.CheckConstraint("connection_status IN ('close','qrcode','connecting','open')", name="status"),
    )
    op.create_index(
        "uq_whatsapp_instances_name",
        "whatsapp_instances",
        ["company_id", "name"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )

    op.create_table(
        "whatsapp_conversations",
        sa.Column("id", sa.Uuid, primary_key=True),
        _public_id(),
        _company(),
        sa.Column("instance_id", sa.Uuid, sa.ForeignKey("whatsapp_instances.id"), nullable=False),
        sa.Column("contact_id", sa.Uuid, sa.ForeignKey("contacts.id", ondelete="SET NULL")),
        sa.Column("chat_key", sa.String(120), nullable=False),
        sa.Column("chat_jid", sa.String(120), nullable=False),
        sa.Column("is_group", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("title", sa.String(255)),
        sa.Column("contact_number", sa.String(40), nullable=False),
        sa.Column("is_paused", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("paused_reason", sa.String(40)),
        sa.Column("is_archived", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("unread_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_message_at", sa.DateTime(timezone=True)),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True)),
        sa.Column("last_read_at", sa.DateTime(timezone=True)),
        sa.Column("last_message_id", sa.Uuid),
        sa.Column("ai_state", postgresql.JSONB),
        *_timestamps(),
    )
    op.create_index(
        "uq_whatsapp_conversations_chat", "whatsapp_conversations", ["instance_id", "chat_key"], unique=True
    )
    op.create_index(
        "ix_whatsapp_conversations_list",
        "whatsapp_conversations",
        ["company_id", "is_archived", "last_message_at"],
    )
    op.create_index("ix_whatsapp_conversations_contact", "whatsapp_conversations", ["contact_id"])

    op.create_table(
        "whatsapp_messages",
        sa.Column("id", sa.Uuid, primary_key=True),
        _public_id(),
        _company(),
        sa.Column(
            "conversation_id",
            sa.Uuid,
            sa.ForeignKey("whatsapp_conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("instance_id", sa.Uuid, sa.ForeignKey("whatsapp_instances.id"), nullable=False),
        sa.Column("gateway_message_id", sa.String(128)),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False, server_default="text"),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("status_rank", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("from_me", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("is_bot", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("sent_by_user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("author_name", sa.String(255)),
        sa.Column("author_phone", sa.String(40)),
        sa.Column("text", sa.Text),
        sa.Column("reply_to_gateway_id", sa.String(128)),
        sa.Column("reply_to_text", sa.Text),
        sa.Column("media_kind", sa.String(20)),
        sa.Column("media_mime", sa.String(120)),
        sa.Column("media_file_name", sa.String(255)),
        sa.Column("media_size", sa.BigInteger),
        sa.Column("media_seconds", sa.Integer),
        sa.Column("media_key", sa.String(300)),
        sa.Column("media_state", sa.String(12)),
        sa.Column("extra", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("reactions", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("ai_metadata", postgresql.JSONB),
        sa.Column("raw", postgresql.JSONB),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.CheckConstraint("direction IN ('RECEIVED','SENT')", name="direction"),
    )
    op.create_index(
        "uq_whatsapp_messages_gateway_id",
        "whatsapp_messages",
        ["instance_id", "gateway_message_id"],
        unique=True,
        postgresql_where=sa.text("gateway_message_id IS NOT NULL"),
    )
    op.create_index(
        "ix_whatsapp_messages_timeline", "whatsapp_messages", ["conversation_id", "sent_at", "public_id"]
    )
    op.create_index(
        "ix_whatsapp_messages_company_month", "whatsapp_messages", ["company_id", "direction", "created_at"]
    )

    op.create_table(
        "whatsapp_pending_receipts",
        sa.Column(
            "instance_id",
            sa.Uuid,
            sa.ForeignKey("whatsapp_instances.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("gateway_message_id", sa.String(128), primary_key=True),
        _company(),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("status_rank", sa.SmallInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )

    for table in TABLES:
        for statement in enable_rls(table):
            op.execute(statement)
    op.execute(grant_app_role())


def downgrade() -> None:
    for table in TABLES:
        for statement in disable_rls(table):
            op.execute(statement)
        op.drop_table(table)
