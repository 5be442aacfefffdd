"""Foundation: users, profiles, sessions, companies, memberships, notifications, outbox; RLS.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29 00:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import CURRENT_COMPANY, CURRENT_USER, disable_rls, enable_rls, grant_app_role

revision: str = "0001_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("now()")


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    ]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    op.create_table(
        "companies",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("public_id", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("plan_type", sa.String(20), nullable=False, server_default="free"),
        sa.Column("plan_changed_at", sa.DateTime(timezone=True)),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="America/Sao_Paulo"),
        sa.Column("features", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("trial_expires_at", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.CheckConstraint("plan_type IN ('free','pro','business','enterprise')", name="plan_type"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("public_id", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("is_super_admin", sa.Boolean, nullable=False, server_default=sa.false()),
        *_timestamps(),
    )
    op.create_table(
        "profiles",
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("full_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("phone", sa.String(32)),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="America/Sao_Paulo"),
        sa.Column("locale", sa.String(10), nullable=False, server_default="pt-BR"),
        sa.Column("active_company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="SET NULL")),
        *_timestamps(),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("permissions", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.UniqueConstraint("user_id", "company_id", name="uq_memberships_user_company"),
        sa.CheckConstraint("role IN ('admin','coordinator','member')", name="role"),
    )
    op.create_index("ix_memberships_company_id", "memberships", ["company_id"])
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="SET NULL")),
        sa.Column("user_agent", sa.String(500)),
        sa.Column("ip_address", sa.String(45)),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_reason", sa.String(40)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_index("ix_sessions_expires_at", "sessions", ["expires_at"])
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("session_id", sa.Uuid, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_refresh_tokens_session_id", "refresh_tokens", ["session_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("data", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("dedupe_key", sa.String(200), unique=True),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ix_notifications_user_created", "notifications", ["company_id", "user_id", "created_at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("queue", sa.String(60), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("payload", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("options", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("dead_at", sa.DateTime(timezone=True)),
        sa.Column("key", sa.Uuid, nullable=False, unique=True, server_default=sa.text("gen_random_uuid()")),
    )
    op.create_index("ix_outbox_pending", "outbox", ["id"],
                    postgresql_where=sa.text("sent_at IS NULL AND dead_at IS NULL"))

    member_of = f"id IN (SELECT m.company_id FROM memberships m WHERE m.user_id = {CURRENT_USER})"
    statements = [
        *enable_rls("companies", tenant=f"id = {CURRENT_COMPANY}", also_readable=member_of),
        *enable_rls("memberships", also_readable=f"user_id = {CURRENT_USER}"),
        *enable_rls("notifications"),
    ]
    for statement in statements:
        op.execute(statement)
    op.execute(grant_app_role())


def downgrade() -> None:
    for table in ("notifications", "memberships", "companies"):
        for statement in disable_rls(table):
            op.execute(statement)
    for table in ("outbox", "notifications", "refresh_tokens", "sessions", "memberships", "profiles", "users",
                  "companies"):
        op.drop_table(table)

