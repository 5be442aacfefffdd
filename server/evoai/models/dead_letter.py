from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin

DEAD = "DEAD"
RETRIED = "RETRIED"
DISCARDED = "DISCARDED"
STATUSES = (DEAD, RETRIED, DISCARDED)


class DeadLetter(IdMixin, Base):
    """A BullMQ job that used up its attempts (spec 7.6): kept with its payload and error until an
    admin retries or discards it, and pruned after the queue's retention."""

    __tablename__ = "dead_letters"
    __table_args__ = (
        CheckConstraint("status IN ('DEAD', 'RETRIED', 'DISCARDED')", name="status"),
        Index("ix_dead_letters_company_status", "company_id", "status", "failed_at"),
        Index("ix_dead_letters_failed_at", "failed_at"),
    )

    # None when the payload names no company (a platform job): then only system sessions see it.
    company_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    queue: Mapped[str] = mapped_column(String(60))
    job_id: Mapped[str | None] = mapped_column(String(200))
    job_name: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    error: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # {message, type, stack}
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status: Mapped[str] = mapped_column(String(10), default=DEAD)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    retry_job_id: Mapped[str | None] = mapped_column(String(200))
