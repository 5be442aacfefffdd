"""AI: reply settings per instance, prompt versions, onboarding answers, a company's own key, usage.

Revision ID: 0006_ai
Revises: 0005_read_paths
Create Date: 2026-11-29 09:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0006_ai"
down_revision: str | None = "0005_read_paths"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ai_usage", "ai_company_keys", "ai_onboardings", "ai_prompt_versions")


def _company() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False)


def _instance(**kwargs: object) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "instance_id",
        sa.Uuid,
        sa.ForeignKey("whatsapp_instances.id", ondelete="CASCADE"),
        nullable=False,
        **kwargs,  # type: ignore[arg-type]
    )


def _user(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL"))


def _now(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.add_column(
        "whatsapp_instances",
        sa.Column("ai_enabled", sa.Boolean, server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "whatsapp_instances",
        sa.Column("ai_autonomy", sa.SmallInteger, server_default=sa.text("0"), nullable=False),
    )
    op.add_column(
        "whatsapp_instances",
        sa.Column("ai_quiet_seconds", sa.SmallInteger, server_default=sa.text("10"), nullable=False),
    )
    op.add_column("whatsapp_instances", sa.Column("ai_fallback_reply", sa.Text))
    op.add_column("whatsapp_conversations", sa.Column("ai_answered_through", sa.BigInteger))
    op.add_column("whatsapp_conversations", sa.Column("ai_turn_id", sa.Uuid))
    op.add_column("whatsapp_conversations", sa.Column("ai_turn_until", sa.DateTime(timezone=True)))

    op.create_table(
        "ai_prompt_versions",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        _instance(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("restored_from", sa.Integer),
        _user("created_by"),
        _now("created_at"),
    )
    op.create_index(
        "uq_ai_prompt_versions_version", "ai_prompt_versions", ["instance_id", "version"], unique=True
    )
    op.create_table(
        "ai_onboardings",
        _instance(primary_key=True),
        _company(),
        sa.Column("data", postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("current_step", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("is_complete", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        _now("created_at"),
        _now("updated_at"),
    )
    op.create_table(
        "ai_company_keys",
        sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("api_key_encrypted", sa.Text, nullable=False),
        sa.Column("key_hint", sa.String(12), nullable=False),
        sa.Column("model", sa.String(80)),
        _user("updated_by"),
        _now("updated_at"),
    )
    op.create_table(
        "ai_usage",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("feature", sa.String(20), nullable=False),
        sa.Column("model", sa.String(80), nullable=False),
        sa.Column("key_source", sa.String(10), nullable=False),
        sa.Column("prompt_tokens", sa.Integer, nullable=False, server_default="0"),
        sa.Column("completion_tokens", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cost_usd", sa.Numeric(12, 6), nullable=False, server_default="0"),
        sa.Column("ok", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("error", sa.String(200)),
        _now("created_at"),
    )
    op.create_index("ix_ai_usage_company_created", "ai_usage", ["company_id", "created_at"])
    for table in TABLES:
        for statement in enable_rls(table):
            op.execute(statement)
    op.execute(grant_app_role())


def downgrade() -> None:
    for table in TABLES:
        for statement in disable_rls(table):
            op.execute(statement)
        op.drop_table(table)
    for column in ("ai_turn_until", "ai_turn_id", "ai_answered_through"):
        op.drop_column("whatsapp_conversations", column)
    for column in ("ai_fallback_reply", "ai_quiet_seconds", "ai_autonomy", "ai_enabled"):
        op.drop_column("whatsapp_instances", column)
