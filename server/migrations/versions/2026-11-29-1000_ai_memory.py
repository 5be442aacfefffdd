"""AI semantic memory: embeddings of messages, FAQ items and business knowledge.

`embedding` is a `vector` without a size so two models (or sizes) can coexist during a model change;
the HNSW index covers the 1536-dimension rows through an expression cast (docs/decisions.md,
"Semantic memory").

Revision ID: 0008_ai_memory
Revises: 0007_ai_analysis
Create Date: 2026-11-29 10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector

from evoai.kit.rls import disable_rls, enable_rls, grant_app_role

revision: str = "0008_ai_memory"
down_revision: str | None = "0007_ai_analysis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_embeddings",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("company_id", sa.Uuid, sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source_type", sa.String(12), nullable=False),
        sa.Column("source_id", sa.Uuid, nullable=False),
        sa.Column("message_id", sa.Uuid, sa.ForeignKey("whatsapp_messages.id", ondelete="CASCADE")),
        sa.Column("contact_id", sa.Uuid, sa.ForeignKey("contacts.id", ondelete="CASCADE")),
        sa.Column("instance_id", sa.Uuid),
        sa.Column("conversation_id", sa.Uuid),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("model", sa.String(80), nullable=False),
        sa.Column("dimensions", sa.Integer, nullable=False),
        sa.Column("embedding", Vector(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("source_type IN ('message', 'faq', 'knowledge')", name="source_type"),
    )
    op.execute(
        "ALTER TABLE ai_embeddings ADD CONSTRAINT ck_ai_embeddings_dimensions "
        "CHECK (vector_dims(embedding) = dimensions)"
    )
    op.create_index(
        "uq_ai_embeddings_source",
        "ai_embeddings",
        ["source_type", "source_id", "model", "dimensions"],
        unique=True,
    )
    op.create_index("ix_ai_embeddings_space", "ai_embeddings", ["company_id", "model", "dimensions"])
    op.create_index("ix_ai_embeddings_message_id", "ai_embeddings", ["message_id"])
    op.create_index("ix_ai_embeddings_contact_id", "ai_embeddings", ["contact_id"])
    op.create_index(
        "ix_ai_embeddings_knowledge",
        "ai_embeddings",
        ["instance_id"],
        postgresql_where=sa.text("source_type IN ('faq', 'knowledge')"),
    )
    # HNSW needs a fixed size: the expression gives it one, the predicate keeps other sizes out.
    op.execute(
        "CREATE INDEX ix_ai_embeddings_hnsw_1536 ON ai_embeddings "
        "USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE dimensions = 1536"
    )
    for statement in enable_rls("ai_embeddings"):
        op.execute(statement)
    op.execute(grant_app_role())


def downgrade() -> None:
    for statement in disable_rls("ai_embeddings"):
        op.execute(statement)
    op.drop_table("ai_embeddings")
