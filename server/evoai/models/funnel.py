"""Sales funnels and their stages."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin


class Funnel(IdMixin, TimestampMixin, Base):
    __tablename__ = "funnels"
    __table_args__ = (
        Index("uq_funnels_name", "company_id", text("lower(name)"), unique=True),
        Index("uq_funnels_default", "company_id", unique=True, postgresql_where=text("is_default")),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    color: Mapped[str] = mapped_column(String(7), default="#4F46E5")
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class Stage(IdMixin, TimestampMixin, Base):
    """A column of a funnel. `wip_limit` caps its OPEN deals; won/lost stages close deals moved in."""

    __tablename__ = "funnel_stages"
    __table_args__ = (
        Index("ix_funnel_stages_funnel", "funnel_id", "position"),
        CheckConstraint("NOT (is_won_stage AND is_lost_stage)", name="won_or_lost"),
        CheckConstraint("wip_limit IS NULL OR wip_limit > 0", name="wip_limit"),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
    )

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    funnel_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("funnels.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    color: Mapped[str] = mapped_column(String(7), default="#6B7280")
    position: Mapped[int] = mapped_column(Integer, default=0)
    probability: Mapped[int] = mapped_column(Integer, default=0)  # percent
    wip_limit: Mapped[int | None] = mapped_column(Integer)
    is_won_stage: Mapped[bool] = mapped_column(Boolean, default=False)
    is_lost_stage: Mapped[bool] = mapped_column(Boolean, default=False)
