"""Dead letters: BullMQ jobs that used up their attempts, for admins to retry or discard (spec 7.6).

Revision ID: 0010_dead_letters
Revises: 0009_ai_assistant
Create Date: 2026-11-29 11:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0010_dead_letters"
down_revision: str | None = "0009_ai_assistant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Uuid, primary_key=True),
        # Nullable: a job whose payload names no company is the platform's; the tenant policy
        # (company_id = the session's company) never matches NULL, so only system sessions see it.
        sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE")),
        sa.Column("queue", sa.String(60), nullable=False),
        sa.Column("job_id", sa.String(200)),
        sa.Column("job_name", sa.String(100), nullable=False),
        sa.Column("payload", postgresql.JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("error", postgresql.JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("failed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="DEAD"),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolved_by", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("retry_job_id", sa.String(200)),
        sa.CheckConstraint("status IN ('DEAD', 'RETRIED', 'DISCARDED')", name="status"),
    )
    op.create_index("ix_dead_letters_company_status", "dead_letters", ["company_id", "status", "failed_at"])
    op.create_index("ix_dead_letters_failed_at", "dead_letters", ["failed_at"])
    for statement in enable_rls("dead_letters"):
        op.execute(statement)
    op.execute(grant_app_role())


def downgrade() -> None:
    for statement in disable_rls("dead_letters"):
        op.execute(statement)
    op.drop_table("dead_letters")
