from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Identity, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin


class Company(IdMixin, TimestampMixin, Base):
    """The tenant. Row-level security lets a session see its own company and the user's others."""

    __tablename__ = "companies"

    public_id: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    plan_type: Mapped[str] = mapped_column(String(20), default="free")
    plan_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    timezone: Mapped[str] = mapped_column(String(64), default="America/Sao_Paulo")
    features: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    trial_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
