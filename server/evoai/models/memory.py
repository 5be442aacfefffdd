"""Semantic memory: texts the AI may recall (messages, FAQ answers, business knowledge) as vectors.

The vector column has no fixed size, so rows of two embedding models (or sizes) can live side by side
while a model change re-embeds in the background; search reads one (model, dimensions) pair only.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, Uuid, func, text
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin

# The one size with an (expression, partial) HNSW index; other sizes are searched exactly.
INDEXED_DIMENSIONS = 1536
SOURCE_TYPES = ("message", "faq", "knowledge")


class Embedding(IdMixin, Base):
    __tablename__ = "ai_embeddings"
    __table_args__ = (
        Index(
            "uq_ai_embeddings_source",
            "source_type",
            "source_id",
            "model",
            "dimensions",
            unique=True,
        ),
        Index("ix_ai_embeddings_space", "company_id", "model", "dimensions"),
        Index("ix_ai_embeddings_message_id", "message_id"),
        Index("ix_ai_embeddings_contact_id", "contact_id"),
        # What the reply context reads exactly: an instance's FAQ and knowledge (and a contact's messages).
        Index(
            "ix_ai_embeddings_knowledge",
            "instance_id",
            postgresql_where=text("source_type IN ('faq', 'knowledge')"),
        ),
        Index(
            "ix_ai_embeddings_hnsw_1536",
            text(f"(embedding::vector({INDEXED_DIMENSIONS})) vector_cosine_ops"),
            postgresql_using="hnsw",
            postgresql_where=text(f"dimensions = {INDEXED_DIMENSIONS}"),
        ),
        CheckConstraint("source_type IN ('message', 'faq', 'knowledge')", name="source_type"),
        CheckConstraint("vector_dims(embedding) = dimensions", name="dimensions"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    source_type: Mapped[str] = mapped_column(String(12))
    # The message id, or a stable uuid5 for FAQ items and knowledge chunks (evoai/ai/memory.py).
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # Messages only: deleting the message (or its conversation) deletes its vectors with it.
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("whatsapp_messages.id", ondelete="CASCADE")
    )
    # Erasing a contact (LGPD) takes their vectors too, even if a path forgot them.
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="CASCADE"))
    # Filters only (no foreign keys): messages go through message_id, instances are soft-deleted.
    instance_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    content: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(80))
    dimensions: Mapped[int] = mapped_column(Integer)
    embedding: Mapped[list[float]] = mapped_column(Vector())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
