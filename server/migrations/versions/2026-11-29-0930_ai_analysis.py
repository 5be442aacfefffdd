"""AI analysis: the contact's AI profile (interests, preferences, key facts, style).

A conversation's analysis lives in whatsapp_conversations.ai_state (since 0003).

Revision ID: 0007_ai_analysis
Revises: 0006_ai
Create Date: 2026-11-29 09:30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_ai_analysis"
down_revision: str | None = "0006_ai"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contacts", sa.Column("ai_profile", postgresql.JSONB))
    op.add_column("contacts", sa.Column("ai_profile_updated_at", sa.DateTime(timezone=True)))
    # The scheduler's sweep for conversations due an analysis reads recent customer activity.
    op.create_index("ix_whatsapp_conversations_inbound", "whatsapp_conversations", ["last_inbound_at"])


def downgrade() -> None:
    op.drop_index("ix_whatsapp_conversations_inbound", table_name="whatsapp_conversations")
    op.drop_column("contacts", "ai_profile_updated_at")
    op.drop_column("contacts", "ai_profile")
