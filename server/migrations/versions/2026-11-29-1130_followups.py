"""Follow-ups: rules, the follow-ups they schedule (queue and history in one table), company holidays.

Revision ID: 0011_followups
Revises: 0010_dead_letters
Create Date: 2026-11-29 11:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0011_followups"
down_revision: str | None = "0010_dead_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("followups", "followup_rules", "company_holidays")


def _company() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False)


def _timestamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "followup_rules",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("instance_id", sa.Uuid, sa.ForeignKey("whatsapp_instances.id", ondelete="SET NULL")),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("trigger_type", sa.String(30), nullable=False),
        sa.Column("trigger_config", postgresql.JSONB, nullable=False),
        sa.Column("action_type", sa.String(20), nullable=False),
        sa.Column("action_template", sa.Text),
        sa.Column("action_config", postgresql.JSONB, nullable=False),
        sa.Column("conditions", postgresql.JSONB, nullable=False),
        sa.Column("post_actions", postgresql.JSONB, nullable=False),
        sa.Column("max_followups_per_contact", sa.Integer, nullable=False),
        sa.Column("min_interval_hours", sa.Integer, nullable=False),
        sa.Column("min_hours_since_response", sa.Integer),
        sa.Column("respect_business_hours", sa.Boolean, nullable=False),
        sa.Column("business_hours_start", sa.String(5)),
        sa.Column("business_hours_end", sa.String(5)),
        sa.Column("allowed_days", postgresql.ARRAY(sa.String(3)), nullable=False),
        sa.Column("ai_validation_enabled", sa.Boolean, nullable=False),
        sa.Column("ai_validation_prompt", sa.Text),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        *_timestamps(),
    )
    op.create_index("ix_followup_rules_company", "followup_rules", ["company_id", "trigger_type"])
    op.create_table(
        "followups",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("rule_id", sa.Uuid, sa.ForeignKey("followup_rules.id", ondelete="SET NULL")),
        sa.Column("rule_name", sa.String(120), nullable=False),
        sa.Column(
            "conversation_id", sa.Uuid, sa.ForeignKey("whatsapp_conversations.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("contact_id", sa.Uuid, sa.ForeignKey("contacts.id", ondelete="CASCADE")),
        sa.Column("trigger_type", sa.String(30), nullable=False),
        sa.Column("basis_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alarm_for", sa.DateTime(timezone=True)),
        sa.Column("context", postgresql.JSONB, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("message_id", sa.Uuid),
        sa.Column("text", sa.Text),
        sa.Column("reason", sa.String(300)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        *_timestamps(),
    )
    # One pending follow-up per rule and conversation: a trigger firing again updates or keeps it.
    op.create_index(
        "ix_followups_one_pending",
        "followups",
        ["rule_id", "conversation_id"],
        unique=True,
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_index(
        "ix_followups_due", "followups", ["scheduled_for"], postgresql_where=sa.text("status = 'PENDING'")
    )
    # The conversation's pending ones (a reply answers them) and its sent ones (sequence, interval).
    op.create_index("ix_followups_conversation", "followups", ["conversation_id", "status", "sent_at"])
    op.create_index("ix_followups_company_created", "followups", ["company_id", "created_at"])
    op.create_index("ix_followups_contact", "followups", ["contact_id", "status"])
    op.create_index("ix_followups_rule", "followups", ["rule_id", "status"])
    op.create_table(
        "company_holidays",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("company_id", "day", name="uq_company_holidays_company_id"),
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
