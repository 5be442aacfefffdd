"""The internal assistant's conversations and messages (private to each member).

Revision ID: 0009_ai_assistant
Revises: 0008_ai_memory
Create Date: 2026-11-29 10:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0009_ai_assistant"
down_revision: str | None = "0008_ai_memory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ai_assistant_messages", "ai_assistant_conversations")


def _company() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ai_assistant_conversations",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index(
        "ix_ai_assistant_conversations_user",
        "ai_assistant_conversations",
        ["company_id", "user_id", "last_message_at"],
    )
    op.create_table(
        "ai_assistant_messages",
        sa.Column("id", sa.Uuid, primary_key=True),
        _company(),
        sa.Column(
            "conversation_id",
            sa.Uuid,
            sa.ForeignKey("ai_assistant_conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("tools", postgresql.JSONB),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index(
        "ix_ai_assistant_messages_conversation", "ai_assistant_messages", ["conversation_id", "created_at"]
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
