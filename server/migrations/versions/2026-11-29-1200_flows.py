"""Automation flows and their executions (docs/api-flows.md).

Revision ID: 0012_flows
Revises: 0011_followups
Create Date: 2026-11-29 12:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0012_flows"
down_revision: str | None = "0011_followups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("flow_executions", "automation_flows")
LIVE = sa.text("status IN ('RUNNING', 'WAITING')")


def _company() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "automation_flows",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("trigger_type", sa.String(30), nullable=False),
        sa.Column("nodes", postgresql.JSONB, nullable=False),
        sa.Column("connections", postgresql.JSONB, nullable=False),
        sa.Column("webhook_secret", sa.String(64), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index(
        "ix_automation_flows_trigger",
        "automation_flows",
        ["company_id", "trigger_type"],
        postgresql_where=sa.text("is_active"),
    )
    op.create_table(
        "flow_executions",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("flow_id", sa.Uuid, sa.ForeignKey("automation_flows.id", ondelete="SET NULL")),
        sa.Column("flow_name", sa.String(120), nullable=False),
        sa.Column("contact_id", sa.Uuid, sa.ForeignKey("contacts.id", ondelete="SET NULL")),
        sa.Column(
            "conversation_id", sa.Uuid, sa.ForeignKey("whatsapp_conversations.id", ondelete="SET NULL")
        ),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("current_node_id", sa.String(64)),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("waiting_until", sa.DateTime(timezone=True)),
        sa.Column("wait_kind", sa.String(10)),
        sa.Column("alarm_for", sa.DateTime(timezone=True)),
        sa.Column("variables", postgresql.JSONB, nullable=False),
        sa.Column("path", postgresql.JSONB, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_flow_executions_flow", "flow_executions", ["flow_id", "started_at"])
    op.create_index("ix_flow_executions_company", "flow_executions", ["company_id", "started_at"])
    op.create_index(
        "ix_flow_executions_due",
        "flow_executions",
        ["waiting_until"],
        postgresql_where=sa.text("status = 'WAITING'"),
    )
    op.create_index(
        "ix_flow_executions_live", "flow_executions", ["status", "updated_at"], postgresql_where=LIVE
    )
    op.create_index(
        "ix_flow_executions_response",
        "flow_executions",
        ["contact_id"],
        postgresql_where=sa.text("status = 'WAITING' AND wait_kind = 'response'"),
    )
    # One live execution per flow and contact: a trigger firing again while it runs starts nothing.
    op.create_index(
        "ix_flow_executions_one_live",
        "flow_executions",
        ["flow_id", "contact_id"],
        unique=True,
        postgresql_where=LIVE,
    )
    op.create_index("ix_flow_executions_dedupe", "flow_executions", ["flow_id", "dedupe_key"], unique=True)
    for table in TABLES:
        for statement in enable_rls(table):
            op.execute(statement)
    op.execute(grant_app_role())


def downgrade() -> None:
    for table in TABLES:
        for statement in disable_rls(table):
            op.execute(statement)
        op.drop_table(table)
